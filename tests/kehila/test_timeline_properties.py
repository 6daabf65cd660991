"""The timeline engine by property: its invariants hold for any start, tracks and offsets. Pure: no
database, no Django settings."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from kehila.timeline import DEFAULT_OFFSETS, TRACKS, Offset, PlannedMilestone, diff, parse_key
from tests.kehila.timeline_plan_helpers import (
    by_key,
    dates,
    dependents_of,
    is_working_day,
    next_working_day,
    plan,
    regular_meetings,
)

# --- properties ---------------------------------------------------------------------------------

t0s = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31))
track_sets = st.sets(st.sampled_from(TRACKS))
offset_overrides = st.dictionaries(
    st.sampled_from(sorted(DEFAULT_OFFSETS)),
    st.builds(Offset, days=st.integers(1, 60), months=st.integers(0, 4)),
)


def assert_chain_invariants(milestones: list[PlannedMilestone]) -> None:
    result = by_key(milestones)
    assert len(result) == len(milestones)
    for m in milestones:
        if not m.held and not m.pinned:
            assert is_working_day(m.date), m
            assert m.date >= m.computed
        for dep in m.depends_on:
            assert m.date > result[dep].date, (m.key, dep)
    assert [m.date for m in milestones] == sorted(m.date for m in milestones)


@settings(deadline=None)
@given(t0=t0s, tracks=track_sets)
def test_no_planned_milestone_is_on_a_non_working_day_or_before_its_dependencies(t0, tracks):
    assert_chain_invariants(plan(t0=t0, tracks=tracks))


@settings(deadline=None)
@given(t0=t0s, tracks=track_sets, offsets=offset_overrides)
def test_the_invariants_hold_under_any_positive_offsets(t0, tracks, offsets):
    assert_chain_invariants(plan(t0=t0, tracks=tracks, offsets=offsets))


@settings(deadline=None)
@given(t0=t0s, tracks=track_sets)
def test_design_4_follows_the_latest_team_meeting(t0, tracks):
    result = dates(plan(t0=t0, tracks=tracks))

    last = [result[f"team_{t}_4"] for t in tracks] or [result["design_3"]]
    assert result["design_4"] == next_working_day(max(last) + timedelta(days=14))


@settings(deadline=None)
@given(t0=t0s, tracks=track_sets, data=st.data())
def test_a_held_slip_never_pulls_anything_earlier_and_moves_only_dependents(t0, tracks, data):
    before = plan(t0=t0, tracks=tracks)
    slipped = data.draw(st.sampled_from([m for m in before if m.key != "scope_decision"]))
    delay = data.draw(st.integers(1, 60))

    after = plan(t0=t0, tracks=tracks, held={slipped.key: slipped.date + timedelta(delay)})

    old, new = dates(before), dates(after)
    assert all(new[key] >= old[key] for key in old)
    moved = {change.key for change in diff(before, after)}
    assert moved <= {slipped.key} | dependents_of(slipped.key, after)
    assert slipped.key in moved
    assert_chain_invariants(after)


@settings(deadline=None)
@given(t0=t0s, tracks=track_sets, offsets=offset_overrides)
def test_regular_meetings_avoid_milestone_months_and_fall_on_working_days(t0, tracks, offsets):
    milestones = plan(t0=t0, tracks=tracks, offsets=offsets)
    scope = by_key(milestones)["scope_decision"].date
    design_1 = by_key(milestones)["design_1"].date

    def month(d: date) -> tuple[int, int]:
        return (d.year, d.month)

    milestone_months = {
        "steering": {month(m.date) for m in milestones if m.committee == "steering"},
        "design": {month(m.date) for m in milestones if parse_key(m.key).kind == "design"},
    }
    meetings = regular_meetings(milestones)
    for meeting in meetings:
        assert is_working_day(meeting.date)
        assert month(meeting.date) not in milestone_months[meeting.committee]
        assert parse_key(meeting.key).month == meeting.date.replace(day=1)
        assert scope < meeting.date < scope.replace(day=1) + relativedelta(months=12)
        if meeting.committee == "design":
            assert meeting.date > design_1
    for committee in ("steering", "design"):
        in_months = [month(m.date) for m in meetings if m.committee == committee]
        assert len(in_months) == len(set(in_months))
    assert len([m for m in meetings if m.committee == "steering"]) <= 3
