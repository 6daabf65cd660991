"""The timeline engine's rules by example: dates, order, offsets, design_4, and the diff of two
plans. Pure: no database, no Django settings."""

from __future__ import annotations

from datetime import date, timedelta

from kehila.timeline import DEFAULT_OFFSETS, RULES, TRACKS, Change, Offset, diff
from tests.kehila.timeline_plan_helpers import T0, by_key, dates, plan

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
