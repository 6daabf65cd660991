"""Every write of the committees app. Views, the timeline scheduler (Celery) and the demo call these.

E-mails go through kehila.mail.send_once with one key per invitation (and per change where a change is
news), written to the outbox in the same transaction as the change: the change and its e-mails commit
together or not at all, and a second call, a retried task or a double click queues nothing new.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehila import profile, scheduling
from kehila.audit import log_action
from kehila.gates import Missing, gate_check, register_gate
from kehila.mail import Attachment, Outgoing, render_text, requeue_failed, send_many, send_once
from kehila.models import Milestone, Program, SentMessage, Track
from kehila.permissions import SYSTEM, PermissionDenied, can, require
from partners.models import Person

from . import ical, links
from .models import (
    ActionItem,
    AgendaItem,
    Application,
    Committee,
    CommitteeMember,
    CompositionTarget,
    Invitation,
    ManagersMeeting,
    Meeting,
    MemberCalendar,
    Minutes,
    MinutesCorrection,
)

# Attendance and minutes record what happened: not before the meeting started (issue 15 §1).
MINUTES_RECORD_GATE = register_gate("minutes_record", gettext_lazy("Attendance and minutes"))
# Minutes are approved by the body at its next meeting, once that meeting has started (issue 15 §6).
MINUTES_APPROVE_GATE = register_gate("minutes_approve", gettext_lazy("Approval of the minutes"))

# Committee names are the municipality's data, stored in Hebrew; the UI labels come from the .po files.
DEFAULT_NAMES = {
    Committee.Kind.STEERING: "ועדת היגוי",
    Committee.Kind.DESIGN: "ועדה מעצבת",
    Committee.Kind.PROGRAM_TEAM: "צוות התוכנית",
    Committee.Kind.GATHERING: "כנס",
}
TRACK_NAMES = {"economic": "כלכלי", "urban": "אורבני", "social": "חברתי", "educational": "חינוכי"}


def _default_name(kind: str, track: str) -> str:
    if kind == Committee.Kind.WORK_TEAM:
        return f"צוות עבודה – אפיק {TRACK_NAMES[track]}" if track else "צוות עבודה"
    return DEFAULT_NAMES[kind]


def _default_names(kind: str, track: str) -> dict:
    """The standing body's name in Hebrew (as stored since the start) and, from the catalogues, in English
    and Arabic, so a municipality working in Arabic reads its committees in Arabic from the first day."""
    names = {"name": _default_name(kind, track)}
    for language in ("en", "ar"):
        with translation.override(language):
            label = str(Committee.Kind(kind).label)
            if kind == Committee.Kind.WORK_TEAM and track:
                label = _("Work team – %(track)s track") % {"track": Track(track).label}
            names[f"name_{language}"] = label
    return names


@transaction.atomic
def committee_for_kind(*, municipality, kind: str, track: str = "") -> Committee:
    """The municipality's body of this kind (and track, for work teams); created with a Hebrew default
    name the first time. Gatherings are one-offs: use committee_create for a named one."""
    if kind not in Committee.Kind.values:
        raise ValidationError({"kind": _("Unknown committee kind.")})
    if track and track not in Track.values:
        raise ValidationError({"track": _("Unknown track.")})
    track = track if kind == Committee.Kind.WORK_TEAM else ""
    committee = (
        Committee.objects.select_for_update()
        .filter(municipality=municipality, kind=kind, track=track)
        .order_by("pk")
        .first()
    )
    if committee is None:
        # A standing body exists by the program's design, whoever first needs it: the portal creates it.
        committee = committee_create(
            municipality=municipality,
            kind=kind,
            track=track,
            **_default_names(kind, track),
            actor=SYSTEM,
        )
    return committee


@transaction.atomic
def committee_create(
    *,
    municipality,
    kind: str,
    name: str,
    name_en: str = "",
    name_ar: str = "",
    track: str = "",
    description: str = "",
    capacity: int | None = None,
    members_see_attendance: bool = True,
    actor,
) -> Committee:
    require(actor, "manage_committees", municipality)
    committee = Committee(
        municipality=municipality,
        kind=kind,
        track=track,
        name=name,
        name_en=name_en,
        name_ar=name_ar,
        description=description,
        capacity=capacity,
        members_see_attendance=members_see_attendance,
        feed_token=secrets.token_urlsafe(24),
    )
    committee.full_clean()
    committee.save()
    if actor is not None:
        log_action(actor=actor, action="committees.committee_create", obj=committee)
    return committee


@transaction.atomic
def committee_set_attendance_sharing(
    *, committee: Committee, shared: bool, actor=None
) -> Committee:
    """Whether the committee's members see who is coming to its meetings (organisers always do)."""
    committee.members_see_attendance = shared
    committee.save(update_fields=["members_see_attendance"])
    log_action(
        actor=actor,
        action="committees.attendance_sharing_set",
        obj=committee,
        data={"shared": shared},
    )
    return committee


