"""The pilot's workflow through its services: submission, scoring, decision, support, reviews."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kehila.models import AuditLog
from pilots import services
from pilots.models import Disbursement, Grant, Initiative, InitiativeStatus, Participant, Score
from tests.helpers import assert_nothing_changed, roles_refused
from tests.pilots.factories import HackathonFactory, InitiativeFactory, seat

VALUES = {"fit": 5, "feasibility": 4, "reach": 3, "partners": 4, "cost": 2}


def submission(**overrides):
    data = {
        "title": "גינה קהילתית",
        "team_name": "שכנים",
        "team_members": "",
        "contact_name": "רותם",
        "contact_email": "rotem@example.org",
        "contact_phone": "",
        "description": "גינה בין הבניינים",
        "focus_challenge": None,
        "track": "urban",
        "neighbourhood": "הרקפות",
        "needs_connections": True,
        "needs_mentoring": False,
        "needs_money": True,
        "money_amount": Decimal("3000"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def selected(hackathon):
    return InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.SELECTED)


def test_a_submission_is_saved_and_confirmed_by_e_mail_with_a_personal_link(
    hackathon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        initiative, created = services.initiative_submit(hackathon=hackathon, data=submission())
    assert created
    assert initiative.municipality == hackathon.municipality
    assert initiative.status == InitiativeStatus.SUBMITTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rotem@example.org"]
    assert "/public/pilot/initiative/" in mail.outbox[0].body


def test_a_double_submit_saves_one_initiative_and_sends_one_e_mail(
    hackathon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.initiative_submit(hackathon=hackathon, data=submission())
    with django_capture_on_commit_callbacks(execute=True):
        second, created = services.initiative_submit(hackathon=hackathon, data=submission())
    assert not created and first == second
    assert Initiative.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_refuses_a_submission_after_the_deadline(hackathon):
    with time_machine.travel(hackathon.submission_deadline + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="המועד האחרון להגשה עבר"):
            services.initiative_submit(hackathon=hackathon, data=submission())
    assert not Initiative.objects.exists()


def test_money_needed_requires_an_amount(hackathon):
    with pytest.raises(ValidationError):
        services.initiative_submit(hackathon=hackathon, data=submission(money_amount=None))


def test_the_lead_may_edit_until_the_deadline_only(hackathon):
    initiative = InitiativeFactory(hackathon=hackathon)
    services.initiative_update_by_lead(initiative=initiative, data={"title": "שם חדש"})
    assert Initiative.objects.get().title == "שם חדש"
    with time_machine.travel(hackathon.submission_deadline + timedelta(seconds=1)):
        with pytest.raises(ValidationError):
            services.initiative_update_by_lead(initiative=initiative, data={"title": "מאוחר"})
    assert Initiative.objects.get().title == "שם חדש"


def test_registration_is_once_per_e_mail_and_only_while_open(hackathon):
    data = {
        "full_name": "דנה",
        "email": "dana@example.org",
        "team_name": "",
        "phone": "",
        "neighbourhood": "",
    }
    services.participant_register(hackathon=hackathon, data=data)
    _, created = services.participant_register(
        hackathon=hackathon, data={**data, "email": "DANA@example.org"}
    )
    assert not created
    assert Participant.objects.count() == 1
    with time_machine.travel(hackathon.registration_closes_at + timedelta(seconds=1)):
        with pytest.raises(ValidationError):
            services.participant_register(
                hackathon=hackathon, data={**data, "email": "x@example.org"}
            )


def test_a_committee_member_scores_once_on_the_one_to_five_scale(
    closed_hackathon, committee_member
):
    initiative = InitiativeFactory(hackathon=closed_hackathon)
    seat(closed_hackathon, committee_member)
    with pytest.raises(ValidationError):
        services.score_record(
            initiative=initiative, member=committee_member, values={**VALUES, "fit": 6}
        )
    with pytest.raises(ValidationError):
        services.score_record(
            initiative=initiative, member=committee_member, values={**VALUES, "cost": 0}
        )
    score = services.score_record(initiative=initiative, member=committee_member, values=VALUES)
    assert score.total == Decimal("3.60")
    with pytest.raises(ValidationError, match="כבר ניקדת"):
        services.score_record(initiative=initiative, member=committee_member, values=VALUES)
    assert Score.objects.count() == 1


def test_only_members_of_the_selection_committee_score(hackathon, manager):
    initiative = InitiativeFactory(hackathon=hackathon)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.score_record(initiative=initiative, member=manager, values=VALUES)


def test_only_users_of_the_municipality_join_its_committee(hackathon, manager, outsider):
    with pytest.raises(ValidationError):
        services.committee_seat_add(actor=manager, hackathon=hackathon, user=outsider)
    services.committee_seat_add(actor=manager, hackathon=hackathon, user=manager)
    assert hackathon.seats.count() == 1


def test_the_decision_is_recorded_with_a_reason_and_the_applicants_are_told(
    hackathon, manager, committee_member, django_capture_on_commit_callbacks
):
    initiative = InitiativeFactory(hackathon=hackathon, contact_email="lead@example.org")
    hackathon.required_scorers = 1
    hackathon.save()
    seat(hackathon, committee_member)
    with (
        time_machine.travel(hackathon.submission_deadline + timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.score_record(initiative=initiative, member=committee_member, values=VALUES)
        with pytest.raises(ValidationError):
            services.initiative_decide(
                actor=manager, initiative=initiative, selected=True, reason=" "
            )
        services.initiative_decide(
            actor=manager, initiative=initiative, selected=True, reason="מתאים לחזון"
        )
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SELECTED
    assert initiative.decision_reason == "מתאים לחזון"
    assert mail.outbox[-1].to == ["lead@example.org"]
    assert "מתאים לחזון" in mail.outbox[-1].body
    assert AuditLog.objects.filter(action="pilots.initiative_decide").exists()
    with pytest.raises(ValidationError):
        services.initiative_decide(
            actor=manager, initiative=initiative, selected=False, reason="שוב"
        )


def test_a_grant_above_what_is_left_is_refused(hackathon, selected, team_member):
    services.grant_record(actor=team_member, initiative=selected, amount=Decimal("9000"))
    with pytest.raises(ValidationError, match="מהיתרה בתקציב הפיילוט"):
        services.grant_record(actor=team_member, initiative=selected, amount=Decimal("1000.01"))
    assert Grant.objects.count() == 1


def test_an_override_needs_the_override_role_and_is_logged(
    hackathon, selected, team_member, manager
):
    from kehila.gates import gate_override

    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        gate_override(actor=team_member, gate="grant_pay", obj=selected, reason="a donor")
    gate_override(actor=manager, gate="grant_pay", obj=selected, reason="a donor tops it up")
    grant = services.grant_record(actor=manager, initiative=selected, amount=Decimal("20000"))
    assert grant.over_budget
    entry = AuditLog.objects.get(action="pilots.grant_over_budget")
    assert entry.actor == manager and entry.data["remaining_before"] == "10000.00"


def test_support_makes_a_selected_initiative_active(selected, team_member):
    services.grant_record(actor=team_member, initiative=selected, amount=Decimal("100"))
    selected.refresh_from_db()
    assert selected.status == InitiativeStatus.ACTIVE


def test_grants_go_only_to_supported_initiatives(hackathon, team_member):
    initiative = InitiativeFactory(hackathon=hackathon)
    with pytest.raises(ValidationError):
        services.grant_record(actor=team_member, initiative=initiative, amount=Decimal("100"))


def test_payments_never_exceed_the_grant(selected, team_member):
    grant = services.grant_record(actor=team_member, initiative=selected, amount=Decimal("1000"))
    services.disbursement_record(actor=team_member, grant=grant, amount=Decimal("600"))
    with pytest.raises(ValidationError, match="400"):
        services.disbursement_record(actor=team_member, grant=grant, amount=Decimal("401"))
    assert Disbursement.objects.count() == 1


def test_the_nine_month_review_continues_into_year_two(selected, manager):
    services.initiative_review(
        actor=manager,
        initiative=selected,
        keep_going=True,
        reason="מקדמת יעדים",
        objectives="יעד 2",
    )
    selected.refresh_from_db()
    assert selected.status == InitiativeStatus.CONTINUED and selected.year_two
    assert selected.review_objectives == "יעד 2"
    with pytest.raises(ValidationError):
        services.initiative_review(
            actor=manager, initiative=selected, keep_going=False, reason="שוב"
        )


def test_the_review_can_stop_support(selected, manager):
    services.initiative_review(actor=manager, initiative=selected, keep_going=False, reason="נתקעה")
    selected.refresh_from_db()
    assert selected.status == InitiativeStatus.STOPPED and not selected.year_two


def test_progress_is_reported_only_after_selection(hackathon, selected):
    with pytest.raises(ValidationError):
        services.progress_report(initiative=InitiativeFactory(hackathon=hackathon), text="התקדמנו")
    services.progress_report(initiative=selected, text="התקדמנו")
    assert selected.progress_reports.count() == 1


def test_measurements_use_indicators_of_the_initiative_track(hackathon, selected, manager):
    other = services.indicator_add(actor=manager, hackathon=hackathon, track="urban", name="עצים")
    own = services.indicator_add(actor=manager, hackathon=hackathon, track="social", name="משתתפים")
    with pytest.raises(ValidationError):
        services.measurement_record(
            actor=manager, initiative=selected, indicator=other, value=Decimal(3)
        )
    services.measurement_record(
        actor=manager, initiative=selected, indicator=own, value=Decimal(30)
    )
    services.measurement_record(
        actor=manager, initiative=selected, indicator=own, value=Decimal(40)
    )
    assert selected.measurements.get().value == Decimal(40)


def test_a_hackathon_windows_must_make_sense(municipality):
    now = timezone.now()
    with pytest.raises(ValidationError):
        HackathonFactory.build(
            municipality=municipality,
            registration_opens_at=now,
            registration_closes_at=now - timedelta(days=1),
        ).full_clean()


@pytest.mark.parametrize("role", roles_refused("manage_pilot"))
def test_the_pilots_write_services_refuse_whoever_may_not_manage_the_pilot(
    role, hackathon, users_by_role
):
    """The services check the rule themselves: a task, a command or the shell calling them with the
    wrong actor is refused as the page would be, and nothing is written."""
    actor = users_by_role[role]
    initiative = InitiativeFactory(hackathon=hackathon)
    calls = [
        lambda: services.hackathon_update(actor=actor, hackathon=hackathon, data={"title": "x"}),
        lambda: services.committee_seat_add(actor=actor, hackathon=hackathon, user=actor),
        lambda: services.initiative_decide(
            actor=actor, initiative=initiative, selected=True, reason="מתאים"
        ),
        lambda: services.indicator_add(actor=actor, hackathon=hackathon, track="social", name="x"),
        lambda: services.initiative_set_mentor(actor=actor, initiative=initiative, mentor="רונית"),
    ]
    for call in calls:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            call()
