"""A track lead works inside their own track: an action of their track cannot be carried under another
track's objective, neither through the page nor through the service (issue 14 §6)."""

import pytest

from kehila.permissions import PermissionDenied
from strategy import plan_services as services
from strategy.models import Action
from tests.helpers import assert_nothing_changed
from tests.strategy.plan_factories import an_action, an_objective

pytestmark = pytest.mark.django_db


def edit_url(municipality, action):
    return f"/m/{municipality.slug}/strategy/plan/actions/{action.pk}/"


def form_data(action, objective):
    return {
        "title": action.title,
        "owner": action.owner,
        "partners": action.partners,
        "start": action.start.isoformat(),
        "end": action.end.isoformat(),
        "kind": action.kind,
        "objective": objective.pk,
    }


@pytest.fixture
def social_action(municipality):
    return an_action(municipality, track="social")


@pytest.fixture
def urban_objective(municipality):
    return an_objective(municipality, track="urban", title="כיכרות מוצלות")


def test_the_service_refuses_a_track_lead_moving_an_action_under_another_tracks_objective(
    track_lead, social_action, urban_objective
):
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.action_update(action=social_action, user=track_lead, objective=urban_objective)
    social_action.refresh_from_db()
    assert social_action.objective.track == "social"


def test_the_service_refuses_a_track_lead_adding_an_action_under_another_tracks_objective(
    municipality, track_lead, social_action, urban_objective
):
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.action_add(
            plan=social_action.plan,
            user=track_lead,
            track="social",
            title="חוגי נוער",
            owner="רכז נוער",
            start=social_action.start,
            end=social_action.end,
            kind="program",
            objective=urban_objective,
        )


def test_the_edit_page_neither_offers_nor_accepts_another_tracks_objective(
    municipality, track_lead, social_action, urban_objective, client_for
):
    client = client_for(track_lead)
    page = client.get(edit_url(municipality, social_action)).content.decode()
    assert f'value="{social_action.objective_id}"' in page
    assert f'value="{urban_objective.pk}"' not in page
    with assert_nothing_changed():
        response = client.post(
            edit_url(municipality, social_action), form_data(social_action, urban_objective)
        )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_the_program_team_may_link_an_action_to_any_tracks_objective(
    manager, social_action, urban_objective
):
    services.action_update(action=social_action, user=manager, objective=urban_objective)
    assert Action.objects.get(pk=social_action.pk).objective == urban_objective


def test_a_track_lead_still_edits_an_action_the_team_linked_elsewhere(
    municipality, manager, track_lead, social_action, urban_objective, client_for
):
    services.action_update(action=social_action, user=manager, objective=urban_objective)
    response = client_for(track_lead).post(
        edit_url(municipality, social_action),
        form_data(social_action, urban_objective) | {"title": "מרכז קהילתי מחודש"},
    )
    assert response.status_code == 302
    social_action.refresh_from_db()
    assert social_action.title == "מרכז קהילתי מחודש"
    assert social_action.objective == urban_objective
