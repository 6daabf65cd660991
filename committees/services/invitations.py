"""Invitations and their e-mails: sending, resending, adding an invitee, reminders.

Each e-mail goes through kehila.mail with one key per invitation (and per change where a change is
news), written to the outbox in the same transaction as the change: a second call, a retried task or a
double click queues nothing new."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kehila import profile, scheduling
from kehila.audit import log_action
from kehila.mail import Attachment, Outgoing, render_text, requeue_failed, send_many
from kehila.models import SentMessage
from kehila.permissions import require
from partners.models import Person

from .. import ical, links
from ..models import (
    Committee,
    Invitation,
    ManagersMeeting,
    Meeting,
)
from .membership import members_on

# --- invitations ------------------------------------------------------------------------------


def _invitation_key(kind: str, invitation_id: int, extra: object = "") -> str:
    return f"committees:{kind}:{invitation_id}" + (f":{extra}" if extra != "" else "")


def _send_invitee_mail(invitation_ids: list[int], kind: str, extra: object = "") -> int:
    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related(
        "person", "meeting__committee", "municipality"
    )
    # What is the same for every invitee of a meeting (its agenda, its calendar file, the meeting's
    # details in each language) is made once, not once per invitee.
    shared = {}
    details = {}
    messages = []
    for invitation in invitations:
        person = invitation.person
        if not person.email:
            continue
        if invitation.meeting_id not in shared:
            meeting = invitation.meeting
            shared[meeting.pk] = (
                meeting,
                list(meeting.agenda_items.all()),
                Attachment("meeting.ics", ical.meeting_ics(meeting), "text/calendar"),
                _patron_name(meeting),
            )
        meeting, agenda, ics, patron = shared[invitation.meeting_id]
        language = person.language or "he"
        if (meeting.pk, language) not in details:
            with translation.override(language):
                details[meeting.pk, language] = render_text(
                    "committees/email/_meeting.txt",
                    {
                        "meeting": meeting,
                        "agenda": agenda,
                        "language": language,
                        "patron": patron,
                    },
                )
        messages.append(
            Outgoing(
                key=_invitation_key(kind, invitation.pk, extra),
                to=person.email,
                subject_template=f"committees/email/{kind}_subject.txt",
                body_template=f"committees/email/{kind}_body.txt",
                context={
                    "person": person,
                    "meeting": meeting,
                    "committee": meeting.committee,
                    "agenda": agenda,
                    "meeting_details": details[meeting.pk, language],
                    "rsvp_url": links.rsvp_url(invitation),
                    "member_url": links.member_url(person),
                },
                language=language,
                municipality=invitation.municipality,
                attachments=(ics,),
                about=f"committees.meeting:{meeting.pk}",
                recipient_ref=f"committees.invitation:{invitation.pk}",
            )
        )
    return send_many(messages)


def _patron_name(meeting: Meeting) -> str:
    """The all-managers meeting is held under the mayor's patronage, and its invitation says so."""
    if meeting.committee.kind != Committee.Kind.GATHERING:
        return ""
    return (
        ManagersMeeting.objects.filter(meeting=meeting)
        .values_list("patron__full_name", flat=True)
        .first()
        or ""
    )


def _address(email: str) -> str:
    """An e-mail address as the portal compares them: letter case and surrounding spaces aside."""
    return (email or "").strip().lower()


def _pending(invitations, kind: str, extra: object = "") -> list[int]:
    # One e-mail per address even where two invitations of a meeting share one (rows made before the
    # address was checked): the first invitation of each address speaks for it.
    first = {}
    for invitation in sorted(invitations, key=lambda i: i.pk):
        address = _address(invitation.person.email)
        if address:
            first.setdefault((invitation.meeting_id, address), invitation)
    keys = {_invitation_key(kind, i.pk, extra): i.pk for i in first.values()}
    done = set(
        SentMessage.objects.filter(idempotency_key__in=keys)
        .order_by()
        .values_list("idempotency_key", flat=True)
    )
    return [pk for key, pk in keys.items() if key not in done]


def _queue_invitee_mail(meeting: Meeting, kind: str, extra: object = "") -> int:
    invitations = list(meeting.invitations.select_related("person"))
    pending = _pending(invitations, kind, extra)
    if pending:
        _send_invitee_mail(pending, kind, extra)
    return len(pending)


