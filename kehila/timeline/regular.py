"""The year-one regular meetings of the steering and design committees, around the milestone chain."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .rules import (
    PlannedMilestone,
    TimelineError,
    _require_date,
)
from .working_days import DEFAULT_CALENDAR, CalendarProfile, is_working_day, next_working_day

_MILESTONE_KEYS: Mapping[str, frozenset[str]] = {
    "steering": frozenset({"scope_decision", "plan_approval"}),
    "design": frozenset({f"design_{n}" for n in range(1, 6)}),
}


def _month_index(start: date, d: date) -> int:
    return (d.year - start.year) * 12 + d.month - start.month


def _regular_date(month_start: date, day: int, profile: CalendarProfile) -> tuple[date, date]:
    """(raw, actual) date of a regular meeting in the month that starts at `month_start`.

    Raw is T0's day-of-month, clamped to the month's length; actual is the first working day on or
    after it, or, if the month runs out first, the last working day before it. Keeps a committee on
    a steady rhythm ("around the 10th") without leaking into the next month's slot.
    """
    last = calendar.monthrange(month_start.year, month_start.month)[1]
    raw = month_start.replace(day=min(day, last))
    actual = next_working_day(raw, profile)
    if actual.month != raw.month:
        actual = raw - timedelta(days=1)
        while not is_working_day(actual, profile):
            actual -= timedelta(days=1)
    return raw, actual


def regular_meetings(
    milestones: Sequence[PlannedMilestone],
    *,
    t0: date | None = None,
    profile: CalendarProfile = DEFAULT_CALENDAR,
) -> list[PlannedMilestone]:
    """Propose the year-one routine meetings that the milestone chain does not already cover.

    Rule (kept simple so a manager can predict it): the year is the 12 calendar months starting
    with T0's month (T0 defaults to the plan's scope_decision date).
    - Steering committee, quarterly: months 3, 6 and 9 after T0's month (month 0 is the scope
      decision itself).
    - Design committee, monthly: every month after the month of design_1 (the committee does not
      meet before it is convened).
    A month that already holds a milestone meeting of that committee (steering: scope_decision,
    plan_approval; design: design_1..design_5 - the launch conference does not count) gets no
    regular meeting, so nobody is summoned twice in a month. The day is T0's day-of-month, moved to
    the first working day on or after it within the month (see `_regular_date`).
    """
    by_key = {m.key: m for m in milestones}
    if t0 is None:
        if "scope_decision" not in by_key:
            raise TimelineError(
                "regular_meetings needs t0 or a plan containing scope_decision",
                code="unknown_keys",
                params={"keys": ["scope_decision"]},
            )
        t0 = by_key["scope_decision"].date
    _require_date(t0, "t0")
    first = t0.replace(day=1)

    busy: dict[str, set[int]] = {committee: set() for committee in _MILESTONE_KEYS}
    for committee, keys in _MILESTONE_KEYS.items():
        for key in keys & by_key.keys():
            busy[committee].add(_month_index(first, by_key[key].date))

    months: dict[str, Iterable[int]] = {"steering": (3, 6, 9)}
    design_start = _month_index(first, by_key["design_1"].date) + 1 if "design_1" in by_key else 1
    months["design"] = range(max(design_start, 1), 12)
    depends = {"steering": ("scope_decision",), "design": ("design_1",)}

    out: list[PlannedMilestone] = []
    for committee in ("steering", "design"):
        for index in months[committee]:
            if index in busy[committee]:
                continue
            month_start = first + relativedelta(months=index)
            raw, when = _regular_date(month_start, t0.day, profile)
            out.append(
                PlannedMilestone(
                    key=f"{committee}_regular_{month_start:%Y_%m}",
                    committee=committee,  # type: ignore[arg-type]
                    track=None,
                    date=when,
                    depends_on=tuple(k for k in depends[committee] if k in by_key),
                    computed=raw,
                    shifted=when != raw,
                    held=False,
                    pinned=False,
                )
            )
    return sorted(out, key=lambda m: (m.date, m.committee != "steering", m.key))
