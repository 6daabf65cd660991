"""Issue 15 §5: the pilot's data never contradicts itself (pilots/consistency.py). Each rule: the
contradiction, forced with queryset updates as bad data arrives (the admin, an import), is found and
names the initiative; an object whose gate was opened is not reported; the demo and a generated country
are clean."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehila.consistency import CHECKS, contradictions
from kehila.gates import gate_override
from kehila.models import Municipality
from pilots.gates import GRANT_PAY, INITIATIVE_SELECT
from pilots.models import (
    Connection,
    Disbursement,
    Grant,
    Indicator,
    Initiative,
    InitiativeStatus,
    Measurement,
    ProgressReport,
    Score,
    ScoringConflict,
)
from tests.factories import UserFactory
from tests.pilots.factories import HackathonFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Jerusalem")
NOW = datetime(2027, 6, 1, 10, 0, tzinfo=TZ)
TODAY = date(2027, 6, 1)
VALUES = {"fit": 4, "feasibility": 4, "reach": 3, "partners": 3, "cost": 4}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def found(municipality, rule=None):
    return [
        c
        for c in contradictions(municipality, today=TODAY)
        if c.rule.startswith("pilots.") and (rule is None or c.rule == rule)
    ]


@pytest.fixture
def closed(municipality):
    """A hackathon whose submissions closed ten days ago, decided by one scorer."""
    return HackathonFactory(
        municipality=municipality,
        registration_opens_at=NOW - timedelta(days=60),
        registration_closes_at=NOW - timedelta(days=30),
        submission_deadline=NOW - timedelta(days=10),
        required_scorers=1,
        pilot_budget=Decimal("10000"),
    )


def _submitted(hackathon, **kwargs):
    initiative = InitiativeFactory(hackathon=hackathon, **kwargs)
    Initiative.objects.filter(pk=initiative.pk).update(submitted_at=NOW - timedelta(days=20))
    initiative.refresh_from_db()
    return initiative


def _score(initiative, member=None, at=None):
    score = Score(
        municipality=initiative.municipality,
        initiative=initiative,
        member=member or UserFactory(),
        **VALUES,
    )
    score.total = score.compute_total()
    score.save()
    Score.objects.filter(pk=score.pk).update(created_at=at or NOW - timedelta(days=5))
    return score


def _decide(initiative, status=InitiativeStatus.SELECTED, at=None):
    Initiative.objects.filter(pk=initiative.pk).update(
        status=status, decided_at=at or NOW - timedelta(days=3), decision_reason="ציון"
    )
    initiative.refresh_from_db()
    return initiative


def _selected(hackathon, status=InitiativeStatus.SELECTED, **kwargs):
    initiative = _submitted(hackathon, **kwargs)
    _score(initiative)
    return _decide(initiative, status)


def _grant(initiative, amount="1000", at=None):
    grant = Grant.objects.create(
        municipality=initiative.municipality, initiative=initiative, amount=Decimal(amount)
    )
    Grant.objects.filter(pk=grant.pk).update(created_at=at or NOW - timedelta(days=2))
    grant.refresh_from_db()
    return grant


def _pay(grant, amount="500", on=None):
    return Disbursement.objects.create(
        municipality=grant.municipality,
        grant=grant,
        amount=Decimal(amount),
        paid_on=on or TODAY - timedelta(days=1),
    )


def _full_history(hackathon):
    """Every kind of row, each where the rules want it."""
    initiative = _selected(hackathon, status=InitiativeStatus.ACTIVE)
    _pay(_grant(initiative))
    Connection.objects.create(
        municipality=initiative.municipality,
        initiative=initiative,
        with_whom="המתנ״ס",
        made_on=TODAY,
    )
    ProgressReport.objects.create(
        municipality=initiative.municipality, initiative=initiative, text="התקדמנו"
    )
    indicator = Indicator.objects.create(
        municipality=hackathon.municipality,
        hackathon=hackathon,
        track="social",
        name=f"משתתפים {initiative.pk}",
    )
    Measurement.objects.create(
        municipality=initiative.municipality,
        initiative=initiative,
        indicator=indicator,
        value=Decimal(12),
    )
    reviewed = _selected(hackathon)
    Initiative.objects.filter(pk=reviewed.pk).update(
        status=InitiativeStatus.CONTINUED, year_two=True, reviewed_at=NOW - timedelta(days=1)
    )
    _selected(hackathon, status=InitiativeStatus.NOT_SELECTED)
    _score(_submitted(hackathon))  # still waiting for its decision
    return initiative


def test_every_rule_has_a_key_of_the_pilot_and_a_label():
    rules = [rule for rule in CHECKS if rule.startswith("pilots.")]
    assert len(rules) == 9
    assert all(str(CHECKS[rule][0]) for rule in rules)


def test_a_pilot_that_keeps_every_rule_finds_nothing(municipality, closed):
    _full_history(closed)
    assert found(municipality) == []


def test_the_checks_read_a_fixed_number_of_queries_whatever_the_size(municipality, closed):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            found(municipality)
        return len(captured)

    _full_history(closed)
    small = queries()
    for _ in range(3):
        _full_history(closed)
    assert queries() == small


# --- scores --------------------------------------------------------------------------------------


def test_a_score_older_than_its_initiative_is_found(municipality, closed):
    initiative = _submitted(closed, title="גינה בין הבניינים")
    _score(initiative, at=initiative.submitted_at - timedelta(days=1))
    (item,) = found(municipality, "pilots.score_window")
    assert "גינה בין הבניינים" in item.text
    assert item.url == f"/m/{municipality.slug}/pilot/initiatives/{initiative.pk}/#scores-heading"


def test_a_score_given_after_the_decision_is_found(municipality, closed):
    initiative = _selected(closed, title="מועדון שיעורי בית")
    _score(initiative, at=initiative.decided_at + timedelta(hours=1))
    (item,) = found(municipality, "pilots.score_window")
    assert "מועדון שיעורי בית" in item.text


def test_a_score_given_while_submissions_are_open_is_found(municipality):
    """score_record refuses it (every team judged on the same footing); one written anyway is found."""
    hackathon = HackathonFactory(municipality=municipality)  # submissions open for 20 more days
    _score(InitiativeFactory(hackathon=hackathon), at=NOW)
    (item,) = found(municipality)
    assert item.rule == "pilots.score_window"
    assert "לפני שההגשות נסגרו" in item.text


# --- submissions and decisions -------------------------------------------------------------------


def test_an_initiative_submitted_after_the_deadline_is_found(municipality, closed):
    initiative = InitiativeFactory(hackathon=closed, title="שוק יוצרים")  # submitted now
    (item,) = found(municipality, "pilots.submitted_after_deadline")
    assert "שוק יוצרים" in item.text
    assert item.url == f"/m/{municipality.slug}/pilot/initiatives/{initiative.pk}/"


def test_a_decision_before_submissions_closed_is_found_unless_the_gate_was_opened(
    municipality, closed, manager
):
    initiative = _submitted(closed, title="ארוחת שישי")
    _score(initiative, at=closed.submission_deadline - timedelta(days=2))
    _decide(initiative, at=closed.submission_deadline - timedelta(days=1))
    (item,) = found(municipality, "pilots.decided_when_ready")
    assert "ארוחת שישי" in item.text
    assert item.url.endswith("#decision-heading")
    gate_override(actor=manager, gate=INITIATIVE_SELECT, obj=initiative, reason="החלטת ההיגוי")
    assert found(municipality, "pilots.decided_when_ready") == []


def test_a_decision_with_too_few_counted_scorers_is_found_unless_the_gate_was_opened(
    municipality, closed, manager
):
    closed.required_scorers = 2
    closed.save()
    initiative = _submitted(closed, title="ספרייה ברחוב")
    conflicted = UserFactory()
    _score(initiative)
    _score(initiative, member=conflicted)
    # The declaration wins over a score from before it: one counted scorer of two.
    ScoringConflict.objects.create(
        municipality=municipality, initiative=initiative, member=conflicted
    )
    _decide(initiative, InitiativeStatus.NOT_SELECTED)
    (item,) = found(municipality, "pilots.decided_when_ready")
    assert "ספרייה ברחוב" in item.text and "1" in item.text and "2" in item.text
    gate_override(actor=manager, gate=INITIATIVE_SELECT, obj=initiative, reason="ועדה חלקית")
    assert found(municipality) == []


def test_a_decision_without_its_date_is_found(municipality, closed):
    initiative = _selected(closed, title="גינה")
    Initiative.objects.filter(pk=initiative.pk).update(decided_at=None)
    (item,) = found(municipality, "pilots.decided_when_ready")
    assert "גינה" in item.text


def test_reviews_that_contradict_the_status_are_found(municipality, closed):
    undated = _selected(closed, title="ללא תאריך")
    Initiative.objects.filter(pk=undated.pk).update(
        status=InitiativeStatus.CONTINUED, year_two=True
    )
    early = _selected(closed, title="מוקדם")
    Initiative.objects.filter(pk=early.pk).update(
        status=InitiativeStatus.STOPPED, reviewed_at=early.decided_at - timedelta(days=1)
    )
    carried = _selected(closed, title="הופסק")
    Initiative.objects.filter(pk=carried.pk).update(
        status=InitiativeStatus.STOPPED, year_two=True, reviewed_at=NOW
    )
    still = _selected(closed, title="עדיין פעיל", status=InitiativeStatus.ACTIVE)
    Initiative.objects.filter(pk=still.pk).update(reviewed_at=NOW)
    items = found(municipality, "pilots.review_status")
    assert [i.text.split('"')[1] for i in items] == ["ללא תאריך", "מוקדם", "הופסק", "עדיין פעיל"]


# --- money ---------------------------------------------------------------------------------------


def test_a_grant_for_an_initiative_not_selected_is_found_unless_the_gate_was_opened(
    municipality, closed, manager
):
    initiative = _selected(closed, InitiativeStatus.NOT_SELECTED, title="לא נבחרה")
    _grant(initiative)
    (item,) = found(municipality, "pilots.grant_for_selected")
    assert "לא נבחרה" in item.text
    assert item.url.endswith("#grants")
    gate_override(actor=manager, gate=GRANT_PAY, obj=initiative, reason="מענק חריג")
    assert found(municipality, "pilots.grant_for_selected") == []


def test_a_grant_or_a_payment_dated_before_the_selection_is_found(municipality, closed, manager):
    initiative = _selected(closed, title="נבחרה מאוחר")
    grant = _grant(initiative, at=initiative.decided_at - timedelta(days=1))
    _pay(grant, on=TODAY - timedelta(days=10))
    items = found(municipality, "pilots.grant_for_selected")
    assert len(items) == 2 and all("נבחרה מאוחר" in i.text for i in items)
    gate_override(actor=manager, gate=GRANT_PAY, obj=initiative, reason="מקדמה")
    assert found(municipality, "pilots.grant_for_selected") == []


def test_grants_beyond_the_pilot_budget_are_found_unless_the_gate_was_opened(
    municipality, closed, manager
):
    _grant(_selected(closed, title="ראשונה"), "6000", at=NOW - timedelta(days=2))
    second = _selected(closed, title="שנייה")
    _grant(second, "5000", at=NOW - timedelta(days=1))
    (item,) = found(municipality, "pilots.grant_within_budget")
    assert "שנייה" in item.text and "11000" in item.text.replace(",", "")
    assert item.url == f"/m/{municipality.slug}/pilot/hackathons/{closed.pk}/edit/"
    gate_override(actor=manager, gate=GRANT_PAY, obj=second, reason="תוספת תקציב")
    assert found(municipality) == []


def test_payments_beyond_their_grant_are_found(municipality, closed):
    grant = _grant(_selected(closed, title="שולם ביתר"), "1000")
    _pay(grant, "600")
    _pay(grant, "600")
    (item,) = found(municipality, "pilots.paid_within_grant")
    assert "שולם ביתר" in item.text and "1200" in item.text.replace(",", "")


# --- measurement and the future ------------------------------------------------------------------


def test_a_measurement_on_another_tracks_indicator_is_found(municipality, closed):
    initiative = _selected(closed, InitiativeStatus.ACTIVE, title="נמדדה", track="social")
    indicator = Indicator.objects.create(
        municipality=municipality, hackathon=closed, track="urban", name="עצים"
    )
    Measurement.objects.create(
        municipality=municipality, initiative=initiative, indicator=indicator, value=3
    )
    (item,) = found(municipality, "pilots.measured_on_its_track")
    assert "נמדדה" in item.text and "עצים" in item.text


def test_what_is_dated_after_today_is_found(municipality, closed):
    initiative = _full_history(closed)
    tomorrow = NOW + timedelta(days=1)
    Measurement.objects.filter(initiative=initiative).update(recorded_at=tomorrow)
    ProgressReport.objects.filter(initiative=initiative).update(created_at=tomorrow)
    Disbursement.objects.filter(grant__initiative=initiative).update(paid_on=tomorrow.date())
    Connection.objects.filter(initiative=initiative).update(made_on=tomorrow.date())
    Grant.objects.filter(initiative=initiative).update(created_at=tomorrow)
    items = found(municipality, "pilots.dated_in_future")
    assert len(items) == 5
    assert all(initiative.title in i.text for i in items)
    # Today is not the future.
    Measurement.objects.filter(initiative=initiative).update(recorded_at=NOW.replace(hour=23))
    assert len(found(municipality, "pilots.dated_in_future")) == 4


def test_a_decision_dated_after_today_is_found(municipality, closed):
    _decide(_submitted(closed, title="מחר"), at=NOW + timedelta(days=2))
    items = found(municipality, "pilots.dated_in_future")
    assert len(items) == 1 and "מחר" in items[0].text


def test_another_municipalitys_contradictions_are_not_reported(municipality, other_municipality):
    hackathon = HackathonFactory(municipality=other_municipality)
    InitiativeFactory(hackathon=hackathon)
    Initiative.objects.update(status=InitiativeStatus.SELECTED, decided_at=NOW)
    assert found(other_municipality, "pilots.decided_when_ready")
    assert found(municipality) == []


# --- the demo and the generator ------------------------------------------------------------------


def test_the_demo_keeps_every_rule_of_the_pilot():
    from kehila.demo import load_demo

    with time_machine.travel(NOW):  # ticking: the demo's steps happen one after another
        load_demo()
        load_demo()
        assert Initiative.objects.exclude(status=InitiativeStatus.SUBMITTED).exists()
        for municipality in Municipality.objects.all():
            assert found(municipality) == [], municipality.slug


def test_a_generated_country_keeps_every_rule_of_the_pilot():
    from kehila.generate import generate

    with time_machine.travel(NOW):
        generate(municipalities=3, scale=0.05, years=3, seed=1, prefix="chk", today=TODAY)
        towns = Municipality.objects.filter(slug__startswith="chk-")
        assert towns.count() == 3
        assert Grant.objects.filter(municipality__in=towns).exists()
        for municipality in towns:
            assert found(municipality) == [], municipality.slug
