"""What happened at a meeting: attendance, the minutes and their action items, and the minutes'
lifecycle (draft, circulated for corrections, approved at the next meeting) with its gates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehila.audit import log_action
from kehila.gates import Missing, gate_check, register_gate
from kehila.mail import Outgoing, send_many, send_once
from kehila.models import SentMessage
from kehila.permissions import PermissionDenied, can, require
from partners.models import Person

from .. import links
from ..models import (
    ActionItem,
    ManagersMeeting,
    Meeting,
    Minutes,
    MinutesCorrection,
)
from .invitations import _address
from .meetings import _milestone_held_with, meeting_mark_held
from .membership import members_on

# Attendance and minutes record what happened: not before the meeting started.
MINUTES_RECORD_GATE = register_gate("minutes_record", gettext_lazy("Attendance and minutes"))
# Minutes are approved by the body at its next meeting, once that meeting has started.
MINUTES_APPROVE_GATE = register_gate("minutes_approve", gettext_lazy("Approval of the minutes"))


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
