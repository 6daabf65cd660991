"""A municipality with no plan row yet (issue 15 §3, no GET that writes): every plan page shows its empty
state without writing, and the first POST that needs the plan makes it, in that write's transaction."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kehila.models import AuditLog
from strategy import plan_services as services
from strategy import selectors
from strategy.models import Action, Goal, LogicModel, Plan, PlanVersion
from tests.helpers import assert_nothing_changed

pytestmark = pytest.mark.django_db


def he(message: str) -> str:
    with translation.override("he"):
        return str(translation.gettext(message))


def url(municipality, name, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"slug": municipality.slug, **kwargs})


@pytest.mark.parametrize("role", ["manager", "mayor_office", "track_lead", "hq"])
def test_the_plan_page_shows_its_empty_state_and_writes_nothing(
    role, municipality, users_by_role, client_for
):
    client = client_for(users_by_role[role])
    with assert_nothing_changed():
        response = client.get(url(municipality, "plan"))
    assert response.status_code == 200
    page = response.content.decode()
    for empty in ("No vision written yet.", "No goals yet.", "No version has been assembled yet."):
        assert he(empty) in page
    assert ('id="assemble-plan"' in page) == (role == "manager")
    assert not Plan.objects.filter(municipality=municipality).exists()


def test_the_empty_plan_page_offers_the_forms_whose_post_makes_the_plan(
    municipality, manager, client_for
):
    page = client_for(manager).get(url(municipality, "plan")).content.decode()
    assert f'href="{url(municipality, "plan_edit")}"' in page
    assert f'href="{url(municipality, "goal_add")}"' in page


@pytest.mark.parametrize("name", ["plan_edit", "goal_add"])
def test_the_forms_of_a_plan_not_started_write_nothing_on_get(
    name, municipality, manager, client_for
):
    client = client_for(manager)
    with assert_nothing_changed():
        assert client.get(url(municipality, name)).status_code == 200


@pytest.mark.parametrize("name", ["track", "action_add", "logic_model"])
def test_the_track_pages_of_a_plan_not_started_write_nothing_on_get(
    name, municipality, manager, client_for
):
    client = client_for(manager)
    with assert_nothing_changed():
        assert client.get(url(municipality, name) + "?track=social").status_code == 200


def test_saving_the_vision_makes_the_plan(municipality, manager, client_for):
    response = client_for(manager).post(
        url(municipality, "plan_edit"),
        {"title": "תוכנית", "vision": "קהילה מיטיבה", "flexible_budget": "1000"},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(municipality=municipality)
    assert plan.vision == "קהילה מיטיבה"


def test_an_invalid_vision_form_makes_no_plan(municipality, manager, client_for):
    client = client_for(manager)
    with assert_nothing_changed():
        response = client.post(
            url(municipality, "plan_edit"), {"vision": "x", "flexible_budget": "-5"}
        )
    assert response.status_code == 200


def test_the_first_goal_makes_the_plan_it_hangs_from(municipality, manager, client_for):
    response = client_for(manager).post(url(municipality, "goal_add"), {"title": "חוסן קהילתי"})
    assert response.status_code == 302
    goal = Goal.objects.get(municipality=municipality)
    assert goal.plan == Plan.objects.get(municipality=municipality)


def test_the_first_action_makes_the_plan(municipality, track_lead, client_for):
    response = client_for(track_lead).post(
        url(municipality, "action_add") + "?track=social",
        {
            "title": "מרכז קהילתי",
            "owner": "מנהלת המתנ״ס",
            "start": "2027-03-01",
            "end": "2028-06-30",
            "kind": "infrastructure",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(municipality=municipality)
    assert action.plan == Plan.objects.get(municipality=municipality)


def test_the_first_logic_model_makes_the_plan(municipality, manager, client_for):
    response = client_for(manager).post(
        url(municipality, "logic_model") + "?track=social", {"inputs": "תקציב ומתנדבים"}
    )
    assert response.status_code == 302
    model = LogicModel.objects.get(municipality=municipality, track="social")
    assert model.plan == Plan.objects.get(municipality=municipality)


def test_a_refused_first_write_leaves_no_plan(municipality, mayor_office, track_lead):
    blank = selectors.plan_of(municipality)
    assert blank.pk is None
    with assert_nothing_changed():
        with pytest.raises(PermissionDenied):
            services.goal_add(plan=blank, user=mayor_office, title="x")
        # The plan is saved before the action's permission is known: the refusal rolls it back.
        with pytest.raises(PermissionDenied):
            services.action_add(
                plan=blank,
                user=track_lead,
                track="urban",
                title="x",
                start=datetime.date(2027, 3, 1),
                end=datetime.date(2027, 6, 1),
                kind="program",
            )
    assert not Plan.objects.filter(municipality=municipality).exists()


def test_the_plan_already_saved_is_the_one_the_pages_read(municipality, manager):
    plan = services.plan_for(municipality)
    assert selectors.plan_of(municipality) == plan
    assert (
        services.goal_add(plan=selectors.plan_of(municipality), user=manager, title="x").plan
        == plan
    )
    assert Plan.objects.filter(municipality=municipality).count() == 1


@pytest.mark.parametrize("name", ["plan_version_pdf", "plan_version_xlsx"])
def test_the_export_of_a_version_that_does_not_exist_is_404_and_logs_nothing(
    name, municipality, manager, client_for
):
    client = client_for(manager)
    missing = (PlanVersion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with assert_nothing_changed():
        response = client.get(url(municipality, name, plan_version_id=missing))
    assert response.status_code == 404
    assert not AuditLog.objects.filter(action__startswith="plan.export").exists()
