"""Helpers for the timeline engine's tests: plans on the state's calendar, and ways to read them.

These tests are about the rules (offsets, held, pinned, order) on the state's calendar: Friday,
Saturday and public holidays. The municipalities' calendar profiles (eves, Chol HaMoed, other
communities' holidays) are tested in test_calendar.py."""

from __future__ import annotations

from datetime import date

from kehila import timeline
from kehila.timeline import CalendarProfile, PlannedMilestone

PUBLIC_ONLY = CalendarProfile(avoid=())


def plan(**kwargs) -> list[PlannedMilestone]:
    return timeline.plan(profile=PUBLIC_ONLY, **kwargs)


def regular_meetings(milestones, **kwargs) -> list[PlannedMilestone]:
    return timeline.regular_meetings(milestones, profile=PUBLIC_ONLY, **kwargs)


def is_working_day(d: date, profile: CalendarProfile = PUBLIC_ONLY) -> bool:
    return timeline.is_working_day(d, profile)


def next_working_day(d: date) -> date:
    return timeline.next_working_day(d, PUBLIC_ONLY)


T0 = date(2027, 1, 10)  # a Sunday


def dates(milestones: list[PlannedMilestone]) -> dict[str, date]:
    return {m.key: m.date for m in milestones}


def by_key(milestones: list[PlannedMilestone]) -> dict[str, PlannedMilestone]:
    return {m.key: m for m in milestones}


def dependents_of(key: str, milestones: list[PlannedMilestone]) -> set[str]:
    """Every key that transitively depends on `key`."""
    found: set[str] = set()
    frontier = {key}
    while frontier:
        frontier = {m.key for m in milestones if set(m.depends_on) & frontier} - found
        found |= frontier
    return found