def committee_rename(
    *, committee: Committee, name: str, name_en: str, name_ar: str, actor
) -> Committee:
    """The committee's names in the portal's three languages (Hebrew required, the others optional)."""
    require(actor, "manage_committees", committee)
    committee.name, committee.name_en, committee.name_ar = (
        name.strip(),
        name_en.strip(),
        name_ar.strip(),
    )
    committee.full_clean(validate_unique=False)
    committee.save(update_fields=["name", "name_en", "name_ar"])
    log_action(
        actor=actor,
        action="committees.committee_rename",
        obj=committee,
        data={"name": committee.name, "name_en": committee.name_en, "name_ar": committee.name_ar},
    )
    return committee


def committee_set_times(
    *, committee: Committee, corrections_days: int, action_reminder_days: int, actor
) -> Committee:
    """The days attendees have to correct circulated minutes, and how early owners are reminded."""
    require(actor, "manage_committees", committee)
    committee.corrections_days = corrections_days
    committee.action_reminder_days = action_reminder_days
    committee.full_clean(validate_unique=False)
    committee.save(update_fields=["corrections_days", "action_reminder_days"])
    log_action(
        actor=actor,
        action="committees.times_set",
        obj=committee,
        data={"corrections_days": corrections_days, "action_reminder_days": action_reminder_days},
    )
    return committee


# --- membership -------------------------------------------------------------------------------


@transaction.atomic
def member_add(
    *,
    committee: Committee,
    person: Person,
    role: str = CommitteeMember.Role.MEMBER,
    sector: str = "",
    represents_neighbourhood: str = "",
    represents_community: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    has_vote: bool = True,
    actor,
) -> CommitteeMember:
    require(actor, "manage_committees", committee)
    if CommitteeMember.objects.filter(committee=committee, person=person).exists():
        raise ValidationError({"person": _("This person is already a member of the committee.")})
    member = CommitteeMember(
        municipality=committee.municipality,
        committee=committee,
        person=person,
        role=role,
        sector=sector,
        represents_neighbourhood=represents_neighbourhood,
        represents_community=represents_community,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        has_vote=has_vote,
    )
    member.full_clean()
    member.save()
    log_action(
        actor=actor,
        action="committees.member_add",
        obj=member,
        data={"committee": committee.pk, "role": role},
    )
    return member


@transaction.atomic
def member_end(*, member: CommitteeMember, ends_on: date | None = None, actor) -> None:
    require(actor, "manage_committees", member)
    member.ends_on = ends_on or timezone.localdate()
    member.full_clean()
    member.save(update_fields=["ends_on"])
    log_action(actor=actor, action="committees.member_end", obj=member)


@transaction.atomic
def composition_targets_set(
    *, municipality, committee_kind: str, percents: dict[str, int | None], actor
) -> None:
    """Replace the municipality's targets for one kind of committee: {sector: percent or None}."""
    require(actor, "manage_committees", municipality)
    total = sum(p for p in percents.values() if p)
    if total > 100:
        raise ValidationError(_("The targets add up to more than 100%."))
    for sector, percent in percents.items():
        if percent is None:
            CompositionTarget.objects.filter(
                municipality=municipality, committee_kind=committee_kind, sector=sector
            ).delete()
            continue
        target = CompositionTarget.objects.filter(
            municipality=municipality, committee_kind=committee_kind, sector=sector
        ).first() or CompositionTarget(
            municipality=municipality, committee_kind=committee_kind, sector=sector
        )
        target.percent = percent
        target.full_clean()
        target.save()
    log_action(
        actor=actor,
        action="committees.composition_targets_set",
        municipality=municipality,
        data={"kind": committee_kind, "percents": percents},
    )


