"""The timeline engine's held and pinned dates, and the order they must keep. Pure: no database, no
Django settings."""

from __future__ import annotations

from datetime import date

import pytest

from kehila.timeline import TimelineError, diff
from tests.kehila.timeline_plan_helpers import T0, by_key, dates, dependents_of, plan

# --- held and pinned ----------------------------------------------------------------------------


def test_a_held_slip_moves_every_dependent():
    before = plan(t0=T0, tracks=["social", "urban"])
    after = plan(t0=T0, tracks=["social", "urban"], held={"design_2": date(2027, 5, 2)})
    result = dates(after)

    assert result["design_2"] == date(2027, 5, 2)
    assert result["launch_conference"] == date(2027, 5, 16)
    assert result["design_3"] == date(2027, 5, 30)
    assert result["team_social_1"] == date(2027, 6, 13)
    assert result["team_urban_4"] == date(2027, 7, 25)
    assert result["design_4"] == date(2027, 8, 8)
    assert result["plan_approval"] == date(2027, 9, 5)
    assert result["hackathon"] == date(2027, 6, 16)
    assert result["pilot_review"] == date(2028, 3, 16)
    moved = {change.key for change in diff(before, after)}
    assert moved == {"design_2"} | dependents_of("design_2", after)
    assert "design_1" not in moved


def test_a_held_milestone_keeps_its_date_even_on_a_non_working_day():
    result = by_key(plan(t0=T0, tracks=[], held={"design_1": date(2027, 1, 23)}))  # Saturday

    assert result["design_1"].date == date(2027, 1, 23)
    assert result["design_1"].held
    assert not result["design_1"].shifted
    assert result["design_1"].computed == date(2027, 1, 24)  # what the rules had planned
    assert result["design_2"].date == date(2027, 4, 25)  # Fri 23 Apr -> Sunday


def test_a_pin_keeps_its_date_and_dependents_follow():
    result = by_key(plan(t0=T0, tracks=[], pinned={"launch_conference": date(2027, 5, 20)}))

    assert result["launch_conference"].date == date(2027, 5, 20)
    assert result["launch_conference"].pinned
    assert not result["launch_conference"].held
    assert result["design_3"].date == date(2027, 6, 3)
    assert result["hackathon"].date == date(2027, 6, 20)
    assert result["design_2"].date == date(2027, 4, 25)  # predecessors do not move


def test_a_pin_on_a_friday_is_kept_as_is():
    result = by_key(plan(t0=T0, tracks=[], pinned={"hackathon": date(2027, 6, 11)}))

    assert result["hackathon"].date == date(2027, 6, 11)
    assert result["pilot_measurement"].date == date(2027, 12, 12)  # Sat 11 Dec -> Sunday


def test_held_wins_over_pinned_for_the_same_key():
    result = by_key(
        plan(
            t0=T0,
            tracks=[],
            held={"design_1": date(2027, 1, 25)},
            pinned={"design_1": date(2027, 1, 28)},
        )
    )

    assert result["design_1"].date == date(2027, 1, 25)
    assert result["design_1"].held
    assert not result["design_1"].pinned


def test_a_held_date_before_its_predecessor_raises_naming_the_key_and_both_dates():
    with pytest.raises(TimelineError) as caught:
        plan(t0=T0, tracks=[], held={"design_2": date(2027, 1, 20)})

    error = caught.value
    assert error.code == "not_after_predecessor"
    assert "design_2" in error.message
    assert "2027-01-20" in error.message
    assert "design_1" in error.message
    assert "2027-01-24" in error.message
    assert error.params["predecessor"] == "design_1"
    assert error.params["predecessor_date"] == date(2027, 1, 24)


def test_a_held_date_on_the_same_day_as_its_predecessor_raises():
    with pytest.raises(TimelineError, match="design_1"):
        plan(t0=T0, tracks=[], held={"design_1": T0})


def test_a_pinned_date_before_a_held_predecessor_raises():
    with pytest.raises(TimelineError, match="pinned date of design_2"):
        plan(
            t0=T0,
            tracks=[],
            held={"design_1": date(2027, 3, 1)},
            pinned={"design_2": date(2027, 2, 1)},
        )


def test_a_held_design_4_must_follow_every_last_team_meeting():
    pinned = {"team_social_4": date(2027, 8, 5)}

    with pytest.raises(TimelineError, match="team_social_4"):
        plan(
            t0=T0,
            tracks=["social", "urban"],
            pinned=pinned,
            held={"design_4": date(2027, 8, 1)},
        )
