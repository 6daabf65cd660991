"""Scheduling a meeting, changing, cancelling and holding it (with its timeline milestone), its agenda."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehila import scheduling
from kehila.audit import log_action
from kehila.models import Milestone, Program
from kehila.permissions import SYSTEM, require

from ..models import (
    AgendaItem,
    Committee,
    Meeting,
)
from .invitations import _queue_invitee_mail

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