# --- meetings ---------------------------------------------------------------------------------


def _check_overlap(meeting: Meeting) -> None:
    overlapping = (
        Meeting.objects.filter(
            committee=meeting.committee,
            starts_at__lt=meeting.ends_at,
            ends_at__gt=meeting.starts_at,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(pk=meeting.pk)
    )
    if meeting.starts_at and meeting.ends_at and overlapping.exists():
        raise ValidationError({"starts_at": _("The committee already has a meeting at this time.")})


@transaction.atomic
def meeting_schedule(
    *,
    committee: Committee,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    actor,
    idempotency_key: str | None = None,
    place: str = "",
    purpose: str = "",
    online_link: str = "",
    capacity: int | None = None,
) -> Meeting:
    """Create a planned meeting. With an idempotency key that exists, return that meeting: the scheduler
    may run twice or in two workers; the unique index decides, and the loser reads the winner's row."""
    require(actor, "manage_committees", committee)
    if idempotency_key:
        existing = Meeting.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    meeting = Meeting(
        municipality=committee.municipality,
        committee=committee,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        purpose=purpose,
        online_link=online_link,
        capacity=capacity if capacity is not None else committee.capacity,
        idempotency_key=idempotency_key or None,
    )
    # The committee is a saved row and the municipality its own: asking the database whether they
    # exist would cost two queries per meeting (the scheduler creates them by the hundred).
    meeting.full_clean(exclude=["idempotency_key", "committee", "municipality"])
    _check_overlap(meeting)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        if not idempotency_key:
            raise
        return Meeting.objects.get(idempotency_key=idempotency_key)
    log_action(actor=actor, action="committees.meeting_schedule", obj=meeting)
    return meeting


CHANGE_FIELDS = ("title", "starts_at", "ends_at", "place", "online_link", "purpose", "capacity")


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, **changes) -> Meeting:
    """Change a meeting; raise the calendar SEQUENCE and, once invitations went out, tell the invitees.

    A meeting that is a timeline milestone shares its date: moved to another day, the milestone is
    pinned (or, once held, re-dated) there in this transaction, and what follows it moves too; a day
    the timeline refuses (before what it depends on) refuses the whole change."""
    if meeting.milestone_id:
        # The program first, then the meeting: the order the timeline's re-plan locks them in.
        Program.objects.select_for_update().get(milestones=meeting.milestone_id)
    meeting = _meeting_change(meeting=meeting, actor=actor, changes=changes)
    if meeting.milestone_id and "starts_at" in changes:
        _milestone_follow_meeting(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_follow_milestone(
    *, meeting: Meeting, starts_at: datetime, ends_at: datetime, actor
) -> Meeting:
    """Move a meeting to its milestone's new date (the timeline moved it); the milestone is not
    touched again."""
    return _meeting_change(
        meeting=meeting, actor=actor, changes={"starts_at": starts_at, "ends_at": ends_at}
    )


@transaction.atomic
def meeting_link_milestone(*, meeting: Meeting, milestone: Milestone, actor) -> Meeting:
    """Make a meeting the one of a timeline milestone: the milestone takes the meeting's day."""
    require(actor, "manage_committees", meeting)
    require(actor, "manage_timeline", milestone)
    if meeting.milestone_id != milestone.pk:
        Meeting.objects.filter(pk=meeting.pk).update(milestone=milestone)
        meeting.milestone = milestone
        log_action(
            actor=actor,
            action="committees.meeting_link_milestone",
            obj=meeting,
            data={"key": milestone.key},
        )
    _milestone_follow_meeting(meeting=meeting, actor=actor)
    return meeting


def _milestone_follow_meeting(*, meeting: Meeting, actor) -> None:
    milestone = Milestone.objects.get(pk=meeting.milestone_id)
    day = meeting.starts_at.astimezone(scheduling.MEETING_TZ).date()
    if milestone.status == Milestone.Status.HELD:
        if milestone.actual != day:
            scheduling.milestone_hold(milestone=milestone, actual=day, actor=actor)
    elif milestone.status == Milestone.Status.PLANNED and milestone.planned != day:
        scheduling.milestone_pin(milestone=milestone, date=day, actor=actor)


def _meeting_change(*, meeting: Meeting, actor, changes: dict) -> Meeting:
    require(actor, "manage_committees", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    changed = []
    for field, value in changes.items():
        if field not in CHANGE_FIELDS:
            raise TypeError(f"meeting_update cannot change {field!r}")
        if getattr(meeting, field) != value:
            setattr(meeting, field, value)
            changed.append(field)
    if not changed:
        return meeting
    meeting.sequence += 1
    meeting.full_clean(exclude=["idempotency_key"])
    _check_overlap(meeting)
    meeting.save()
    log_action(
        actor=actor, action="committees.meeting_update", obj=meeting, data={"fields": changed}
    )
    if meeting.status == Meeting.Status.INVITED:
        _queue_invitee_mail(meeting, "update", meeting.sequence)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor) -> Meeting:
    require(actor, "manage_committees", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    was_invited = meeting.invitations.exists()
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    log_action(actor=actor, action="committees.meeting_cancel", obj=meeting)
    if was_invited:
        _queue_invitee_mail(meeting, "cancel", meeting.sequence)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, actor) -> Meeting:
    require(actor, "manage_committees", meeting)
    if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.INVITED):
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
        _milestone_held_with(meeting)
    return meeting


