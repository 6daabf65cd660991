"""Slips and what is next: one definition, used by the timeline and by HQ."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def slip_days(*, baseline: date | None, planned: date, actual: date | None, today: date) -> int:
    """How many days a milestone drifted from the original plan (positive: later). Held, it is where it
    took place; not held and overdue, it slips a day for every day it is not held."""
    if baseline is None:
        return 0
    current = actual if actual is not None else max(planned, today)
    return (current - baseline).days


def municipality_slip(
    *,
    late_baseline: date | None,
    next_baseline: date | None,
    next_planned: date | None,
    today: date,
) -> int | None:
    """A municipality's slip (HQ's column) is that of whichever is later: its earliest overdue
    milestone, which slips a day for every day it is not held, or its next one. None when it has
    neither with a baseline."""
    slips = []
    if late_baseline:
        slips.append(slip_days(baseline=late_baseline, planned=today, actual=None, today=today))
    if next_baseline and next_planned:
        slips.append(
            slip_days(baseline=next_baseline, planned=next_planned, actual=None, today=today)
        )
    return max(slips) if slips else None


def slip_severity(days: int, *, alert_days: int) -> str:
    """'early', 'on_time', 'minor' (late, under the municipality's threshold: not an alarm) or 'alarm'."""
    if days < 0:
        return "early"
    if days == 0:
        return "on_time"
    return "alarm" if days >= alert_days else "minor"


def next_not_held(milestones: Iterable, *, today: date):
    """The next milestone not yet held, counted from today: the first planned one on or after today
    (an overdue one is overdue, not next). Items have `.planned` and `.is_held`; cancelled are skipped
    by the caller."""
    ahead = [m for m in milestones if not m.is_held and m.planned >= today]
    return min(ahead, key=lambda m: (m.planned, m.key), default=None)
