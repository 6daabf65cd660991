"""The strategic plan's rules: scope decision and T0, challenges, measurable objectives, actions and
their budget, versions assembled, approved and signed like the agreement."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kehila.models import Program
from strategy import plan_services as services
from strategy.approvals import WorkflowError
from strategy.guidance import challenge_count_warning, track_count_warning
from strategy.models import SignatureSide, VersionStatus
from strategy.models.approvals import sha256_of
from tests.helpers import assert_nothing_changed
from tests.strategy.plan_factories import (
    a_challenge,
    a_plan_version,
    a_scope_decision,
    an_action,
    an_objective,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_one_or_four_tracks_warn_and_two_or_three_do_not():
    assert "two or three" in track_count_warning(["social"])
    assert "two or three" in track_count_warning(["social", "urban", "economic", "educational"])
    assert track_count_warning(["social", "urban"]) == ""
    assert track_count_warning(["social", "urban", "economic"]) == ""


def test_saving_a_scope_decision_with_one_track_warns(municipality, manager):
    _decision, warning = services.scope_decision_save(
        municipality=municipality,
        user=manager,
        decided_on=datetime.date(2027, 1, 5),
        tracks=["social"],
    )
    assert "two or three" in warning


def test_the_approved_scope_decision_sets_t0_and_the_tracks(municipality, manager, mayor_office):
    decision = a_scope_decision(municipality)
    services.scope_decision_submit(decision=decision, user=manager)
    services.scope_decision_approve(decision=decision, user=mayor_office)
    program = Program.objects.get(municipality=municipality)
    assert program.scope_decision_date == datetime.date(2027, 1, 10)
    assert program.tracks == ["social", "educational"]
    assert program.geographic_focus == decision.geographic_focus != ""
    decision.refresh_from_db()
    assert decision.status == VersionStatus.APPROVED


def test_only_the_mayors_office_approves_the_scope(municipality, manager):
    decision = a_scope_decision(municipality)
    services.scope_decision_submit(decision=decision, user=manager)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.scope_decision_approve(decision=decision, user=manager)
    assert Program.objects.get(municipality=municipality).scope_decision_date is None


def test_a_returned_scope_decision_does_not_set_t0(municipality, manager, mayor_office):
    decision = a_scope_decision(municipality)
    services.scope_decision_submit(decision=decision, user=manager)
    with pytest.raises(WorkflowError):
        services.scope_decision_return(decision=decision, user=mayor_office, comment=" ")
    services.scope_decision_return(decision=decision, user=mayor_office, comment="להרחיב")
    decision.refresh_from_db()
    assert decision.status == VersionStatus.RETURNED
    assert Program.objects.get(municipality=municipality).scope_decision_date is None


def test_challenges_warn_until_there_are_exactly_five(municipality):
    assert "exactly five" in challenge_count_warning(4)
    assert challenge_count_warning(5) == ""
    assert "exactly five" in challenge_count_warning(6)
    a_challenge(municipality, 1)


def test_a_target_date_before_the_baseline_date_is_refused_and_says_where(municipality, manager):
    from tests.strategy.plan_factories import a_goal

    goal = a_goal(municipality)
    with pytest.raises(ValidationError) as error:
        services.objective_add(
            goal=goal,
            user=manager,
            title="קיצור תורים",
            indicator="ימים",
            baseline_value=Decimal(30),
            baseline_date=datetime.date(2028, 1, 1),
            target_value=Decimal(10),
            target_date=datetime.date(2027, 1, 1),
            owner="x",
            track="social",
        )
    assert "target_date" in error.value.message_dict
    assert "קיצור תורים" in error.value.message_dict["target_date"][0]


def test_an_action_ending_before_it_starts_is_refused_and_says_where(municipality, manager):
    plan = services.plan_for(municipality)
    with pytest.raises(ValidationError) as error:
        services.action_add(
            plan=plan,
            user=manager,
            track="social",
            title="סדנאות",
            owner="x",
            start=datetime.date(2027, 5, 1),
            end=datetime.date(2027, 4, 1),
            kind="program",
        )
    assert "סדנאות" in error.value.message_dict["end"][0]


def test_a_track_lead_edits_only_their_own_track(municipality, track_lead):
    plan = services.plan_for(municipality)
    fields = dict(
        title="גינה קהילתית",
        owner="x",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 2, 1),
        kind="infrastructure",
    )
    services.action_add(plan=plan, user=track_lead, track="social", **fields)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.action_add(plan=plan, user=track_lead, track="urban", **fields)


def test_a_budget_year_outside_the_action_is_refused(municipality, manager):
    action = an_action(municipality, budget=False)
    with pytest.raises(ValidationError) as error:
        services.action_budget_add(
            action=action, user=manager, year=2031, source="program", amount=Decimal(1)
        )
    assert "year" in error.value.message_dict


def test_a_stated_total_that_does_not_add_up_stops_assembly(municipality, manager):
    an_action(municipality)  # 75,000 in lines
    plan = services.plan_for(municipality)
    services.plan_update(
        plan=plan,
        user=manager,
        title="",
        vision="",
        flexible_budget=Decimal(20000),
        stated_total=Decimal(100000),
    )
    with pytest.raises(ValidationError) as error:
        services.plan_assemble(plan=plan, user=manager)
    assert "95000" in str(error.value)
    services.plan_update(
        plan=plan,
        user=manager,
        title="",
        vision="",
        flexible_budget=Decimal(25000),
        stated_total=Decimal(100000),
    )
    assert services.plan_assemble(plan=plan, user=manager).number == 1


def test_a_plan_version_is_approved_signed_and_frozen(municipality, manager, mayor_office, hq_user):
    version = a_plan_version(municipality)
    services.plan_submit(version=version, user=manager)
    services.plan_approve(version=version, user=mayor_office)
    services.plan_sign(version=version, user=mayor_office, side=SignatureSide.MUNICIPALITY)
    services.plan_sign(version=version, user=hq_user, side=SignatureSide.PROGRAM)
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_FORCE
    assert version.content_hash == sha256_of(version.content)
    assert {s.sha256 for s in version.signatures.all()} == {version.content_hash}
    # Changing the parts afterwards leaves the signed version as it was; the next assembly is v2.
    action = an_action(municipality)
    services.action_update(action=action, user=manager, title="שם חדש")
    version.refresh_from_db()
    assert version.content["actions"][0]["title"] == "מרכז קהילתי"
    v2 = services.plan_assemble(plan=version.plan, user=manager)
    assert v2.number == 2 and v2.content["actions"][0]["title"] == "שם חדש"


def test_a_new_assembly_refreshes_the_open_draft(municipality, manager):
    version = a_plan_version(municipality)
    an_action(municipality, title="עוד פעולה")
    again = services.plan_assemble(plan=version.plan, user=manager)
    assert again.pk == version.pk
    assert len(again.content["actions"]) == 2


def test_a_reading_is_recorded_by_the_objectives_track_lead_only(
    municipality, track_lead, committee_member
):
    objective = an_objective(municipality, track="social")
    services.reading_add(
        objective=objective, user=track_lead, measured_on=datetime.date(2026, 6, 1), value=150
    )
    assert objective.readings.get().value == 150
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.reading_add(
            objective=objective,
            user=committee_member,
            measured_on=datetime.date(2026, 7, 1),
            value=1,
        )


@time_machine.travel("2027-06-01 10:00 +03:00", tick=False)
def test_a_reading_is_of_a_day_that_has_come(municipality, manager, client_for):
    objective = an_objective(municipality, track="social")
    services.reading_add(
        objective=objective, user=manager, measured_on=datetime.date(2027, 6, 1), value=150
    )
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.reading_add(
            objective=objective, user=manager, measured_on=datetime.date(2027, 6, 2), value=1
        )
    client = client_for(manager)
    url = f"/m/{municipality.slug}/strategy/plan/objectives/{objective.pk}/reading/"
    with assert_nothing_changed():
        response = client.post(url, {"measured_on": "2027-06-02", "value": "1"})
    assert response.status_code == 200
    with translation.override("he"):
        assert "אי אפשר לרשום מדידה בתאריך עתידי." in response.content.decode()


def test_submitting_the_plan_e_mails_the_mayors_office_once(
    municipality, manager, mayor_office, django_capture_on_commit_callbacks
):
    from django.core import mail

    mayor_office.email = "mayor@example.org"
    mayor_office.save()
    version = a_plan_version(municipality)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(version=version, user=manager)
    decision = a_scope_decision(municipality)
    with django_capture_on_commit_callbacks(execute=True):
        services.scope_decision_submit(decision=decision, user=manager)
    assert [m.to for m in mail.outbox] == [["mayor@example.org"], ["mayor@example.org"]]
    assert "2027" in mail.outbox[1].subject or "10.1.2027" in mail.outbox[1].subject


def test_the_scope_decision_waits_for_the_signed_agreement(municipality, manager):
    decision, _warning = services.scope_decision_save(
        municipality=municipality,
        user=manager,
        decided_on=datetime.date(2027, 1, 5),
        tracks=["social", "urban"],
    )
    with pytest.raises(WorkflowError, match="signed first"):
        services.scope_decision_submit(decision=decision, user=manager)
    decision.refresh_from_db()
    assert decision.status == VersionStatus.DRAFT
