"""The committees' side of the timeline: a milestone that is a meeting and that meeting share one date.

The core announces (kehila.signals); this module listens, connected in CommitteesConfig.ready(). The
link is `Meeting.milestone`, held here. Every write goes through committees' services, in the sender's
transaction: a re-plan and the meetings that follow it commit together.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from kehila import timeline as engine
from kehila.models import Milestone, Program, milestone_title
from kehila.permissions import SYSTEM
from kehila.profile import MAX_REMINDER_DAYS
from kehila.rows import date_formatter
from kehila.scheduling import (
    INVITATIONS_AHEAD,
    MEETING_KINDS,
    MEETING_TZ,
    MEETINGS_AHEAD,
    REMINDERS_AHEAD,
    committee_of,
    meeting_times,
    milestone_hold,
    timeline_preview,
)

from . import services
from .models import Meeting

logger = logging.getLogger(__name__)

REMINDER_CHOICE_AHEAD = timedelta(days=MAX_REMINDER_DAYS)


def meeting_day(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(MEETING_TZ).date()


def on_tick_started(sender, *, program: Program, today: date, **kwargs) -> None:
    """A milestone whose meeting was held is held on the meeting's day."""
    meetings = Meeting.objects.filter(
        milestone__program=program,
        milestone__status=Milestone.Status.PLANNED,
        status__in=(Meeting.Status.HELD, Meeting.Status.MINUTED),
    ).select_related("milestone")
    for meeting in meetings:
        try:
            milestone_hold(milestone=meeting.milestone, actual=meeting_day(meeting), actor=SYSTEM)
        except ValidationError:
            logger.warning("program %s: meeting of %s held out of order", program.pk, meeting.pk)


def on_tick(sender, *, program: Program, today: date, **kwargs) -> dict:
    rescheduled = follow_milestones(program=program, actor=SYSTEM)
    created = _create_meetings(program, today)
    invited, reminded = _invite_and_remind(program, today)
    return {
        "rescheduled": rescheduled,
        "meetings": created,
        "invited": invited,
        "reminded": reminded,
    }


def on_milestones_moved(sender, *, program: Program, milestone_ids, actor, **kwargs) -> None:
    follow_milestones(program=program, actor=actor, milestone_ids=milestone_ids)


def follow_milestones(*, program: Program, actor, milestone_ids=None) -> int:
    """An open meeting whose planned milestone moved is moved with it (invitees are told)."""
    meetings = Meeting.objects.filter(
        milestone__program=program,
        milestone__status=Milestone.Status.PLANNED,
        status__in=(Meeting.Status.PLANNED, Meeting.Status.INVITED),
    ).select_related("milestone")
    if milestone_ids is not None:
        meetings = meetings.filter(milestone_id__in=milestone_ids)
    moved = 0
    for meeting in meetings:
        row = meeting.milestone
        if meeting_day(meeting) == row.planned:
            continue
        starts_at, ends_at = meeting_times(row.key, row.planned)
        try:
            services.meeting_follow_milestone(
                meeting=meeting, starts_at=starts_at, ends_at=ends_at, actor=actor
            )
            moved += 1
        except ValidationError:
            logger.warning("program %s: cannot move the meeting of %s", program.pk, row.key)
    return moved


def _create_meetings(program: Program, today: date) -> int:
    rows = list(
        Milestone.objects.filter(
            program=program,
            status=Milestone.Status.PLANNED,
            meeting__isnull=True,
            planned__gte=today,
            planned__lte=today + MEETINGS_AHEAD,
        )
    )
    if not rows:
        return 0
    # One transaction for the program's new meetings, each in a savepoint of its own: a meeting that
    # cannot be created leaves the others be, and the program pays one flush to disk, not one per
    # meeting. Nothing is sent from here, so nothing goes out before the commit.
    with transaction.atomic():
        return sum(_create_meeting(program, row) for row in rows)


def _create_meeting(program: Program, row: Milestone) -> int:
    kind = MEETING_KINDS.get(committee_of(row.key))
    if kind is None:
        return 0
    parts = engine.parse_key(row.key)
    starts_at, ends_at = meeting_times(row.key, row.planned)
    with translation.override(settings.LANGUAGE_CODE):
        title = milestone_title(row.key)
    try:
        with transaction.atomic():
            committee = services.committee_for_kind(
                municipality=program.municipality, kind=kind, track=parts.track or ""
            )
            committee.municipality = program.municipality  # the same row: not read again
            meeting = services.meeting_schedule(
                committee=committee,
                title=title,
                starts_at=starts_at,
                ends_at=ends_at,
                actor=SYSTEM,
                idempotency_key=f"milestone:{program.pk}:{row.key}",
            )
            return Meeting.objects.filter(pk=meeting.pk, milestone__isnull=True).update(
                milestone=row
            )
    except ValidationError:
        # e.g. the committee already meets at that hour: the manager sees the milestone without
        # a meeting on the timeline and schedules it by hand.
        logger.warning("program %s: cannot create the meeting of %s", program.pk, row.key)
        return 0


def _invite_and_remind(program: Program, today: date) -> tuple[int, int]:
    invited = reminded = 0
    meetings = Meeting.objects.filter(
        milestone__program=program,
        milestone__status=Milestone.Status.PLANNED,
        milestone__planned__gte=today,
        milestone__planned__lte=today + INVITATIONS_AHEAD,
    ).select_related("milestone")
    for meeting in meetings:
        # Once invited, the committees app keeps the invitation list; we only remind from then on.
        if meeting.status == Meeting.Status.PLANNED:
            invited += services.invitations_send(meeting=meeting, actor=SYSTEM)
        elif (
            meeting.status == Meeting.Status.INVITED
            # as early as anyone may choose (My account); each invitee is reminded on their own day
            and meeting.milestone.planned <= today + max(REMINDERS_AHEAD, REMINDER_CHOICE_AHEAD)
        ):
            reminded += services.reminders_send(meeting=meeting, actor=SYSTEM, as_each_chose=True)
    return invited, reminded


def move_preview(meeting: Meeting, starts_at) -> dict | None:
    """What moving this meeting to `starts_at`'s day would move on the timeline (None when the meeting
    is no milestone's or stays on its day). Writes nothing; the engine's refusal is raised as the
    ValidationError the save would raise."""
    if not meeting.milestone_id:
        return None
    milestone = Milestone.objects.select_related("program").get(pk=meeting.milestone_id)
    day = starts_at.astimezone(MEETING_TZ).date()
    if day == (milestone.actual or milestone.planned):
        return None
    action = "hold" if milestone.status == Milestone.Status.HELD else "pin"
    changes = timeline_preview(
        program=milestone.program, key=milestone.key, when=day, action=action
    )
    short = date_formatter()
    return {
        "day": day.isoformat(),
        "milestone": milestone_title(milestone.key),
        "changes": [
            {"title": milestone_title(c.key), "old": short(c.old), "new": short(c.new)}
            for c in changes
        ],
    }


def on_program_day(sender, *, program: Program, today: date, **kwargs) -> dict:
    """Every program's day, scope decided or not: action items' reminders."""
    return {"action_item_reminders": services.action_items_tick(program=program, today=today)}