def _milestone_held_with(meeting: Meeting) -> None:
    """A meeting that took place holds its timeline milestone on its day, in the same transaction, so
    that the timeline does not say "planned" until the next tick (committees.consistency checks it).
    The system holds it, as the tick would: recording attendance needs no timeline permission. A day
    the timeline refuses (held out of order) leaves the milestone planned for the manager to mend;
    the tick logs it and the check shows it."""
    if not meeting.milestone_id:
        return
    day = meeting.starts_at.astimezone(scheduling.MEETING_TZ).date()
    if day > timezone.localdate():
        return  # a day that has not come (a gate opened early): the tick holds it on its day
    milestone = Milestone.objects.get(pk=meeting.milestone_id)
    if milestone.status != Milestone.Status.PLANNED:
        return
    try:
        with transaction.atomic():
            scheduling.milestone_hold(milestone=milestone, actual=day, actor=SYSTEM)
    except ValidationError:
        pass


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    presenter: str = "",
    minutes_allotted: int = 15,
    guiding_questions: str = "",
    attachment=None,
    order: int | None = None,
    actor,
) -> AgendaItem:
    require(actor, "manage_committees", meeting)
    if order is None:
        last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    item = AgendaItem(
        municipality=meeting.municipality,
        meeting=meeting,
        order=order,
        title=title,
        presenter=presenter,
        minutes_allotted=minutes_allotted,
        guiding_questions=guiding_questions,
    )
    if attachment:
        # The paper goes to the shared storage and to every member's browser: bounded like an import.
        if attachment.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {
                    "attachment": _("The attachment is larger than %(size)s MB.")
                    % {"size": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
                }
            )
        item.attachment = attachment
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor) -> None:
    """The item's paper leaves the storage too (a bucket shared by every machine), but only once the
    row is gone for good: a rolled-back delete must still find its file."""
    require(actor, "manage_committees", item)
    attachment = item.attachment
    item.delete()
    if attachment:
        storage, name = attachment.storage, attachment.name
        transaction.on_commit(lambda: storage.delete(name))


# --- invitations and RSVP ---------------------------------------------------------------------


def members_on(committee: Committee, day: date):
    return (
        CommitteeMember.objects.filter(committee=committee)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person")
    )


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


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, attended_ids: set[int], actor, shown_ids: set[int] | None = None
) -> int:
    """Attendance is taken at the meeting, apart from RSVP: who actually came. The page lists the
    invitees fifty at a time: `shown_ids` are the invitations the form showed, and only those change
    (None: every invitation of the meeting)."""
    require(actor, "manage_committees", meeting)
    minutes_record_gate(meeting)
    invitations = meeting.invitations.all()
    if shown_ids is not None:
        invitations = invitations.filter(pk__in=shown_ids)
        attended_ids = attended_ids & shown_ids
    invitations.filter(pk__in=attended_ids).update(attended=True)
    invitations.exclude(pk__in=attended_ids).update(attended=False)
    meeting_mark_held(meeting=meeting, actor=actor)
    log_action(
        actor=actor,
        action="committees.attendance_record",
        obj=meeting,
        data={"attended": len(attended_ids)},
    )
    return len(attended_ids)


# --- minutes and action items -----------------------------------------------------------------


