"""Strategy's rules of data that never contradicts itself (strategy/consistency.py).

Each rule is broken once and found. Signed versions cannot be changed afterwards (model guards and
triggers, strategy/signed.py), so a signed contradiction is built before signing: the bad content is
written on the draft by a bulk update (the guards allow it on an unsigned version), the version goes
through the generic workflow (`approvals.submit`, which has no gate, as the generator's bulk writes have
none) and is then signed through the services; or signature rows are bulk-inserted as the generator
inserts them (the triggers refuse only updates and deletes of signatures).
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from kehila.consistency import CHECKS, contradictions
from kehila.models import Municipality
from strategy import approvals, gates, plan_services, services
from strategy.models import (
    Action,
    ActionBudget,
    AgreementSection,
    AgreementSignature,
    AgreementVersion,
    BudgetLine,
    IndicatorReading,
    Objective,
    PlanVersion,
    SignatureSide,
    VersionStatus,
)
from tests.strategy.factories import draft_agreement
from tests.strategy.plan_factories import (
    a_plan_version,
    an_action,
    an_agreement_in_force,
    an_objective,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 10, 1, 10, tzinfo=ZoneInfo("Asia/Jerusalem"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def found(municipality, rule=None, today=TODAY):
    with translation.override("en"):
        return [
            c
            for c in contradictions(municipality, today=today)
            if c.rule.startswith("strategy.") and (rule is None or c.rule == rule)
        ]


def sign_both(version, mayor_office, hq):
    approvals.sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    approvals.sign(version=version, user=hq, side=SignatureSide.PROGRAM)
    return type(version).objects.get(pk=version.pk)


def test_signed_documents_made_through_the_services_contradict_nothing(
    signed_agreement, signed_plan, municipality
):
    an_objective(municipality)
    plan_services.reading_add(
        objective=an_objective(municipality),
        user=signed_agreement.created_by,
        measured_on=TODAY,
        value=Decimal("150"),
    )
    assert found(municipality) == []
    assert [rule for rule in CHECKS if rule.startswith("strategy.")] == [
        "strategy.agreement_sent_incomplete",
        "strategy.plan_sent_before_design_5",
        "strategy.signatures_missing",
        "strategy.workflow_out_of_order",
        "strategy.two_in_force",
        "strategy.reading_in_future",
        "strategy.objective_dates",
        "strategy.action_dates",
        "strategy.agreement_budget_years",
    ]


# --- the agreements document sent incomplete ---------------------------------------------------------


def test_an_agreement_signed_with_a_draft_topic_is_found(
    municipality, manager, mayor_office, hq_user
):
    version = draft_agreement(municipality, user=manager)
    AgreementSection.objects.filter(version=version, topic=3).update(status="draft")
    approvals.submit(version=version, user=manager)  # the workflow without the gate
    approvals.approve(version=version, user=mayor_office)
    version = sign_both(version, mayor_office, hq_user)
    assert version.status == VersionStatus.IN_FORCE
    (item,) = found(municipality, "strategy.agreement_sent_incomplete")
    assert "3." in item.text and "draft" in item.text and "in force" in item.text
    assert item.url == f"/m/{municipality.slug}/strategy/agreement/v/{version.pk}/"


def test_an_agreement_sent_with_an_empty_topic_and_a_zero_line_is_found_twice(
    municipality, manager
):
    version = draft_agreement(municipality, user=manager)
    AgreementSection.objects.filter(version=version, topic=5).update(text="  ")
    BudgetLine.objects.filter(version=version, year=2027).update(amount=Decimal("0"))
    approvals.submit(version=version, user=manager)
    texts = [c.text for c in found(municipality, "strategy.agreement_sent_incomplete")]
    assert len(texts) == 2
    assert "5." in texts[0] and "empty" in texts[0]
    assert "zero shekels" in texts[1]


def test_a_topic_not_applicable_with_its_reason_is_complete(municipality, manager):
    version = draft_agreement(municipality, user=manager)
    AgreementSection.objects.filter(version=version, topic=6).update(status="na")
    services.agreement_submit(version=version, user=manager)
    assert found(municipality) == []


def test_a_draft_agreement_may_be_incomplete(municipality, manager):
    draft_agreement(municipality, user=manager, with_content=False)
    assert found(municipality) == []


def test_an_agreement_sent_through_its_opened_gate_is_not_reported(municipality, manager):
    version = draft_agreement(municipality, user=manager, with_content=False)
    services.agreement_submit_opening_gate(
        version=version, user=manager, reason="the mayor asked to see the draft now"
    )
    assert AgreementVersion.objects.get(pk=version.pk).status == VersionStatus.SUBMITTED
    assert found(municipality, "strategy.agreement_sent_incomplete") == []
    # the same version without the override is twelve contradictions: eleven topics and the budget
    from kehila.models import GateOverride

    GateOverride.objects.filter(gate=gates.AGREEMENT_SUBMIT).delete()
    assert len(found(municipality, "strategy.agreement_sent_incomplete")) == 12


# --- the plan sent before the design committee's fifth meeting ---------------------------------------


def test_a_plan_signed_before_the_fifth_design_meeting_is_found(
    municipality, manager, mayor_office, hq_user
):
    version = a_plan_version(municipality, design_5_held=False)
    approvals.submit(version=version, user=manager)  # the workflow without the gate
    approvals.approve(version=version, user=mayor_office)
    sign_both(version, mayor_office, hq_user)
    (item,) = found(municipality, "strategy.plan_sent_before_design_5")
    assert "fifth meeting" in item.text and "in force" in item.text
    assert item.url == f"/m/{municipality.slug}/timeline/"


def test_a_plan_sent_through_its_opened_gate_or_after_the_meeting_is_not_reported(
    municipality, manager
):
    version = a_plan_version(municipality, design_5_held=False)
    plan_services.plan_submit_opening_gate(version=version, user=manager, reason="a pilot plan")
    assert found(municipality) == []
    other = Municipality.objects.create(name="אחרת", slug="other-town")
    other_version = a_plan_version(other, design_5_held=True)
    plan_services.plan_submit(version=other_version, user=other_version.created_by)
    assert found(other) == []


def test_a_draft_plan_may_wait_for_the_fifth_meeting(municipality):
    a_plan_version(municipality, design_5_held=False)
    assert found(municipality) == []


# --- approvals and signatures ------------------------------------------------------------------------


def test_a_version_in_force_without_signatures_or_approval_is_found(municipality):
    version = an_agreement_in_force(municipality)  # status set by a bulk update
    texts = [c.text for c in found(municipality, "strategy.signatures_missing")]
    assert len(texts) == 3
    assert "For the municipality" in texts[0] and "For the program's management" in texts[1]
    assert "no record" in texts[2]
    assert all(
        c.url.endswith(f"/v/{version.pk}/")
        for c in found(municipality, "strategy.signatures_missing")
    )


def _signature(version, side, user, at=None):
    return AgreementSignature(
        municipality=version.municipality,
        version=version,
        side=side,
        signed_by=user,
        signed_at=at or timezone.now(),
        sha256=version.content_hash,
    )


def test_an_approved_version_signed_by_both_sides_and_a_submitted_one_signed_are_found(
    municipality, manager, mayor_office, hq_user
):
    version = draft_agreement(municipality, user=manager)
    services.agreement_submit(version=version, user=manager)
    services.agreement_approve(version=version, user=mayor_office)
    # as the generator inserts them: the status does not follow
    AgreementSignature.objects.bulk_create(
        [
            _signature(version, SignatureSide.MUNICIPALITY, mayor_office),
            _signature(version, SignatureSide.PROGRAM, hq_user),
        ]
    )
    (item,) = found(municipality, "strategy.signatures_missing")
    assert "both sides, but not in force" in item.text

    other = Municipality.objects.create(name="אחרת", slug="other-town")
    submitted = draft_agreement(other)
    services.agreement_submit(version=submitted, user=submitted.created_by)
    AgreementSignature.objects.bulk_create(
        [_signature(submitted, SignatureSide.MUNICIPALITY, mayor_office)]
    )
    (item,) = found(other, "strategy.signatures_missing")
    assert "is signed, but its status is" in item.text


def test_a_version_signed_before_it_was_sent_is_found(municipality, manager, mayor_office, hq_user):
    version = draft_agreement(municipality, user=manager)
    services.agreement_submit(version=version, user=manager)
    services.agreement_approve(version=version, user=mayor_office)
    # before signing: afterwards the dates of a signed version are frozen
    AgreementVersion.objects.filter(pk=version.pk).update(
        submitted_at=NOW + datetime.timedelta(hours=2), decided_at=NOW + datetime.timedelta(hours=3)
    )
    sign_both(version, mayor_office, hq_user)
    texts = [c.text for c in found(municipality, "strategy.workflow_out_of_order")]
    assert len(texts) == 2
    assert all("before it was sent" in t for t in texts)


def test_a_version_approved_before_it_was_sent_and_signed_before_approval_is_found(
    municipality, manager, mayor_office, hq_user
):
    version = draft_agreement(municipality, user=manager)
    services.agreement_submit(version=version, user=manager)
    services.agreement_approve(version=version, user=mayor_office)
    AgreementVersion.objects.filter(pk=version.pk).update(
        submitted_at=NOW - datetime.timedelta(days=2),
        decided_at=NOW - datetime.timedelta(days=3),
    )
    AgreementSignature.objects.bulk_create(
        [
            _signature(
                version,
                SignatureSide.MUNICIPALITY,
                mayor_office,
                at=NOW - datetime.timedelta(days=2, hours=1),
            )
        ]
    )
    texts = [c.text for c in found(municipality, "strategy.workflow_out_of_order")]
    assert "decided on" in texts[0] and "before it was sent" in texts[0]
    assert "before it was sent" in texts[1]


def test_a_signature_or_a_decision_dated_after_today_is_found(signed_plan, municipality):
    yesterday = TODAY - datetime.timedelta(days=1)
    texts = [c.text for c in found(municipality, "strategy.workflow_out_of_order", today=yesterday)]
    # the plan: sent or decided, and two signatures, on a day that has not come
    assert len(texts) == 3
    assert "sent or decided" in texts[0]
    assert all("has not come yet" in t for t in texts)
    assert found(municipality, "strategy.workflow_out_of_order") == []


def test_two_versions_in_force_at_once_are_found(signed_agreement, municipality, manager):
    newer = services.agreement_new_version(agreement=signed_agreement.agreement, user=manager)
    AgreementVersion.objects.filter(pk=newer.pk).update(status=VersionStatus.IN_FORCE)
    (item,) = found(municipality, "strategy.two_in_force")
    assert "version 1 is still in force" in item.text and "version 2" in item.text
    assert item.url.endswith(f"/v/{signed_agreement.pk}/")


# --- the plan's parts --------------------------------------------------------------------------------


def test_a_reading_after_today_is_found(municipality, manager):
    objective = an_objective(municipality)
    plan_services.reading_add(
        objective=objective, user=manager, measured_on=TODAY, value=Decimal("120")
    )
    assert found(municipality) == []
    # The service refuses a day to come (tests/strategy/test_plan_workflow.py); an import or the admin
    # could still write one.
    IndicatorReading.objects.create(
        municipality=municipality,
        objective=objective,
        measured_on=TODAY + datetime.timedelta(days=1),
        value=Decimal("130"),
    )
    (item,) = found(municipality, "strategy.reading_in_future")
    assert objective.title in item.text
    assert item.url == f"/m/{municipality.slug}/strategy/plan/#progress"


def test_an_objective_whose_target_comes_before_its_baseline_is_found(municipality):
    objective = an_objective(municipality)
    Objective.objects.filter(pk=objective.pk).update(target_date=datetime.date(2026, 12, 31))
    (item,) = found(municipality, "strategy.objective_dates")
    assert objective.title in item.text
    assert item.url.endswith(f"/plan/objectives/{objective.pk}/")


def test_an_action_ending_before_it_starts_or_budgeted_outside_its_years_is_found(municipality):
    action = an_action(municipality)
    assert found(municipality) == []
    ActionBudget.objects.filter(action=action, year=2028).update(year=2031)
    (item,) = found(municipality, "strategy.action_dates")
    assert "2031" in item.text
    Action.objects.filter(pk=action.pk).update(end=datetime.date(2027, 1, 1))
    (item,) = found(municipality, "strategy.action_dates")
    assert "before it starts" in item.text


def test_an_agreement_budget_line_outside_the_term_is_found(municipality, manager):
    version = draft_agreement(municipality, user=manager)
    BudgetLine.objects.filter(version=version, year=2028).update(year=2035)
    (item,) = found(municipality, "strategy.agreement_budget_years")
    assert "2035" in item.text and "2027–2029" in item.text
    AgreementVersion.objects.filter(pk=version.pk).update(term_end_year=2026)
    (item,) = found(municipality, "strategy.agreement_budget_years")
    assert "before it starts" in item.text


# --- fixed cost, the demo and the generator ----------------------------------------------------------


def _queries(municipality) -> int:
    strategy_checks = [c for rule, (_l, c) in CHECKS.items() if rule.startswith("strategy.")]
    with CaptureQueriesContext(connection) as queries:
        for check in strategy_checks:
            list(check(municipality, TODAY))
    return len(queries)


def test_the_checks_cost_the_same_queries_whatever_the_size(
    signed_agreement, signed_plan, municipality, manager
):
    small = _queries(municipality)
    for _ in range(2):
        newer = services.agreement_new_version(agreement=signed_agreement.agreement, user=manager)
        services.agreement_submit(version=newer, user=manager)
    newer_plan = plan_services.plan_assemble(plan=signed_plan.plan, user=manager)
    plan_services.plan_submit(version=newer_plan, user=manager)
    an_action(municipality, title="פעולה נוספת")
    plan_services.reading_add(
        objective=an_objective(municipality), user=manager, measured_on=TODAY, value=Decimal("1")
    )
    assert AgreementVersion.objects.count() == 3 and PlanVersion.objects.count() == 2
    assert _queries(municipality) == small


@pytest.mark.parametrize(
    "moment",
    [
        # soon after the demo program's start (its readings' baseline is 1 September 2026)
        datetime.datetime(2026, 9, 20, 10, tzinfo=ZoneInfo("Asia/Jerusalem")),
        datetime.datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Jerusalem")),
        NOW,
    ],
)
def test_the_demo_contradicts_no_strategy_rule(moment):
    from kehila.demo import load_demo

    for when in (moment, moment + datetime.timedelta(days=40)):  # a later run adds nothing wrong
        with time_machine.travel(when, tick=False):
            load_demo()
            for municipality in Municipality.objects.order_by("slug"):
                wrong = found(municipality, today=when.date())
                assert wrong == [], [(c.rule, c.text) for c in wrong]


def test_a_generated_country_contradicts_no_strategy_rule(db):
    from kehila.generate import generate

    generate(municipalities=3, scale=0.05, years=3, seed=1, prefix="chk")
    towns = list(Municipality.objects.filter(slug__startswith="chk-"))
    assert len(towns) == 3
    for municipality in towns:
        wrong = found(municipality, today=TODAY)
        assert wrong == [], [(c.rule, c.text) for c in wrong]
