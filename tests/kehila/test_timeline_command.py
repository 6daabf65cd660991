"""`manage.py preview_timeline`: HQ plans a new municipality from one date, and nothing is written."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kehila import timeline as engine
from kehila.models import Milestone

pytestmark = pytest.mark.django_db

TABLE_KEYS = {
    "scope_decision",
    "design_1",
    "design_2",
    "launch_conference",
    "design_3",
    "design_4",
    "design_5",
    "plan_approval",
    "hackathon",
    "pilot_measurement",
    "pilot_review",
} | {f"team_{track}_{n}" for track in ("social", "urban") for n in range(1, 5)}


def run(*args) -> str:
    out = StringIO()
    call_command("preview_timeline", *args, stdout=out)
    return out.getvalue()


def test_it_prints_one_json_list_with_every_key_of_the_table():
    rows = json.loads(run("--scope-date", "2027-01-10", "--tracks", "social,urban", "--json"))
    assert isinstance(rows, list)
    assert TABLE_KEYS <= {r["key"] for r in rows}
    by_key = {r["key"]: r for r in rows}
    assert set(by_key["design_1"]) == {"key", "title", "date", "depends_on"}
    assert by_key["scope_decision"]["date"] == "2027-01-10"
    assert by_key["design_1"] == by_key["design_1"] | {
        "date": "2027-01-24",
        "depends_on": ["scope_decision"],
    }
    assert set(by_key["design_4"]["depends_on"]) == {"team_social_4", "team_urban_4"}
    assert not any(r["key"].startswith("team_economic") for r in rows)


def test_a_held_slip_moves_its_dependents():
    plain = {r["key"]: r["date"] for r in json.loads(run("--scope-date", "2027-01-10", "--json"))}
    held = {
        r["key"]: r["date"]
        for r in json.loads(
            run(
                "--scope-date",
                "2027-01-10",
                "--tracks",
                "social",
                "--json",
                "--held",
                "design_2=2027-05-02",
                "--held",
                "design_1=2027-01-25",
            )
        )
    }
    assert held["design_2"] == "2027-05-02"
    assert held["launch_conference"] == "2027-05-16"
    assert held["launch_conference"] != plain["launch_conference"]


def test_without_json_it_prints_a_readable_table():
    out = run("--scope-date", "2027-01-10", "--tracks", "social")
    assert "design_1" in out and "2027-01-24" in out


@pytest.mark.parametrize(
    "args",
    [
        ("--tracks", "social,cooking"),
        ("--held", "design_9=2027-05-02"),
        ("--held", "design_2"),
        ("--held", "design_2=2027-01-01"),  # before design_1
        ("--held", "design_2=yesterday"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(args):
    with pytest.raises(CommandError):
        run("--scope-date", "2027-01-10", *args)
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("profile", ["jewish", "muslim", "christian", "druze", "jewish,muslim"])
def test_calendar_keeps_the_json_shape_and_avoids_that_profiles_days(profile):
    rows = json.loads(run("--scope-date", "2027-01-10", "--calendar", profile, "--json"))
    calendar = engine.CalendarProfile.parse(profile)
    assert all(set(r) == {"key", "title", "date", "depends_on"} for r in rows)
    for r in rows[1:]:  # the scope decision is held on the date given
        day = date.fromisoformat(r["date"])
        assert engine.is_working_day(day, calendar), (r["key"], engine.day_off(day, calendar))


def test_calendar_changes_the_plan_where_the_communities_differ():
    # Design meeting 2 comes to Sunday 25 April 2027: Chol HaMoed Pesach for a Jewish municipality
    # (and Nabi Shu'ayb for a Druze one), an ordinary Sunday for a Muslim one.
    def design_2(profile):
        rows = json.loads(run("--scope-date", "2027-01-10", "--calendar", profile, "--json"))
        return {r["key"]: r["date"] for r in rows}["design_2"]

    assert design_2("muslim") == "2027-04-25"
    assert design_2("jewish") == "2027-04-29"
    assert design_2("druze") == "2027-04-29"


def test_the_table_says_why_a_milestone_moved():
    out = run("--scope-date", "2027-09-26", "--calendar", "jewish")

    assert "[2027-10-10: eve of Yom Kippur]" in out


def test_an_unknown_calendar_is_refused():
    with pytest.raises(CommandError, match="bogus"):
        run("--scope-date", "2027-01-10", "--calendar", "jewish,bogus")
