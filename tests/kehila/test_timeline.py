"""The timeline engine, by example and by property. Pure: no database, no Django settings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from kehila import timeline
from kehila.timeline import (
    DEFAULT_OFFSETS,
    KEY_KINDS,
    RULES,
    TRACKS,
    CalendarProfile,
    Change,
    KeyParts,
    Offset,
    PlannedMilestone,
    TimelineError,
    diff,
    parse_key,
    rule_name,
    title,
)

# This file is about the rules (offsets, held, pinned, order) on the state's calendar: Friday,
# Saturday and public holidays. The municipalities' calendar profiles (eves, Chol HaMoed, other
# communities' holidays) are tested in test_calendar.py.
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


# --- every rule by example ----------------------------------------------------------------------


def test_it_dates_every_rule_for_a_t0_of_2027_01_10_with_social_and_urban():
    result = dates(plan(t0=T0, tracks=["social", "urban"]))

    assert result == {
        "scope_decision": date(2027, 1, 10),
        "design_1": date(2027, 1, 24),  # T0 + 14 days
        "design_2": date(2027, 4, 25),  # + 3 months = Sat 24 Apr, moved to Sunday
        "launch_conference": date(2027, 5, 9),  # + 14 days
        "design_3": date(2027, 5, 23),  # + 14 days
        "team_urban_1": date(2027, 6, 6),  # design_3 + 14 days
        "team_urban_2": date(2027, 6, 20),
        "team_urban_3": date(2027, 7, 4),
        "team_urban_4": date(2027, 7, 18),
        "team_social_1": date(2027, 6, 6),
        "team_social_2": date(2027, 6, 20),
        "team_social_3": date(2027, 7, 4),
        "team_social_4": date(2027, 7, 18),
        "design_4": date(2027, 8, 1),  # latest fourth team meeting + 14 days
        "design_5": date(2027, 8, 15),
        "plan_approval": date(2027, 8, 29),
        "hackathon": date(2027, 6, 9),  # launch conference + 1 month
        "pilot_measurement": date(2027, 12, 9),  # hackathon + 6 months
        "pilot_review": date(2028, 3, 9),  # hackathon + 9 months
    }


def test_it_records_committees_tracks_and_dependencies():
    result = by_key(plan(t0=T0, tracks=["social", "urban"]))

    assert result["scope_decision"].committee == "steering"
    assert result["plan_approval"].committee == "steering"
    assert result["design_3"].committee == "design"
    assert result["launch_conference"].committee == "event"
    assert result["hackathon"].committee == "event"
    assert result["pilot_review"].committee == "pilot"
    assert result["team_social_2"].committee == "team"
    assert result["team_social_2"].track == "social"
    assert result["design_1"].track is None
    assert result["team_social_1"].depends_on == ("design_3",)
    assert result["team_social_2"].depends_on == ("team_social_1",)
    assert result["design_4"].depends_on == ("team_urban_4", "team_social_4")
    assert result["pilot_review"].depends_on == ("hackathon",)


def test_it_orders_by_date_then_by_chain_order_with_tracks_in_canonical_order():
    keys = [m.key for m in plan(t0=T0, tracks=["social", "urban"])]

    assert keys[:7] == [
        "scope_decision",
        "design_1",
        "design_2",
        "launch_conference",
        "design_3",
        "team_urban_1",  # same day as team_social_1: urban comes first in TRACKS
        "team_social_1",
    ]
    assert keys.index("hackathon") == keys.index("team_social_1") + 1
    assert keys[-2:] == ["pilot_measurement", "pilot_review"]


def test_it_plans_the_same_whatever_order_or_duplicates_the_tracks_come_in():
    assert plan(t0=T0, tracks=["social", "urban"]) == plan(
        t0=T0, tracks=("urban", "social", "urban")
    )


def test_it_has_no_team_meetings_without_tracks_and_design_4_follows_design_3():
    result = dates(plan(t0=T0, tracks=[]))

    assert not [key for key in result if key.startswith("team_")]
    assert result["design_3"] == date(2027, 5, 23)
    assert result["design_4"] == date(2027, 6, 6)


def test_it_plans_four_meetings_for_every_chosen_track():
    result = dates(plan(t0=T0, tracks=TRACKS))

    for track in TRACKS:
        assert [result[f"team_{track}_{n}"] for n in range(1, 5)] == [
            date(2027, 6, 6),
            date(2027, 6, 20),
            date(2027, 7, 4),
            date(2027, 7, 18),
        ]


# --- working days -------------------------------------------------------------------------------


def test_sunday_to_thursday_are_working_days_and_friday_saturday_are_not():
    week = [date(2027, 1, 10) + timedelta(days=i) for i in range(7)]  # Sun 10 .. Sat 16

    assert [is_working_day(d) for d in week] == [True, True, True, True, True, False, False]


def test_next_working_day_returns_a_working_day_itself():
    assert next_working_day(date(2027, 1, 13)) == date(2027, 1, 13)


def test_next_working_day_skips_a_weekend_into_rosh_hashanah():
    # Fri 1 Oct, Sat 2 Oct (Rosh Hashanah), Sun 3 Oct (Rosh Hashanah) -> Monday
    assert next_working_day(date(2027, 10, 1)) == date(2027, 10, 4)


def test_the_holidays_package_marks_yom_kippur_2027_on_monday_11_october():
    marked = holidays.country_holidays("IL", years=2027)

    assert marked.get(date(2027, 10, 11)) == "Yom Kippur"
    assert not is_working_day(date(2027, 10, 11))


def test_with_nothing_optional_avoided_only_public_holidays_stop_work():
    public_only = CalendarProfile(avoid=())

    assert not is_working_day(date(2027, 4, 22), public_only)  # Pesach
    assert not is_working_day(date(2027, 5, 12), public_only)  # Independence Day
    assert is_working_day(
        date(2027, 4, 25), public_only
    )  # Hol HaMoed Pesach (an "optional" holiday)
    assert is_working_day(date(2027, 3, 23), public_only)  # Purim
    assert is_working_day(date(2027, 10, 10), public_only)  # Yom Kippur eve


def test_independence_day_counts_on_its_observed_date():
    # 2028: 5 Iyar falls on a Sunday; the state observes it on Tuesday 2 May.
    assert not is_working_day(date(2028, 5, 2))


def test_a_computed_date_on_a_friday_moves_to_sunday():
    # The scope decision took place on a Friday, so T0 + 14 days is a Friday too.
    result = by_key(plan(t0=T0, tracks=[], held={"scope_decision": date(2027, 2, 5)}))

    assert result["design_1"].computed == date(2027, 2, 19)  # Friday
    assert result["design_1"].date == date(2027, 2, 21)  # Sunday
    assert result["design_1"].shifted


def test_dependents_are_computed_from_the_moved_date():
    result = by_key(plan(t0=T0, tracks=[], held={"scope_decision": date(2027, 2, 5)}))

    # From the moved Sunday 21 Feb, not from the raw Friday 19 Feb (which would give Wed 19 May).
    assert result["design_2"].computed == date(2027, 5, 21)
    assert result["design_2"].date == date(2027, 5, 23)


def test_a_planned_t0_on_a_saturday_moves_to_sunday():
    result = by_key(plan(t0=date(2027, 1, 9), tracks=[]))

    assert result["scope_decision"].date == date(2027, 1, 10)
    assert result["scope_decision"].shifted
    assert result["design_1"].date == date(2027, 1, 24)


def test_a_computed_date_on_yom_kippur_moves_to_the_next_working_day():
    result = by_key(plan(t0=date(2027, 9, 27), tracks=[]))

    assert result["design_1"].computed == date(2027, 10, 11)  # Yom Kippur, a Monday
    assert result["design_1"].date == date(2027, 10, 12)
    assert result["design_1"].shifted


def test_an_unshifted_milestone_says_so():
    result = by_key(plan(t0=T0, tracks=[]))

    assert not result["design_1"].shifted
    assert result["design_1"].computed == result["design_1"].date


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


# --- unknown input ------------------------------------------------------------------------------


def test_an_unknown_track_raises_naming_it():
    with pytest.raises(TimelineError, match="sports") as caught:
        plan(t0=T0, tracks=["social", "sports"])

    assert caught.value.code == "unknown_tracks"
    assert caught.value.params["tracks"] == ["sports"]


def test_a_bare_string_of_tracks_is_refused_rather_than_split_into_letters():
    with pytest.raises(TimelineError, match="social"):
        plan(t0=T0, tracks="social")


@pytest.mark.parametrize("where", ["held", "pinned"])
def test_an_unknown_key_raises_naming_it(where):
    with pytest.raises(TimelineError, match="design_9") as caught:
        plan(t0=T0, tracks=[], **{where: {"design_9": date(2027, 2, 1)}})

    assert caught.value.code == "unknown_keys"


def test_a_team_key_of_a_track_not_chosen_is_unknown():
    with pytest.raises(TimelineError, match="team_economic_1"):
        plan(t0=T0, tracks=["social"], held={"team_economic_1": date(2027, 6, 6)})


def test_an_unknown_offset_name_raises_naming_it():
    with pytest.raises(TimelineError, match="mapping") as caught:
        plan(t0=T0, tracks=[], offsets={"mapping": Offset(months=2)})

    assert caught.value.code == "unknown_offsets"


@pytest.mark.parametrize("bad", [{}, {"days": -1}, {"months": -1}, {"days": 0, "months": 0}])
def test_an_offset_must_be_positive(bad):
    with pytest.raises(TimelineError) as caught:
        Offset(**bad)

    assert caught.value.code == "bad_offset"


def test_a_datetime_is_refused_as_t0():
    with pytest.raises(TypeError):
        plan(t0=datetime(2027, 1, 10, 9, 0), tracks=[])


# --- offsets ------------------------------------------------------------------------------------


def test_offsets_override_the_defaults():
    result = dates(
        plan(
            t0=T0,
            tracks=["social", "urban"],
            offsets={"design_2": Offset(months=2), "team_2": Offset(days=7)},
        )
    )

    assert result["design_2"] == date(2027, 3, 24)  # two months of mapping instead of three
    assert result["launch_conference"] == date(2027, 4, 7)
    assert result["team_social_1"] == date(2027, 5, 5)
    assert result["team_social_2"] == date(2027, 5, 12) + timedelta(days=1)  # Independence Day
    assert result["team_urban_2"] == result["team_social_2"]  # team offsets apply to every track


def test_an_offset_may_combine_months_and_days():
    result = dates(plan(t0=T0, tracks=[], offsets={"hackathon": Offset(months=1, days=3)}))

    assert result["hackathon"] == date(2027, 6, 13)  # 9 May + 1 month = 9 Jun, + 3 days = Sun


def test_month_offsets_clamp_to_the_end_of_a_shorter_month():
    # Held design_1 on 30 Nov 2027 + 3 months = 29 Feb 2028 (leap year), a Tuesday.
    result = dates(plan(t0=T0, tracks=[], held={"design_1": date(2027, 11, 30)}))

    assert result["design_2"] == date(2028, 2, 29)


def test_default_offsets_cover_every_rule_but_the_scope_decision():
    assert set(DEFAULT_OFFSETS) == set(RULES) - {"scope_decision"}
    assert DEFAULT_OFFSETS["design_2"] == Offset(months=3)
    assert DEFAULT_OFFSETS["pilot_review"] == Offset(months=9)


# --- design_4 -----------------------------------------------------------------------------------


def test_design_4_follows_the_latest_team_meeting_of_any_track():
    result = dates(
        plan(t0=T0, tracks=["social", "urban"], pinned={"team_social_3": date(2027, 7, 15)})
    )

    assert result["team_urban_4"] == date(2027, 7, 18)
    assert result["team_social_4"] == date(2027, 7, 29)
    assert result["design_4"] == date(2027, 8, 12)


# --- regular meetings ---------------------------------------------------------------------------


def test_regular_meetings_fill_the_months_without_a_milestone_meeting():
    milestones = plan(t0=T0, tracks=["social", "urban"])

    result = [(m.key, m.date) for m in regular_meetings(milestones, t0=T0)]

    # design milestones fall in Jan, Apr, May, Aug; steering ones in Jan and Aug.
    assert result == [
        ("design_regular_2027_02", date(2027, 2, 10)),
        ("design_regular_2027_03", date(2027, 3, 10)),
        ("steering_regular_2027_04", date(2027, 4, 11)),  # Sat 10 Apr -> Sunday
        ("design_regular_2027_06", date(2027, 6, 10)),
        ("steering_regular_2027_07", date(2027, 7, 11)),
        ("design_regular_2027_07", date(2027, 7, 11)),
        ("design_regular_2027_09", date(2027, 9, 12)),
        ("steering_regular_2027_10", date(2027, 10, 10)),
        ("design_regular_2027_10", date(2027, 10, 10)),
        ("design_regular_2027_11", date(2027, 11, 10)),
        ("design_regular_2027_12", date(2027, 12, 12)),
    ]


def test_regular_meetings_default_t0_to_the_plans_scope_decision():
    milestones = plan(t0=T0, tracks=[])

    assert regular_meetings(milestones) == regular_meetings(milestones, t0=T0)


def test_regular_meetings_skip_a_quarter_that_holds_the_plan_approval():
    # Without tracks plan_approval lands in July, the second quarterly month.
    milestones = plan(t0=T0, tracks=[])
    assert dates(milestones)["plan_approval"].month == 7

    keys = [m.key for m in regular_meetings(milestones) if m.committee == "steering"]

    assert keys == ["steering_regular_2027_04", "steering_regular_2027_10"]


def test_a_regular_meeting_stays_in_its_month_when_the_month_end_is_a_weekend():
    # T0 on the 31st: April 2027 clamps to Fri 30 Apr; the next working day is in May,
    # so the meeting takes the last working day of April instead.
    milestones = plan(t0=date(2027, 1, 31), tracks=[])

    result = {m.key: m for m in regular_meetings(milestones)}

    assert result["steering_regular_2027_04"].date == date(2027, 4, 29)
    assert result["steering_regular_2027_04"].computed == date(2027, 4, 30)
    assert result["steering_regular_2027_04"].shifted
    assert result["design_regular_2027_04"].date == date(2027, 4, 29)


def test_regular_meetings_carry_titles_and_parse_back_to_their_month():
    (first, *_) = regular_meetings(plan(t0=T0, tracks=[]))

    assert first.key == "design_regular_2027_02"
    assert title(first.key) == "Design committee regular meeting (February 2027)"
    assert parse_key(first.key) == KeyParts(kind="design_regular", month=date(2027, 2, 1))
    assert first.depends_on == ("design_1",)


# --- diff ---------------------------------------------------------------------------------------


def test_diff_of_identical_plans_is_empty():
    assert diff(plan(t0=T0, tracks=["social"]), plan(t0=T0, tracks=["social"])) == []


def test_diff_lists_added_and_removed_keys_with_none_on_the_missing_side():
    old = plan(t0=T0, tracks=["social"])
    new = plan(t0=T0, tracks=["urban"])

    changes = diff(old, new)

    assert Change("team_urban_1", None, date(2027, 6, 6)) in changes
    assert Change("team_social_4", date(2027, 7, 18), None) in changes
    assert "design_4" not in {c.key for c in changes}  # same date either way
    key, old_date, new_date = changes[0]  # plain tuples for the caller
    assert key == "team_urban_1"


# --- keys and titles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("scope_decision", "Steering committee: scope decision"),
        ("design_1", "Design committee meeting 1"),
        ("launch_conference", "Municipal launch conference"),
        ("team_social_2", "Work team (social) meeting 2"),
        ("plan_approval", "Steering committee: strategic plan approval"),
        ("hackathon", "Hackathon"),
        ("pilot_measurement", "Pilot measurement and learning"),
        ("pilot_review", "Pilot review"),
        ("steering_regular_2027_04", "Steering committee regular meeting (April 2027)"),
    ],
)
def test_every_key_has_an_english_title(key, expected):
    assert title(key) == expected


def test_parse_key_splits_kind_track_and_number():
    assert parse_key("team_educational_4") == KeyParts(kind="team", track="educational", number=4)
    assert parse_key("design_5") == KeyParts(kind="design", number=5)
    assert parse_key("hackathon") == KeyParts(kind="hackathon")
    assert {parse_key(m.key).kind for m in plan(t0=T0, tracks=TRACKS)} <= set(KEY_KINDS)


@pytest.mark.parametrize(
    "key", ["design_6", "team_sports_1", "team_social_5", "steering_regular_2027_13", "mapping"]
)
def test_parse_key_refuses_unknown_keys(key):
    with pytest.raises(TimelineError, match=key):
        parse_key(key)


def test_rule_name_maps_team_keys_to_their_shared_offset():
    assert rule_name("team_urban_3") == "team_3"
    assert rule_name("design_2") == "design_2"


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
