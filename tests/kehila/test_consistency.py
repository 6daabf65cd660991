"""Data that never contradicts itself (issue 15 §5): the core's registry, its own timeline rule,
`check_program` and HQ's page. Each app's rules are tested beside the app (tests/<app>/test_consistency.py);
the demo and a generated country are checked whole in tests/kehila/test_consistency_whole.py."""

from datetime import date

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from kehila import scheduling
from kehila.consistency import CHECKS, Contradiction, contradictions, register_check
from kehila.models import Milestone, Program, Stage
from tests.helpers import assert_nothing_changed, roles_refused
from tests.kehila.timeline_factories import T0, milestone

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)


@pytest.fixture
def plan_program(monkeypatch):
    """A program laid out from its scope decision, with nothing else: the agreement the scope decision
    waits for is strategy's (its own rules are tested there), so its precondition is left out here."""
    monkeypatch.setattr("kehila.scheduling.services.SCOPE_PRECONDITIONS", [])

    def plan(municipality):
        scheduling.program_scope_decide(
            program=municipality.program, decided_on=T0, tracks=["social"], actor=None
        )
        return municipality.program

    return plan


def _held_in_the_future(program):
    design_1 = milestone(program, "design_1")
    Milestone.objects.filter(pk=design_1.pk).update(
        status=Milestone.Status.HELD, actual=date(2027, 3, 20)
    )
    return design_1


@time_machine.travel("2027-03-01 09:00 +02:00", tick=False)
def test_a_milestone_held_on_a_day_to_come_is_a_contradiction(municipality, plan_program):
    program = plan_program(municipality)
    assert not [c for c in contradictions(municipality) if c.rule == "kehila.held_in_future"]
    _held_in_the_future(program)
    with translation.override("en"):
        found = [c for c in contradictions(municipality) if c.rule == "kehila.held_in_future"]
    assert len(found) == 1
    assert "has not come yet" in found[0].text
    assert found[0].url == f"/m/{municipality.slug}/timeline/"


@time_machine.travel("2027-03-25 09:00 +02:00", tick=False)
def test_the_same_milestone_is_no_contradiction_once_its_day_has_come(municipality, plan_program):
    _held_in_the_future(plan_program(municipality))
    assert not [c for c in contradictions(municipality) if c.rule == "kehila.held_in_future"]


def test_a_contradiction_is_filed_under_the_rule_that_found_it(municipality, monkeypatch):
    monkeypatch.setitem(
        CHECKS, "test.rule", ("A test rule", lambda m, today: [Contradiction("other", "x")])
    )
    assert Contradiction("test.rule", "x") in contradictions(municipality)


def test_registering_a_rule_again_replaces_it(monkeypatch):
    monkeypatch.setattr("kehila.consistency.CHECKS", dict(CHECKS))
    register_check("test.rule", "one", lambda m, today: [])
    register_check("test.rule", "two", lambda m, today: [])
    from kehila import consistency

    assert consistency.CHECKS["test.rule"][0] == "two"


@time_machine.travel("2027-03-01 09:00 +02:00", tick=False)
def test_check_program_prints_each_contradiction_in_the_chosen_language_and_exits_1(
    municipality, capsys, plan_program
):
    _held_in_the_future(plan_program(municipality))
    with pytest.raises(SystemExit) as exited:
        call_command("check_program", "--municipality", municipality.slug)
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert f"{municipality.slug}: אבן דרך מתקיימת רק ביום שכבר הגיע:" in out
    assert "נמצאה סתירה אחת." in err
    with pytest.raises(SystemExit):
        call_command("check_program", "--all", "--language", "en")
    out, err = capsys.readouterr()
    assert "A milestone is held only on a day that has come" in out
    assert "1 contradiction found." in err


@time_machine.travel("2027-03-01 09:00 +02:00", tick=False)
def test_check_program_exits_0_when_all_is_consistent(municipality, capsys, plan_program):
    plan_program(municipality)
    call_command("check_program", "--all", "--language", "en")
    assert "No contradictions found." in capsys.readouterr().out


def test_check_program_names_an_unknown_municipality(db):
    with pytest.raises(CommandError, match="no-such-town"):
        call_command("check_program", "--municipality", "no-such-town")


@time_machine.travel("2027-03-01 09:00 +02:00", tick=False)
def test_hq_reads_a_municipalitys_contradictions_with_links(
    client_for, hq_user, municipality, plan_program
):
    url = f"/hq/check/{municipality.slug}/"
    program = plan_program(municipality)
    page = client_for(hq_user).get(url).content.decode()
    assert "לא נמצאו סתירות." in page
    _held_in_the_future(program)
    page = client_for(hq_user).get(url).content.decode()
    assert "אבן דרך מתקיימת רק ביום שכבר הגיע" in page
    assert f'href="/m/{municipality.slug}/timeline/"' in page
    assert (
        f'href="/hq/check/{municipality.slug}/"' in client_for(hq_user).get("/hq/").content.decode()
    )


@pytest.mark.parametrize("role", roles_refused("view_hq", also=["outsider"]))
def test_only_hq_reads_the_data_check(role, users_by_role, client_for, municipality):
    client = client_for(users_by_role[role])
    with assert_nothing_changed():
        assert client.get(f"/hq/check/{municipality.slug}/").status_code == 403


def test_the_hq_overview_shows_the_derived_stage_not_the_stored_one(
    client_for, hq_user, municipality
):
    # Nothing of the kickoff holds (no agreement in force), whatever Program.stage says.
    Program.objects.filter(municipality=municipality).update(stage=Stage.PILOT)
    page = client_for(hq_user).get("/hq/").content.decode()
    row = page[page.index(municipality.name) :]
    row = row[: row.index("</tr>")]
    assert "<td>התנעה ברשות</td>" in row
    assert "פיילוט התנסותי" not in row