@transaction.atomic
def invitations_send(*, meeting: Meeting, actor, retry_failed: bool = False) -> int:
    """Invite every current member (one Invitation per person) and e-mail each a personal RSVP link
    with the .ics attached, queued in this transaction: the meeting is "invited" exactly when its
    invitations are in the outbox. Returns how many e-mails this call queued; a second call queues none.

    `retry_failed` (the manager's "send again") also re-queues invitations whose sending failed for
    good; one that was sent, or is still on its way, is never queued a second time."""
    require(actor, "manage_committees", meeting)
    # The municipality comes along for the audit entry; only the rows locked before are locked.
    meeting = (
        Meeting.objects.select_for_update(of=("self", "committee"))
        .select_related("committee", "municipality")
        .get(pk=meeting.pk)
    )
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be sent out."))
    day = timezone.localdate(meeting.starts_at)
    people = [m.person for m in members_on(meeting.committee, day)]
    invited = meeting.invitations.values_list("person_id", "person__email")
    existing = {person_id for person_id, _email in invited}
    addresses = {_address(email) for _person_id, email in invited} - {""}
    new = []
    for person in people:
        address = _address(person.email)
        # Two rows of people can share one address (mapped twice): the address is invited once.
        if person.pk in existing or (address and address in addresses):
            continue
        addresses.add(address)
        new.append(Invitation(municipality=meeting.municipality, meeting=meeting, person=person))
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.INVITED
        meeting.save(update_fields=["status"])
    count = _queue_invitee_mail(meeting, "invite")
    if retry_failed:
        count += requeue_failed(
            _invitation_key("invite", pk) for pk in meeting.invitations.values_list("pk", flat=True)
        )
    log_action(actor=actor, action="committees.invitations_send", obj=meeting, data={"sent": count})
    return count


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> int:
    """Queue a fresh copy of one invitee's invitation (a manager's deliberate "resend"): a new key, so
    it goes out even if the first one was sent; audited. Returns how many e-mails were queued (0 or 1)."""
    require(actor, "manage_committees", invitation.meeting)
    invitation = Invitation.objects.select_related("person", "meeting").get(pk=invitation.pk)
    if invitation.meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be sent out."))
    if not invitation.person.email:
        raise ValidationError(_("This invitee has no e-mail address."))
    # Numbered by the invitations already queued for this invitee: two presses racing compute the
    # same number and the unique key keeps one copy.
    copies = SentMessage.objects.filter(
        about=f"committees.meeting:{invitation.meeting_id}",  # the indexed column first
        recipient_ref=f"committees.invitation:{invitation.pk}",
        topic="committees:invite",
    ).count()
    count = _send_invitee_mail([invitation.pk], "invite", f"resend-{copies}")
    log_action(
        actor=actor,
        action="committees.invitation_resend",
        obj=invitation.meeting,
        data={"invitation": invitation.pk, "person": invitation.person_id, "queued": count},
    )
    return count


@transaction.atomic
def invitation_add(*, meeting: Meeting, person: Person, actor) -> Invitation:
    """Invite one person who is not a member (gatherings have invite lists)."""
    require(actor, "manage_committees", meeting)
    if person.municipality_id != meeting.municipality_id:
        raise ValidationError({"person": _("The person must belong to this municipality.")})
    address = _address(person.email)
    if (
        address
        and meeting.invitations.filter(person__email__iexact=address)
        .exclude(person=person)
        .exists()
    ):
        raise ValidationError(
            {"person": _("Someone with this e-mail address is already invited to this meeting.")}
        )
    invitation, _created = Invitation.objects.get_or_create(
        meeting=meeting, person=person, defaults={"municipality": meeting.municipality}
    )
    if meeting.status == Meeting.Status.INVITED:
        _queue_invitee_mail(meeting, "invite")
    return invitation


def reminders_send(*, meeting: Meeting, actor, as_each_chose: bool = False) -> int:
    """Remind invitees who have not answered, once each. Safe to call from every scheduler tick.

    The tick passes `as_each_chose`: then each invitee is reminded only from the number of days before
    the meeting their account chose (My account; kehila.scheduling.REMINDERS_AHEAD for the others)."""
    require(actor, "manage_committees", meeting)
    if meeting.status != Meeting.Status.INVITED or meeting.starts_at <= timezone.now():
        return 0
    with transaction.atomic():
        invitations = list(
            meeting.invitations.filter(response=Invitation.Response.NONE).select_related("person")
        )
        # An invitee with an account who turned meeting reminders off gets none (one query for all).
        refused = profile.refusing([i.person.email for i in invitations], profile.MEETING_REMINDER)
        invitations = [i for i in invitations if i.person.email.strip().lower() not in refused]
        if as_each_chose:
            days_left = (
                timezone.localtime(meeting.starts_at, scheduling.MEETING_TZ).date()
                - timezone.localdate()
            ).days
            chosen = profile.reminder_days_of(
                [i.person.email for i in invitations],
                default=scheduling.REMINDERS_AHEAD.days,
            )
            invitations = [
                i
                for i in invitations
                if days_left
                <= chosen.get(i.person.email.strip().lower(), scheduling.REMINDERS_AHEAD.days)
            ]
        pending = _pending(invitations, "reminder")
        if pending:
            _send_invitee_mail(pending, "reminder")
    return len(pending)
