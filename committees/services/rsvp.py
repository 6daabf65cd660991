"""An invitee's answer: the one rule for whether answers are open, the waiting line beyond capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Invitation,
    Meeting,
)
from .invitations import _send_invitee_mail


class RsvpRefused(Exception):
    """The answer cannot be recorded; `reason` is a translated sentence for the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def rsvp_open_reason(meeting: Meeting, now: datetime | None = None) -> str | None:
    """Why an answer cannot be given now, or None when it can. The one rule for 'is RSVP open'."""
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        return _("The meeting was cancelled.")
    if meeting.starts_at <= now:
        return _("The meeting has already started, so answers are closed.")
    return None


@dataclass(frozen=True)
class RsvpResult:
    invitation: Invitation
    waitlisted: bool
    promoted: Invitation | None


@transaction.atomic
def rsvp_record(*, invitation: Invitation, response: str, note: str | None = "") -> RsvpResult:
    """Record an answer; the last one wins. Beyond the meeting's capacity a 'yes' waits in line; a
    place freed by a 'no' goes to the first in line. The meeting row is locked so that two answers
    racing for the last place cannot both get it."""
    meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
    reason = rsvp_open_reason(meeting)
    if reason:
        raise RsvpRefused(reason)
    if response not in (Invitation.Response.YES, Invitation.Response.NO, Invitation.Response.MAYBE):
        raise ValidationError({"response": _("Choose an answer.")})
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    was_confirmed = invitation.response == Invitation.Response.YES and not invitation.waitlisted
    if note is not None:  # None: an answer alone keeps the note written before
        invitation.note = note[:500]
    invitation.responded_at = timezone.now()
    if response == Invitation.Response.YES:
        if invitation.response != Invitation.Response.YES:
            invitation.waitlisted = _is_full(meeting)
    else:
        invitation.waitlisted = False
    invitation.response = response
    invitation.save(update_fields=["response", "note", "responded_at", "waitlisted"])
    promoted = None
    if was_confirmed and response != Invitation.Response.YES and meeting.capacity:
        promoted = (
            meeting.invitations.filter(response=Invitation.Response.YES, waitlisted=True)
            .order_by("responded_at", "pk")
            .first()
        )
        if promoted is not None:
            promoted.waitlisted = False
            promoted.save(update_fields=["waitlisted"])
            # One e-mail per promotion: the key carries the answer's time, so a later promotion of the
            # same person (after they left and rejoined the line) is news again.
            stamp = int(promoted.responded_at.timestamp()) if promoted.responded_at else 0
            _send_invitee_mail([promoted.pk], "promoted", stamp)
    return RsvpResult(invitation=invitation, waitlisted=invitation.waitlisted, promoted=promoted)


def _is_full(meeting: Meeting) -> bool:
    if not meeting.capacity:
        return False
    confirmed = meeting.invitations.filter(
        response=Invitation.Response.YES, waitlisted=False
    ).count()
    return confirmed >= meeting.capacity
