"""Tenancy proved over the whole URL map: a user of one municipality gets 404 for every page and object of
another. A view added later is covered automatically; a new URL parameter must register a sample object in
tests/<app>/tenancy_samples.py (SAMPLES = {"param_name": lambda municipality: value}) or this test fails."""

import importlib
from contextlib import nullcontext

import pytest
from django.urls import resolve

from kehila.models import Role
from kehila.permissions import RULES
from tests.factories import member
from tests.helpers import assert_nothing_changed
from tests.urlmap import municipality_routes

APPS = ["kehila", "partners", "committees", "strategy", "pilots", "live"]


def sample_makers(route) -> dict:
    """Every app's samples, the route's own app winning: two apps may name a parameter alike
    (`action_id` is a committee's action item and a plan's action)."""
    makers, own = {}, route.name.partition(":")[0]
    for app in [a for a in APPS if a != own] + [own]:
        try:
            module = importlib.import_module(f"tests.{app}.tenancy_samples")
        except ModuleNotFoundError:
            continue
        makers.update(module.SAMPLES)
    return makers


def build_url(route, slug, municipality, makers):
    url = route.route
    for param in route.params:
        if param == "slug":
            value = slug
        else:
            assert param in makers, (
                f"{route.name}: register a sample for URL parameter {param!r} in "
                "tests/<app>/tenancy_samples.py so the tenancy test can cover it"
            )
            value = makers[param](municipality)
        url = url.replace(next(p for p in _placeholders(url) if p[1] == param)[0], str(value), 1)
    return "/" + url


def _placeholders(route):
    from tests.urlmap import PARAM

    return [(m.group(0), m.group("name")) for m in PARAM.finditer(route)]


ROUTES = municipality_routes()


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_of_another_municipality_gets_404_everywhere(
    route, method, client, municipality, outsider, manager
):
    makers = sample_makers(route)
    client.force_login(outsider)
    # Our slug outright, and (where the URL names objects) their own slug with our objects: both must
    # answer as if nothing were there.
    urls = [build_url(route, municipality.slug, municipality, makers)]
    if len(route.params) > 1:
        outsider_slug = outsider.memberships.get().municipality.slug
        urls.append(build_url(route, outsider_slug, municipality, makers))
    for url in urls:
        with assert_nothing_changed() if method == "post" else nullcontext():
            response = getattr(client, method)(url)
        assert response.status_code == 404, (
            f"{method.upper()} {url} answered {response.status_code}"
        )
        assert municipality.name not in response.content.decode()


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_role_the_rule_table_refuses_gets_403_and_changes_nothing(
    route, client, municipality, manager
):
    """The URL x role matrix, driven by RULES: each page declares its action in `municipality_view`,
    and every member role that action does not allow is refused (403) on GET and POST, with nothing
    written."""
    url = build_url(route, municipality.slug, municipality, sample_makers(route))
    action = getattr(resolve(url).func, "kehila_action", None)
    assert action in RULES, f"{route.name} is not a municipality_view"
    refused = {role: member(municipality, role) for role in set(Role.values) - set(RULES[action])}
    answers = {}
    for role, user in refused.items():
        client.force_login(user)
        answers[role, "GET"] = client.get(url).status_code
    # One snapshot around every refused POST keeps the walk of the whole URL map quick. A login writes
    # only Django's session and the user's last login, not a project table.
    with assert_nothing_changed():
        for role, user in refused.items():
            client.force_login(user)
            answers[role, "POST"] = client.post(url).status_code
    wrong = {key: status for key, status in answers.items() if status != 403}
    assert wrong == {}, f"{url} ({action}) answered other than 403"


def test_an_unknown_municipality_is_404(client, manager):
    client.force_login(manager)
    assert client.get("/m/no-such-town/").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, municipality):
    response = client.get(f"/m/{municipality.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_url_map_has_municipality_pages():
    assert any(r.name == "kehila:dashboard" for r in ROUTES)