@dataclass(frozen=True)
class ActionItemInput:
    title: str
    owner: Person | None = None
    due_on: date | None = None
    status: str = ActionItem.Status.OPEN


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    note_taker: str,
    summary: str,
    decisions: str = "",
    challenges: str = "",
    next_steps: str = "",
    action_items: list[ActionItemInput] = (),
    actor,
) -> Minutes:
    require(actor, "take_minutes", meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    # An all-managers meeting is minuted by the note-taker named before the discussion.
    managers_meeting = ManagersMeeting.objects.filter(meeting=meeting).first()
    if managers_meeting is not None and (reason := managers_meeting.record_refusal()):
        raise ValidationError(reason)
    minutes_record_gate(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(
        municipality=meeting.municipality, meeting=meeting
    )
    if minutes.state == Minutes.State.APPROVED:
        raise ValidationError(_("These minutes were approved and are locked."))
    minutes.note_taker = note_taker
    minutes.summary = summary
    minutes.decisions = decisions
    minutes.challenges = challenges
    minutes.next_steps = next_steps
    minutes.full_clean()
    minutes.save()
    for item in action_items:
        if item.owner is not None and item.owner.municipality_id != meeting.municipality_id:
            raise ValidationError({"owner": _("The owner must belong to this municipality.")})
        action = ActionItem(
            municipality=meeting.municipality,
            meeting=meeting,
            title=item.title,
            owner=item.owner,
            due_on=item.due_on,
            status=item.status,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        action.full_clean()
        action.save()
    if meeting.status != Meeting.Status.MINUTED:
        meeting.status = Meeting.Status.MINUTED
        meeting.save(update_fields=["status"])
        _milestone_held_with(meeting)
    log_action(actor=actor, action="committees.minutes_save", obj=meeting)
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, actor) -> int:
    """Send the approved minutes to the committee's members by e-mail, once per member (minutes_approve
    calls it: the members read what the body approved, the attendees corrected the draft)."""
    require(actor, "take_minutes", minutes)
    if minutes.published_at is None:
        minutes.published_at = timezone.now()
        minutes.save(update_fields=["published_at"])
    meeting = minutes.meeting
    # Once per address: two members' rows may carry one e-mail address.
    by_address = {}
    for m in members_on(meeting.committee, timezone.localdate(meeting.starts_at)):
        if m.person.email:
            by_address.setdefault(_address(m.person.email), m.person)
    people = list(by_address.values())
    log_action(actor=actor, action="committees.minutes_publish", obj=meeting)
    keys = {f"committees:minutes:{meeting.pk}:{p.pk}": p for p in people}
    done = set(
        SentMessage.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    pending = {k: p for k, p in keys.items() if k not in done}
    if pending:
        items = list(meeting.action_items.select_related("owner"))
        for key, person in pending.items():
            send_once(
                key=key,
                to=person.email,
                subject_template="committees/email/minutes_subject.txt",
                body_template="committees/email/minutes_body.txt",
                context={
                    "person": person,
                    "meeting": meeting,
                    "minutes": minutes,
                    "action_items": items,
                    "member_url": links.member_url(person),
                },
                language=person.language or "he",
                municipality=meeting.municipality,
            )
    return len(pending)


# --- the minutes' lifecycle: draft, circulated for corrections, approved at the next meeting ------


def minutes_record_missing(meeting: Meeting, now: datetime | None = None) -> list[Missing]:
    """What the minutes gate waits for: the meeting to have started."""
    if meeting.starts_at <= (now or timezone.now()):
        return []
    when = formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")
    return [
        Missing(
            _(
                "the meeting starts on %(when)s: attendance and minutes are recorded once it has started"
            )
            % {"when": when},
            _meeting_url(meeting),
        )
    ]


def minutes_record_gate(meeting: Meeting):
    return gate_check(
        gate=MINUTES_RECORD_GATE, obj=meeting, missing=minutes_record_missing(meeting)
    )


def _meeting_url(meeting: Meeting) -> str:
    return reverse(
        "committees:meeting",
        kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk},
    )


def next_meeting_of(meeting: Meeting) -> Meeting | None:
    """The body's next meeting after this one (not a cancelled one): where its minutes are approved."""
    return (
        Meeting.objects.filter(committee_id=meeting.committee_id, starts_at__gt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "pk")
        .first()
    )


def minutes_approve_missing(minutes: Minutes, now: datetime | None = None) -> list[Missing]:
    meeting = minutes.meeting
    following = next_meeting_of(meeting)
    if following is None:
        return [
            Missing(
                _("the committee's next meeting, where the minutes are approved, is not scheduled"),
                reverse(
                    "committees:detail",
                    kwargs={
                        "slug": meeting.municipality.slug,
                        "committee_id": meeting.committee_id,
                    },
                ),
            )
        ]
    if following.starts_at > (now or timezone.now()):
        when = formats.date_format(timezone.localtime(following.starts_at), "SHORT_DATETIME_FORMAT")
        return [
            Missing(
                _("the minutes are approved at the next meeting, which starts on %(when)s")
                % {"when": when},
                _meeting_url(following),
            )
        ]
    return []


def _locked_minutes(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting__committee", "meeting__municipality")
        .get(pk=minutes.pk)
    )


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, actor) -> int:
    """Send the draft to those who attended, each with their personal link where they send corrections
    within the committee's window. Returns how many e-mails this call queued; a second call queues none."""
    require(actor, "take_minutes", minutes)
    minutes = _locked_minutes(minutes)
    if minutes.state == Minutes.State.APPROVED:
        raise ValidationError(_("These minutes were approved and are locked."))
    meeting = minutes.meeting
    attendees = list(
        meeting.invitations.filter(attended=True).select_related("person").order_by("pk")
    )
    if not attendees:
        raise ValidationError(
            _("Record who attended first: the minutes are circulated to the attendees.")
        )
    if minutes.state == Minutes.State.DRAFT:
        now = timezone.now()
        minutes.state = Minutes.State.CIRCULATED
        minutes.circulated_at = now
        minutes.corrections_until = timezone.localdate(now) + timedelta(
            days=meeting.committee.corrections_days
        )
        minutes.save(update_fields=["state", "circulated_at", "corrections_until"])
        log_action(actor=actor, action="committees.minutes_circulate", obj=minutes)
    messages = []
    seen = set()
    for invitation in attendees:
        person = invitation.person
        address = _address(person.email)
        if not address or address in seen:
            continue
        seen.add(address)
        messages.append(
            Outgoing(
                key=f"committees:minutes_circulated:{minutes.pk}:{person.pk}",
                to=person.email,
                subject_template="committees/email/minutes_circulated_subject.txt",
                body_template="committees/email/minutes_circulated_body.txt",
                context={
                    "person": person,
                    "meeting": meeting,
                    "minutes": minutes,
                    "member_url": links.member_url(person),
                },
                language=person.language or "he",
                municipality=meeting.municipality,
                about=f"committees.meeting:{meeting.pk}",
                recipient_ref=f"committees.invitation:{invitation.pk}",
            )
        )
    return send_many(messages)


def may_correct(minutes: Minutes, *, person: Person | None = None, user=None) -> bool:
    """An attendee corrects (by their personal link or their account); so does the team."""
    if user is not None and can(user, "take_minutes", minutes):
        return True
    attendees = minutes.meeting.invitations.filter(attended=True)
    if person is not None:
        return attendees.filter(person=person).exists()
    if user is not None and user.is_authenticated:
        return attendees.filter(person__user=user).exists()
    return False


@transaction.atomic
def minutes_correct(
    *, minutes: Minutes, text: str, person: Person | None = None, user=None
) -> MinutesCorrection:
    """Keep one correction with who sent it and when. `person` comes from a personal link, `user` from
    a signed-in account; either must have attended (or be the team), within the window."""
    minutes = _locked_minutes(minutes)
    if user is not None and person is None and user.is_authenticated:
        person = (
            Person.objects.filter(municipality_id=minutes.municipality_id, user=user)
            .order_by("pk")
            .first()
        )
    if not may_correct(minutes, person=person, user=user):
        raise PermissionDenied("correct_minutes", minutes)
    if minutes.state != Minutes.State.CIRCULATED:
        raise ValidationError(_("These minutes are not open for corrections."))
    if not minutes.corrections_open(timezone.localdate()):
        raise ValidationError(
            _("The time for corrections ended on %(day)s.")
            % {"day": formats.date_format(minutes.corrections_until, "SHORT_DATE_FORMAT")}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the correction.")})
    if person is not None:
        name = person.full_name
    else:
        name = user.get_full_name() or user.get_username()
    correction = MinutesCorrection.objects.create(
        municipality_id=minutes.municipality_id,
        minutes=minutes,
        text=text,
        person=person,
        user=user if user is not None and user.is_authenticated else None,
        author_name=name,
    )
    log_action(
        actor=user,
        action="committees.minutes_correct",
        obj=minutes,
        data={"correction": correction.pk},
    )
    return correction


@transaction.atomic
def minutes_approve(*, minutes: Minutes, actor) -> Minutes:
    """The body approves its minutes at its next meeting, once that meeting has started; after that the
    minutes are locked (Minutes.save refuses). The gate's override covers a body that will not meet."""
    require(actor, "take_minutes", minutes)
    minutes = _locked_minutes(minutes)
    if minutes.state == Minutes.State.APPROVED:
        return minutes
    if minutes.state != Minutes.State.CIRCULATED:
        raise ValidationError(_("Circulate the minutes to the attendees before they are approved."))
    gate_check(gate=MINUTES_APPROVE_GATE, obj=minutes, missing=minutes_approve_missing(minutes))
    following = next_meeting_of(minutes.meeting)
    minutes.state = Minutes.State.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor if getattr(actor, "pk", None) else None
    minutes.approved_at_meeting = (
        following if following is not None and following.starts_at <= timezone.now() else None
    )
    minutes.published_at = minutes.approved_at
    minutes.save(
        update_fields=["state", "approved_at", "approved_by", "approved_at_meeting", "published_at"]
    )
    log_action(actor=actor, action="committees.minutes_approve", obj=minutes)
    minutes_publish(minutes=minutes, actor=actor)
    return minutes


# --- action items' reminders, on the daily tick ---------------------------------------------------


def action_item_reminders_send(*, municipality, today: date) -> int:
    """Remind each owner of an open action item N days before it is due (the committee's setting) and
    once when it is overdue. Keyed by item, kind and due date: once each, whatever the number of ticks;
    a new due date is news and is reminded again."""
    items = (
        ActionItem.objects.filter(municipality=municipality, due_on__isnull=False)
        .exclude(status=ActionItem.Status.DONE)
        .exclude(owner__isnull=True)
        .select_related("owner", "meeting__committee")
        .order_by("due_on", "pk")
    )
    items = list(items)
    # An owner with an account who turned action-item reminders off gets none (one query for all).
    refused = profile.refusing([i.owner.email for i in items], profile.ACTION_ITEM_REMINDER)
    messages = []
    for item in items:
        if item.owner.email.strip().lower() in refused:
            continue
        before = timedelta(days=item.meeting.committee.action_reminder_days)
        if today > item.due_on:
            kind = "overdue"
        elif today >= item.due_on - before:
            kind = "due"
        else:
            continue
        person = item.owner
        if not _address(person.email):
            continue
        messages.append(
            Outgoing(
                key=f"committees:action_{kind}:{item.pk}:{item.due_on.isoformat()}",
                to=person.email,
                subject_template=f"committees/email/action_{kind}_subject.txt",
                body_template=f"committees/email/action_{kind}_body.txt",
                context={
                    "person": person,
                    "item": item,
                    "meeting": item.meeting,
                    "days_late": (today - item.due_on).days,
                    "member_url": links.member_url(person),
                },
                language=person.language or "he",
                municipality=municipality,
                about=f"committees.meeting:{item.meeting_id}",
            )
        )
    return send_many(messages)


def action_items_tick(*, program, today: date) -> int:
    """The step committees adds to each program's daily round (registered in CommitteesConfig.ready)."""
    return action_item_reminders_send(municipality=program.municipality, today=today)


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str, actor) -> ActionItem:
    require(actor, "update_action_item", item)
    item.status = status
    item.full_clean()
    item.save(update_fields=["status"])
    return item


# --- calendars --------------------------------------------------------------------------------


@transaction.atomic
def member_calendar_for(*, person: Person) -> MemberCalendar:
    calendar = MemberCalendar.objects.filter(person=person).first()
    if calendar is None:
        calendar = MemberCalendar.objects.create(
            municipality=person.municipality, person=person, token=secrets.token_urlsafe(24)
        )
    return calendar


@transaction.atomic
def member_calendar_revoke(*, person: Person) -> MemberCalendar:
    """Give the person a new secret feed address; the old one stops working at once."""
    calendar = member_calendar_for(person=person)
    calendar.token = secrets.token_urlsafe(24)
    calendar.save(update_fields=["token"])
    return calendar


def committee_feed_token(*, committee: Committee) -> str:
    """The committee feed's secret, made on first use for committees created without one."""
    if not committee.feed_token:
        Committee.objects.filter(pk=committee.pk, feed_token__isnull=True).update(
            feed_token=secrets.token_urlsafe(24)
        )
        committee.refresh_from_db(fields=["feed_token"])
    return committee.feed_token


@transaction.atomic
def committee_feed_revoke(*, committee: Committee, actor) -> Committee:
    require(actor, "manage_committees", committee)
    committee.feed_token = secrets.token_urlsafe(24)
    committee.save(update_fields=["feed_token"])
    log_action(actor=actor, action="committees.feed_revoke", obj=committee)
    return committee


# --- open call --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationResult:
    application: Application
    updated: bool  # True when an earlier open application from the same address took the answer


@transaction.atomic
def application_submit(
    *,
    municipality,
    full_name: str,
    email: str,
    sector: str,
    motivation: str,
    phone: str = "",
    neighbourhood: str = "",
    is_resident: bool = True,
    language: str = "he",
) -> ApplicationResult:
    """Answer the open call. One address is one person: a second application from it (letter case and
    spaces aside) while the first waits for review updates the first, so the team reviews, accepts and
    e-mails one application. The partial unique index decides between two that arrive together."""
    committee = committee_for_kind(municipality=municipality, kind=Committee.Kind.DESIGN)
    email = email.strip()
    values = {
        "full_name": full_name,
        "phone": phone,
        "neighbourhood": neighbourhood,
        "sector": sector,
        "is_resident": is_resident,
        "motivation": motivation,
        "language": language,
    }
    pending = Application.objects.select_for_update().filter(
        committee=committee, email__iexact=email, status=Application.Status.PENDING
    )
    earlier = pending.first()
    if earlier is None:
        application = Application(
            municipality=municipality, committee=committee, email=email, **values
        )
        application.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            # Another request from the same address won the race: this one updates its row.
            earlier = pending.get()
        else:
            return ApplicationResult(application=application, updated=False)
    for field, value in values.items():
        setattr(earlier, field, value)
    earlier.full_clean(validate_constraints=False)
    earlier.save(update_fields=list(values))
    return ApplicationResult(application=earlier, updated=True)


def _application_mail(application: Application, kind: str) -> None:
    send_once(
        key=f"committees:application:{application.pk}:{kind}",
        to=application.email,
        subject_template=f"committees/email/application_{kind}_subject.txt",
        body_template=f"committees/email/application_{kind}_body.txt",
        context={"application": application, "committee": application.committee},
        language=application.language,
        municipality=application.municipality,
    )


@transaction.atomic
def application_accept(*, application: Application, actor) -> CommitteeMember:
    require(actor, "manage_committees", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application was already decided."))
    # The address may already be a person of the municipality (mapped in partners, or accepted to
    # another committee): the applicant is that person, so that nothing reaches the address twice.
    person = (
        Person.objects.filter(
            municipality=application.municipality, email__iexact=application.email.strip()
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        person = Person(
            municipality=application.municipality,
            full_name=application.full_name,
            email=application.email,
            phone=application.phone,
            neighbourhood=application.neighbourhood,
            is_resident=application.is_resident,
            language=application.language,
        )
        person.full_clean()
        person.save()
    member = CommitteeMember.objects.filter(committee=application.committee, person=person).first()
    if member is None:
        member = member_add(
            committee=application.committee,
            person=person,
            sector=application.sector,
            represents_neighbourhood=application.neighbourhood,
            actor=actor,
        )
    application.status = Application.Status.ACCEPTED
    application.person = person
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "person", "decided_at"])
    log_action(actor=actor, action="committees.application_accept", obj=application)
    _application_mail(application, "accepted")
    return member


@transaction.atomic
def application_decline(*, application: Application, actor) -> Application:
    require(actor, "manage_committees", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application was already decided."))
    application.status = Application.Status.DECLINED
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    log_action(actor=actor, action="committees.application_decline", obj=application)
    _application_mail(application, "declined")
    return application
