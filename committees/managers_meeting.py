"""Every write of the all-managers meeting, kept apart from services.py so that the
meeting's general machinery (invitations, RSVP, agenda, action items) stays one and this module only adds
what the guidance asks of this meeting: the list from the mapping under the mayor's patronage, the
note-taker named before the discussion, the challenges recorded, and the summary e-mail, once.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehila.audit import log_action
from kehila.mail import Outgoing, send_many
from kehila.permissions import require
from partners import selectors as partner_selectors
from partners.models import MunicipalRole, Person

from . import links, services
from .models import ActionItem, Challenge, Committee, Invitation, ManagersMeeting, Meeting

# The body's name is the municipality's data, stored in Hebrew like the other default names.
COMMITTEE_NAME = "מפגש כל המנהלים"


def _forum(municipality, actor) -> Committee:
    """The gathering that holds the municipality's all-managers meetings, made on first use."""
    earlier = (
        ManagersMeeting.objects.filter(municipality=municipality)
        .select_related("meeting__committee")
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        return earlier.meeting.committee
    return services.committee_create(
        municipality=municipality,
        kind=Committee.Kind.GATHERING,
        name=COMMITTEE_NAME,
        # Managers see who of their peers is coming: the guidance wants the room known ahead.
        members_see_attendance=True,
        actor=actor,
    )


def _add_invitees(managers_meeting: ManagersMeeting) -> int:
    """Invitations for everyone the mapping lists and who is not invited yet (by person or by address:
    a manager mapped twice is invited once). Returns how many were added."""
    meeting = managers_meeting.meeting
    invited = list(meeting.invitations.values_list("person_id", "person__email"))
    people = {person_id for person_id, _email in invited}
    addresses = {services._address(email) for _person_id, email in invited} - {""}
    new = []
    for person in partner_selectors.managers_meeting_invitees(managers_meeting.municipality):
        address = services._address(person.email)
        if person.pk in people or (address and address in addresses):
            continue
        people.add(person.pk)
        if address:
            addresses.add(address)
        new.append(Invitation(municipality=meeting.municipality, meeting=meeting, person=person))
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def managers_meeting_create(
    *,
    municipality,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    purpose: str = "",
    actor,
) -> ManagersMeeting:
    """Schedule the meeting and draw its invite list from the mapping; the mayor (as the mapping names
    them) is its patron. Nothing is e-mailed yet: the manager looks at the list first."""
    require(actor, "manage_committees", municipality)
    meeting = services.meeting_schedule(
        committee=_forum(municipality, actor),
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        purpose=purpose,
        actor=actor,
    )
    patron = (
        Person.objects.filter(municipality=municipality, municipal_role=MunicipalRole.MAYOR)
        .order_by("pk")
        .first()
    )
    managers_meeting = ManagersMeeting.objects.create(
        municipality=municipality, meeting=meeting, patron=patron
    )
    added = _add_invitees(managers_meeting)
    log_action(
        actor=actor,
        action="committees.managers_meeting_create",
        obj=meeting,
        data={"invitees": added, "patron": patron.pk if patron else None},
    )
    return managers_meeting


@transaction.atomic
def managers_meeting_invite(*, managers_meeting: ManagersMeeting, actor) -> int:
    """Invite them all in one step: the list is brought up to date with the mapping, then every
    invitee's e-mail is queued in the outbox by the committees' own invitations_send (once each).
    Returns how many e-mails this call queued."""
    require(actor, "manage_committees", managers_meeting)
    if managers_meeting.meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be sent out."))
    _add_invitees(managers_meeting)
    return services.invitations_send(meeting=managers_meeting.meeting, actor=actor)


@transaction.atomic
def managers_meeting_name_note_taker(
    *, managers_meeting: ManagersMeeting, person: Person, actor
) -> ManagersMeeting:
    require(actor, "manage_committees", managers_meeting)
    if person.municipality_id != managers_meeting.municipality_id:
        raise ValidationError({"person": _("The person must belong to this municipality.")})
    managers_meeting.note_taker = person
    managers_meeting.save(update_fields=["note_taker"])
    log_action(
        actor=actor,
        action="committees.managers_meeting_note_taker",
        obj=managers_meeting.meeting,
        data={"person": person.pk},
    )
    return managers_meeting


def record_refusal(managers_meeting: ManagersMeeting) -> str | None:
    return managers_meeting.record_refusal()


def _require_recordable(managers_meeting: ManagersMeeting) -> None:
    reason = record_refusal(managers_meeting)
    if reason:
        raise ValidationError(reason)


@transaction.atomic
def challenge_record(
    *, managers_meeting: ManagersMeeting, text: str, raised_by: str = "", actor
) -> Challenge:
    require(actor, "take_minutes", managers_meeting)
    _require_recordable(managers_meeting)
    challenge = Challenge(
        municipality=managers_meeting.municipality,
        managers_meeting=managers_meeting,
        text=text.strip(),
        raised_by=raised_by.strip(),
    )
    challenge.full_clean()
    challenge.save()
    log_action(
        actor=actor,
        action="committees.challenge_record",
        obj=managers_meeting.meeting,
        data={"challenge": challenge.pk},
    )
    return challenge


@transaction.atomic
def follow_up_add(
    *,
    managers_meeting: ManagersMeeting,
    title: str,
    owner: Person | None,
    due_on: date | None = None,
    actor,
) -> ActionItem:
    """A promise made at the end of the meeting: an action item of the meeting, with its owner."""
    require(actor, "take_minutes", managers_meeting)
    _require_recordable(managers_meeting)
    if owner is not None and owner.municipality_id != managers_meeting.municipality_id:
        raise ValidationError({"owner": _("The owner must belong to this municipality.")})
    item = ActionItem(
        municipality=managers_meeting.municipality,
        meeting=managers_meeting.meeting,
        title=title,
        owner=owner,
        due_on=due_on,
    )
    item.full_clean()
    item.save()
    log_action(
        actor=actor,
        action="committees.follow_up_add",
        obj=managers_meeting.meeting,
        data={"action_item": item.pk},
    )
    return item


def participants(meeting: Meeting) -> list[Person]:
    """Who took part: those marked present where attendance was taken, otherwise everyone whose 'yes'
    holds a place. One person per address."""
    invitations = meeting.invitations.select_related("person").order_by("pk")
    if invitations.filter(attended=True).exists():
        invitations = invitations.filter(attended=True)
    else:
        invitations = invitations.filter(response=Invitation.Response.YES, waitlisted=False)
    by_address = {}
    for invitation in invitations:
        address = services._address(invitation.person.email)
        if address:
            by_address.setdefault(address, invitation.person)
    return list(by_address.values())


def _summary_key(meeting: Meeting, person: Person) -> str:
    return f"committees:managers_summary:{meeting.pk}:{person.pk}"


@transaction.atomic
def summary_send(*, managers_meeting: ManagersMeeting, summary: str, actor) -> int:
    """At the end: thank every participant, summarise, and say what comes next (the follow-up items with
    their owners), in each participant's language, once. The meeting row is locked so that two presses
    cannot both send; each e-mail's key makes a retry queue nothing new. Returns how many were queued."""
    require(actor, "manage_committees", managers_meeting)
    managers_meeting = (
        # Only this row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the joins.
        ManagersMeeting.objects.select_for_update(of=("self",))
        .select_related("meeting__committee", "municipality", "note_taker", "patron")
        .get(pk=managers_meeting.pk)
    )
    _require_recordable(managers_meeting)
    meeting = managers_meeting.meeting
    if managers_meeting.summary_sent_at is not None:
        raise ValidationError(_("The summary was already sent to the participants."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The summary is sent after the meeting, not before it starts."))
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("Write the summary first.")})
    managers_meeting.summary = summary
    managers_meeting.summary_sent_at = timezone.now()
    managers_meeting.save(update_fields=["summary", "summary_sent_at"])
    people = participants(meeting)
    follow_ups = list(meeting.action_items.select_related("owner"))
    challenges = list(managers_meeting.challenges.all())
    # One key per meeting and participant: the outbox queues a key once, whatever reaches this line.
    messages = [
        Outgoing(
            key=_summary_key(meeting, person),
            to=person.email,
            subject_template="committees/email/managers_summary_subject.txt",
            body_template="committees/email/managers_summary_body.txt",
            context={
                "person": person,
                "meeting": meeting,
                "managers_meeting": managers_meeting,
                "challenges": challenges,
                "follow_ups": follow_ups,
                "member_url": links.member_url(person),
            },
            language=person.language or "he",
            municipality=managers_meeting.municipality,
            about=f"committees.meeting:{meeting.pk}",
        )
        for person in people
    ]
    count = send_many(messages)
    log_action(
        actor=actor,
        action="committees.managers_summary_send",
        obj=meeting,
        data={"queued": count},
    )
    return count
