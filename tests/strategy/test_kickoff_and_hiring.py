"""The kickoff checklist and the joint hiring of the program manager."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kehila.models import AuditLog
from strategy import selectors, services
from strategy.approvals import WorkflowError
from strategy.models import Competency, CompetencyScore, HiringDecision, KickoffStep, ScoreSheet
from tests.helpers import assert_nothing_changed, roles_allowed
from tests.strategy.factories import a_candidate

ROLES = ["manager", "team", "mayor_office", "track_lead", "committee_member", "hq"]


def url(municipality, name, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"slug": municipality.slug, **kwargs})


def all_scores(value=4, note=""):
    return {c.value: (value, note) for c in Competency}


def test_the_checklist_has_six_steps_with_attendees_suggested_by_role(municipality):
    steps = services.kickoff_ensure_steps(municipality=municipality)
    assert [s.step for s in steps] == [1, 2, 3, 4, 5, 6]
    assert "ראש הרשות" in steps[0].attendees or "Mayor" in steps[0].attendees
    services.kickoff_ensure_steps(municipality=municipality)
    assert KickoffStep.objects.filter(municipality=municipality).count() == 6


def test_the_checklist_page_shows_six_placeholder_steps_and_writes_nothing(
    municipality, manager, client_for
):
    client = client_for(manager)
    with assert_nothing_changed():
        page = client.get(url(municipality, "kickoff")).content.decode()
    assert page.count('<tr><th scope="row">') == 6
    assert 'id="kickoff-not-started"' in page
    assert 'id="kickoff-start"' in page
    # No step has a row yet, so none links to its form.
    assert not re.search(r"/kickoff/\d+/", page)


def test_the_start_button_saves_the_six_steps_and_disappears(municipality, manager, client_for):
    client = client_for(manager)
    assert client.post(url(municipality, "kickoff")).status_code == 302
    steps = KickoffStep.objects.filter(municipality=municipality)
    assert steps.count() == 6
    page = client.get(url(municipality, "kickoff")).content.decode()
    assert 'id="kickoff-start"' not in page and 'id="kickoff-not-started"' not in page
    assert url(municipality, "kickoff_step", step_id=steps.get(step=1).pk) in page


# Those who read the checklist but may not start it.
@pytest.mark.parametrize("role", roles_allowed("view_agreement", refused=["edit_agreement"]))
def test_only_the_team_starts_the_checklist(role, municipality, users_by_role, client_for):
    client = client_for(users_by_role[role])
    page = client.get(url(municipality, "kickoff")).content.decode()
    assert 'id="kickoff-not-started"' in page and 'id="kickoff-start"' not in page
    with assert_nothing_changed():
        assert client.post(url(municipality, "kickoff")).status_code == 403


def test_the_manager_records_a_step_and_progress_follows(municipality, manager, client_for):
    client = client_for(manager)
    client.post(url(municipality, "kickoff"))
    step = KickoffStep.objects.get(municipality=municipality, step=1)
    response = client.post(
        url(municipality, "kickoff_step", step_id=step.pk),
        {
            "date": "2027-01-10",
            "attendees": "ראש הרשות, מנכ״ל",
            "notes": "פגישה טובה",
            "done": "on",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done and step.date == datetime.date(2027, 1, 10)
    assert selectors.kickoff_progress(municipality)["done"] == 1
    page = client.get(url(municipality, "kickoff")).content.decode()
    assert "פגישה טובה" in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_edits_kickoff_steps(role, municipality, users_by_role, client_for):
    step = services.kickoff_ensure_steps(municipality=municipality)[0]
    client = client_for(users_by_role[role])
    step_url = url(municipality, "kickoff_step", step_id=step.pk)
    if role in ("manager", "team"):
        assert client.post(step_url, {"notes": "x"}).status_code == 302
    else:
        with assert_nothing_changed():
            assert client.post(step_url, {"notes": "x"}).status_code == 403


@pytest.fixture
def candidate(municipality):
    return a_candidate(municipality)


def test_each_panel_member_scores_once_and_the_sides_are_recorded(
    candidate, manager, mayor_office, hq_user
):
    services.score_sheet_submit(candidate=candidate, user=manager, scores=all_scores(3))
    services.score_sheet_submit(candidate=candidate, user=hq_user, scores=all_scores(5, "מצוינת"))
    with pytest.raises(WorkflowError):
        services.score_sheet_submit(candidate=candidate, user=manager, scores=all_scores(1))
    sides = dict(ScoreSheet.objects.values_list("member__username", "side"))
    assert sides == {"manager": "municipality", "hq": "program"}
    summary = selectors.score_summary(candidate)
    assert summary[0]["average"] == 4 and summary[0]["low"] == 3 and summary[0]["high"] == 5
    assert summary[0]["stdev"] == 1.0


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_scores_out_of_range_are_refused(bad, candidate, manager):
    scores = all_scores()
    scores[Competency.WRITING] = (bad, "")
    with pytest.raises(ValidationError):
        services.score_sheet_submit(candidate=candidate, user=manager, scores=scores)
    assert not ScoreSheet.objects.exists() and not CompetencyScore.objects.exists()


def test_the_score_form_refuses_out_of_range_values(candidate, manager, client_for):
    data = {f"score_{c.value}": "4" for c in Competency}
    data["score_3"] = "9"
    response = client_for(manager).post(
        url(candidate.municipality, "candidate_score", candidate_id=candidate.pk), data
    )
    assert response.status_code == 200
    assert "score_3" in response.context["form"].errors
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_scoring_is_for_panel_roles(role, candidate, users_by_role):
    user = users_by_role[role]
    if role in ("manager", "team", "mayor_office", "hq"):
        services.score_sheet_submit(candidate=candidate, user=user, scores=all_scores())
        assert ScoreSheet.objects.filter(member=user).exists()
    else:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.score_sheet_submit(candidate=candidate, user=user, scores=all_scores())


def test_the_decision_needs_both_sides_and_is_recorded(candidate, manager, mayor_office, hq_user):
    decision = services.hiring_propose(candidate=candidate, user=manager, rationale="הכי מתאימה")
    services.hiring_approve(decision=decision, user=mayor_office)
    decision.refresh_from_db()
    assert decision.recorded_at is None
    with pytest.raises(WorkflowError):
        services.hiring_approve(decision=decision, user=mayor_office)
    services.hiring_approve(decision=decision, user=hq_user)
    decision.refresh_from_db()
    assert decision.is_recorded
    assert decision.municipality_approved_by == mayor_office
    assert decision.program_approved_by == hq_user
    assert AuditLog.objects.filter(action="hiring.record").exists()
    with pytest.raises(WorkflowError):
        services.hiring_propose(candidate=candidate, user=manager)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_mayors_office_and_hq_approve_the_decision(
    role, candidate, manager, users_by_role
):
    decision = services.hiring_propose(candidate=candidate, user=manager)
    user = users_by_role[role]
    if role in ("mayor_office", "hq"):
        services.hiring_approve(decision=decision, user=user)
    else:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.hiring_approve(decision=decision, user=user)
        decision.refresh_from_db()
        assert decision.municipality_approved_at is None and decision.program_approved_at is None


def test_the_hiring_pages_show_candidates_and_scores(candidate, manager, hq_user, client_for):
    services.score_sheet_submit(candidate=candidate, user=hq_user, scores=all_scores(2, "הערה"))
    client = client_for(manager)
    assert candidate.name in client.get(url(candidate.municipality, "hiring")).content.decode()
    page = client.get(
        url(candidate.municipality, "candidate", candidate_id=candidate.pk)
    ).content.decode()
    assert "הערה" in page and "score-summary" in page
    response = client.post(url(candidate.municipality, "hiring"), {"name": "יעל כהן"})
    assert response.status_code == 302
    response = client.post(
        url(candidate.municipality, "hiring_propose", candidate_id=candidate.pk),
        {"rationale": "ניסיון רב"},
    )
    assert HiringDecision.objects.get().candidate == candidate


@pytest.mark.parametrize("role", ROLES)
def test_the_hiring_pages_are_closed_to_track_leads_and_committee_members(
    role, candidate, users_by_role, client_for
):
    response = client_for(users_by_role[role]).get(url(candidate.municipality, "hiring"))
    allowed = role in ("manager", "team", "mayor_office", "hq")
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_team_schedules_interviews(role, candidate, users_by_role, client_for):
    client = client_for(users_by_role[role])
    interview_add = url(candidate.municipality, "interview_add", candidate_id=candidate.pk)
    data = {"starts_at": "2027-02-01T10:00", "location": "לשכת המנכ״ל"}
    if role in ("manager", "team"):
        assert client.post(interview_add, data).status_code == 302
        assert candidate.interviews.get().location == "לשכת המנכ״ל"
    else:
        with assert_nothing_changed():
            response = client.post(interview_add, data)
        assert response.status_code == 403


def test_the_candidate_page_keeps_a_constant_number_of_queries(
    candidate, manager, users_by_role, client_for
):
    from tests.querycount import assert_constant_queries

    def grow():
        for role in ("team", "mayor_office", "hq"):
            services.score_sheet_submit(
                candidate=candidate, user=users_by_role[role], scores=all_scores(3, "הערה")
            )

    assert_constant_queries(
        client_for(manager),
        url(candidate.municipality, "candidate", candidate_id=candidate.pk),
        grow,
    )
