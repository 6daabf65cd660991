"""The daily tick: one program's round (what took place, the re-plan, the stage apps' steps, the
managers' warnings and digest), how far ahead it acts, and the times of the meetings it asks for."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from .. import signals
from ..mail import Outgoing, send_many
from ..models import Milestone, Program
from ..permissions import users_who_can
from ..profile import DIGEST, language_of, wants
from .plans import committee_of
from .replan import timeline_replan

# Under the package's name: the timeline's log lines keep one logger, whichever module they come from.
logger = logging.getLogger("kehila.scheduling")

# How far ahead the tick acts. Kept here, in one place, so the page can say what the tick will do.
MEETINGS_AHEAD = timedelta(weeks=6)
INVITATIONS_AHEAD = timedelta(weeks=3)
REMINDERS_AHEAD = timedelta(days=3)
DECISIONS_AHEAD = timedelta(days=14)
DIGEST_WEEKDAY = 6  # Sunday, the first day of the Israeli working week

# Milestones that are decisions someone must take (the manager is warned ahead of them).
DECISION_KEYS = frozenset({"plan_approval", "pilot_review"})

# engine committee -> committees.Committee kind; pilot milestones are checkpoints, not meetings.
MEETING_KINDS = {"steering": "steering", "design": "design", "team": "team", "event": "gathering"}
MEETING_TZ = ZoneInfo("Asia/Jerusalem")
MEETING_START = time(17, 0)
MEETING_LENGTH = {"design": timedelta(hours=2, minutes=30)}
DEFAULT_MEETING_LENGTH = timedelta(hours=2)


def meeting_times(key: str, on: date) -> tuple[datetime, datetime]:
    starts = datetime.combine(on, MEETING_START, tzinfo=MEETING_TZ)
    return starts, starts + MEETING_LENGTH.get(committee_of(key), DEFAULT_MEETING_LENGTH)


def _managers(program: Program) -> list:
    return [
        user
        # With the profile: each e-mail's language and the digest choice without a query per person.
        for user in users_who_can(
            "receive_timeline_warnings", program.municipality_id
        ).select_related("profile")
        if user.email and user.is_active
    ]


def _mail(*, key: str, user, template: str, context: dict, program: Program) -> Outgoing:
    return Outgoing(
        key=f"{key}:{user.pk}",
        to=user.email,
        subject_template=f"kehila/email/timeline_{template}_subject.txt",
        body_template=f"kehila/email/timeline_{template}_body.txt",
        context={"user": user, "program": program, "municipality": program.municipality, **context},
        language=language_of(user),
        municipality=program.municipality,
    )


def _warn(program: Program, today: date) -> int:
    managers = _managers(program)
    if not managers:
        return 0
    rows = list(
        Milestone.objects.filter(program=program, status=Milestone.Status.PLANNED).order_by(
            "planned", "key"
        )
    )
    overdue = [m for m in rows if m.planned < today]
    decisions = [
        m for m in rows if m.key in DECISION_KEYS and today <= m.planned <= today + DECISIONS_AHEAD
    ]
    # Every day the same overdue milestones come round again: their keys are checked in one query
    # (send_many), and only what is new is rendered.
    messages = []
    for user in managers:
        for m in overdue:
            messages.append(
                _mail(
                    key=f"overdue:{m.pk}:{m.planned.isoformat()}",
                    user=user,
                    template="overdue",
                    context={"milestone": m, "days_late": (today - m.planned).days},
                    program=program,
                )
            )
        for m in decisions:
            messages.append(
                _mail(
                    key=f"decision:{m.pk}:{m.planned.isoformat()}",
                    user=user,
                    template="decision",
                    context={"milestone": m, "days_left": (m.planned - today).days},
                    program=program,
                )
            )
        # The digest is the person's to switch off (My account); the warnings are not: they are the
        # manager's accountability for the plan's dates.
        if today.weekday() == DIGEST_WEEKDAY and wants(user, DIGEST):
            year, week, _day = today.isocalendar()
            upcoming = [m for m in rows if today <= m.planned <= today + timedelta(days=14)]
            messages.append(
                _mail(
                    key=f"digest:{program.pk}:{year}-W{week:02d}",
                    user=user,
                    template="digest",
                    context={"overdue": overdue, "upcoming": upcoming, "today": today},
                    program=program,
                )
            )
    return send_many(messages)


def program_tick(*, program: Program, today: date) -> dict:
    """One program's daily round. Each step is idempotent on its own, so a re-run is harmless."""
    result = {"moved": 0, "emails": 0}
    if program.municipality.paused_at is not None:
        # Paused by HQ: nothing is planned, moved or sent (a task queued before the pause lands here).
        return result
    # The stage apps' own daily steps (e.g. action items' reminders) do not wait for the timeline's scope.
    for _receiver, counts in signals.program_day.send(sender=Program, program=program, today=today):
        for name, count in (counts or {}).items():
            result[name] = result.get(name, 0) + count
    if program.scope_decision_date is None:
        return result
    # What took place first (a held meeting holds its milestone), then the plan, then what is due.
    signals.timeline_tick_started.send(sender=Program, program=program, today=today)
    try:
        result["moved"] = len(timeline_replan(program=program))
    except ValidationError:
        logger.exception("program %s: the timeline cannot be re-planned", program.pk)
    for _receiver, counts in signals.timeline_tick.send(
        sender=Program, program=program, today=today
    ):
        for name, count in (counts or {}).items():
            result[name] = result.get(name, 0) + count
    result["emails"] = _warn(program, today)
    return result
