"""The timeline engine's keys: unknown input is refused by name; keys parse and have titles. Pure:
no database, no Django settings."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kehila.timeline import (
    KEY_KINDS,
    TRACKS,
    KeyParts,
    Offset,
    TimelineError,
    parse_key,
    rule_name,
    title,
)
from tests.kehila.timeline_plan_helpers import T0, plan

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
