"""Sample values for the core's URL parameters (see tests/kehila/test_tenancy.py)."""

import secrets
from datetime import timedelta

from django.utils import timezone

from kehila.invitations import _digest, sign
from kehila.models import Invitation

TOKEN = "sample-token"  # noqa: S105 - a test token, not a password


def _invitation(municipality):
    return Invitation.objects.create(
        municipality=municipality,
        email=f"sample-{secrets.token_hex(4)}@example.org",
        role="team",
        expires_at=timezone.now() + timedelta(days=14),
        token_hash=_digest(TOKEN),
        sent_count=1,
        last_sent_at=timezone.now(),
    )


def _membership(municipality):
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username=f"sample-{secrets.token_hex(4)}")
    return MembershipFactory(municipality=municipality, user=user, role="team")


SAMPLES = {
    "membership_id": lambda municipality: _membership(municipality).pk,
    "invitation_id": lambda municipality: _invitation(municipality).pk,
    "signed": lambda municipality: sign(_invitation(municipality).pk, TOKEN),
}
