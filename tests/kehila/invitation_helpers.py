"""Helpers for the invitation tests: invite through the service, read its link from the outbox."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kehila import invitations
from kehila.models import Role, SentMessage

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jerusalem"))
LINK = re.compile(r"/invitations/([^/\s]+)/")


def _invite(actor, municipality, email="new@example.org", role=Role.TEAM, **kwargs):
    return invitations.invite(
        actor=actor, municipality=municipality, email=email, role=role, **kwargs
    )


def _signed(invitation) -> str:
    """The link of the newest e-mail of the invitation, read back from the outbox as a person would."""
    message = SentMessage.objects.filter(
        idempotency_key=f"kehila:invitation:{invitation.pk}:{invitation.sent_count}"
    ).get()
    return LINK.search(message.body_text).group(1)


def _later(traveller, **delta):
    traveller.move_to(NOW + timedelta(**delta))
