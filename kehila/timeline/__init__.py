"""The program timeline engine: pure rules over dates, no Django, no ORM, no clock.

The portal shows, previews and schedules a municipality's milestones from one function (`plan`), so
that the dashboard, the "what would move" preview and the reminder scheduler cannot disagree about a
date. Everything here is deterministic in its arguments: the caller loads the municipality's T0,
tracks, offset overrides, held and pinned dates, and persists whatever it wants from the result.

Errors are `TimelineError` with a plain English message *and* a stable `code` plus `params`, because
the Django side translates messages itself and must not parse English.

Terms:
- *key*: a concrete milestone, e.g. ``design_2`` or ``team_social_3``; stable, stored in the
  database.
- *rule name*: what an offset is attached to; the key itself, except that the four work-team
  meetings share ``team_1`` … ``team_4`` across tracks (one override moves every track alike).
- *kind*: the key family used for titles and translation (``design``, ``team``, ...), see
  `parse_key` and `KEY_KINDS`.

One module per part: `rules` (the table, what a plan is made of, the error), `keys`, `working_days`
(the calendars), `chain` (`plan` and `diff`), `regular` (the regular meetings), `slips`. Everything is
imported from here, `kehila.timeline`.
"""

from .chain import diff, plan
from .keys import KEY_KINDS, KeyParts, parse_key, rule_name, title
from .regular import regular_meetings
from .rules import (
    COMMITTEES,
    DEFAULT_OFFSETS,
    RULES,
    TEAM_MEETINGS_PER_TRACK,
    TRACKS,
    Change,
    Committee,
    Offset,
    PlannedMilestone,
    Rule,
    TimelineError,
)
from .slips import municipality_slip, next_not_held, slip_days, slip_severity
from .working_days import (
    AVOIDABLE_KINDS,
    COMMUNITIES,
    DEFAULT_CALENDAR,
    HOLIDAY_KINDS,
    SUNDAY_TO_THURSDAY,
    CalendarProfile,
    DayOff,
    day_off,
    is_working_day,
    near_holiday,
    next_working_day,
)

__all__ = [
    "AVOIDABLE_KINDS",
    "COMMITTEES",
    "COMMUNITIES",
    "DEFAULT_CALENDAR",
    "DEFAULT_OFFSETS",
    "HOLIDAY_KINDS",
    "KEY_KINDS",
    "SUNDAY_TO_THURSDAY",
    "RULES",
    "TEAM_MEETINGS_PER_TRACK",
    "TRACKS",
    "CalendarProfile",
    "Change",
    "Committee",
    "DayOff",
    "KeyParts",
    "Offset",
    "PlannedMilestone",
    "Rule",
    "TimelineError",
    "day_off",
    "diff",
    "is_working_day",
    "near_holiday",
    "next_not_held",
    "next_working_day",
    "parse_key",
    "plan",
    "regular_meetings",
    "rule_name",
    "municipality_slip",
    "slip_days",
    "slip_severity",
    "title",
]
