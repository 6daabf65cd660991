"""Goals and objectives are edited and removed as the plan runs; signed versions keep their copy."""

import datetime

import pytest

from strategy.models import Action, Goal, IndicatorReading, Objective
from tests.helpers import assert_nothing_changed, roles_refused
from tests.strategy.plan_factories import a_goal, an_action, an_objective

pytestmark = pytest.mark.django_db


def base(municipality):
    return f"/m/{municipality.slug}/strategy/plan"


def objective_post(objective, **changes):
    data = {
        "title": objective.title,
        "indicator": objective.indicator,
        "unit": objective.unit,
        "baseline_value": objective.baseline_value,
        "baseline_date": objective.baseline_date.isoformat(),
        "target_value": objective.target_value,
        "target_date": objective.target_date.isoformat(),
        "owner": objective.owner,
        "track": objective.track,
    }
    return {**data, **changes}


def test_the_team_renames_a_goal(municipality, manager, client_for):
    goal = a_goal(municipality)
    client = client_for(manager)
    page = client.get(f"{base(municipality)}/goals/{goal.pk}/")
    assert page.status_code == 200
    assert goal.title in page.content.decode()
    response = client.post(
        f"{base(municipality)}/goals/{goal.pk}/", {"title": "קהילה חזקה", "description": "עדכון"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.description) == ("קהילה חזקה", "עדכון")
    assert "קהילה חזקה" in client.get(base(municipality) + "/").content.decode()


def test_an_objective_edit_with_the_target_before_the_baseline_keeps_the_input(
    municipality, manager, client_for
):
    objective = an_objective(municipality)
    response = client_for(manager).post(
        f"{base(municipality)}/objectives/{objective.pk}/",
        objective_post(objective, title="כותרת חדשה", target_date="2000-01-01"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "כותרת חדשה" in body  # what was typed is still there
    assert "1.1.2000" in body  # the error says which date
    objective.refresh_from_db()
    assert objective.title != "כותרת חדשה"


def test_an_objective_is_edited(municipality, manager, client_for):
    objective = an_objective(municipality)
    response = client_for(manager).post(
        f"{base(municipality)}/objectives/{objective.pk}/",
        objective_post(objective, target_value="999"),
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.target_value == 999


def test_removing_an_objective_keeps_its_actions_unlinked(municipality, manager, client_for):
    objective = an_objective(municipality)
    IndicatorReading.objects.create(
        municipality=municipality,
        objective=objective,
        measured_on=datetime.date(2026, 5, 1),
        value=3,
    )
    action = an_action(municipality)
    Action.objects.filter(pk=action.pk).update(objective=objective)
    client = client_for(manager)
    delete = f"{base(municipality)}/objectives/{objective.pk}/delete/"
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not Objective.objects.filter(pk=objective.pk).exists()
    assert not IndicatorReading.objects.filter(objective_id=objective.pk).exists()
    action.refresh_from_db()
    assert action.objective_id is None


def test_removing_a_goal_removes_its_objectives(municipality, manager, client_for):
    objective = an_objective(municipality)
    goal = objective.goal
    assert (
        client_for(manager).post(f"{base(municipality)}/goals/{goal.pk}/delete/").status_code == 302
    )
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert not Objective.objects.filter(pk=objective.pk).exists()


@pytest.mark.parametrize("role", roles_refused("edit_plan"))
def test_only_the_program_team_edits_or_removes_goals(
    role, municipality, users_by_role, client_for
):
    objective = an_objective(municipality)
    client = client_for(users_by_role[role])
    with assert_nothing_changed():
        for url in [
            f"{base(municipality)}/goals/{objective.goal_id}/",
            f"{base(municipality)}/objectives/{objective.pk}/",
        ]:
            assert client.get(url).status_code == 403
            assert client.post(url, {"title": "x"}).status_code == 403
        for url in [
            f"{base(municipality)}/goals/{objective.goal_id}/delete/",
            f"{base(municipality)}/objectives/{objective.pk}/delete/",
        ]:
            assert client.post(url).status_code == 403


def test_the_plan_page_links_to_edit_for_the_team_only(
    municipality, manager, mayor_office, client_for
):
    objective = an_objective(municipality)
    edit = f'href="{base(municipality)}/objectives/{objective.pk}/"'
    assert edit in client_for(manager).get(base(municipality) + "/").content.decode()
    assert edit not in client_for(mayor_office).get(base(municipality) + "/").content.decode()
