"""The demo and a generated country break none of the rules (issue 15 §5): every registered check,
every municipality, zero contradictions. The apps' own tests prove each rule finds what it should."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from kehila.consistency import CHECKS, contradictions
from kehila.demo import load_demo
from kehila.generate import generate
from kehila.models import Municipality

pytestmark = pytest.mark.django_db

# Rules the apps register in their AppConfig.ready(): a missing one would make the zero below hollow.
EXPECTED_PREFIXES = {"kehila.", "committees.", "partners.", "pilots.", "strategy."}


def _found(**kwargs) -> dict[str, list[str]]:
    return {
        m.slug: [f"{c.rule}: {c.text}" for c in contradictions(m, **kwargs)]
        for m in Municipality.objects.order_by("slug")
        if contradictions(m, **kwargs)
    }


def test_every_app_registers_its_rules():
    assert {rule.split(".")[0] + "." for rule in CHECKS} == EXPECTED_PREFIXES


@pytest.mark.parametrize(
    "day",
    # `make run` loads the demo on the day it is run: among its events, and long after them.
    ["2026-12-02 10:00 +02:00", "2028-06-01 10:00 +03:00"],
)
def test_the_demo_contradicts_nothing(day):
    with time_machine.travel(day, tick=False):
        load_demo()
        assert _found() == {}


def test_the_demo_passes_check_program(capsys):
    with time_machine.travel("2026-12-02 10:00 +02:00", tick=False):
        load_demo()
        call_command("check_program", "--all")
    assert "לא נמצאו סתירות." in capsys.readouterr().out


@pytest.mark.parametrize("today", [date(2026, 12, 2), date(2027, 7, 15)])
def test_a_generated_country_contradicts_nothing(today):
    with time_machine.travel(today, tick=False):
        generate(municipalities=6, scale=0.05, years=3, seed=1, prefix="chk", today=today)
        assert _found(today=today) == {}
