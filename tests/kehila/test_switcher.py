"""Moving between municipalities: the chooser after login and the navbar's switcher."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehila.context_processors import switcher
from kehila.models import Membership, Role
from tests.factories import MunicipalityFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def companion(municipality, other_municipality):
    """A community companion: team in one municipality, track lead in the other."""
    user = member(municipality, Role.TEAM, user__username="companion")
    Membership.objects.create(
        user=user, municipality=other_municipality, role=Role.TRACK_LEAD, track="social"
    )
    return user


def switcher_links(page: str) -> list[str]:
    menu = re.search(r'aria-labelledby="municipality-switcher">(.*?)</ul>', page, re.S)
    return re.findall(r'href="([^"]+)"', menu.group(1)) if menu else []


def test_a_person_with_two_municipalities_chooses_one_after_login(
    client, companion, municipality, other_municipality
):
    client.force_login(companion)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="municipality-chooser"' in page
    assert f'href="/m/{municipality.slug}/"' in page
    assert f'href="/m/{other_municipality.slug}/"' in page


def test_a_person_with_one_municipality_goes_straight_to_it(client, manager, municipality):
    client.force_login(manager)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == f"/m/{municipality.slug}/"


def test_the_switcher_links_to_each_dashboard_and_marks_the_current(
    client, companion, municipality, other_municipality
):
    client.force_login(companion)
    page = client.get(f"/m/{municipality.slug}/timeline/").content.decode()
    assert sorted(switcher_links(page)) == sorted(
        [f"/m/{municipality.slug}/", f"/m/{other_municipality.slug}/"]
    )
    assert f'href="/m/{municipality.slug}/" aria-current="page"' in page
    assert f'href="/m/{other_municipality.slug}/" aria-current' not in page


def test_no_switcher_for_a_person_of_one_municipality(client, manager, municipality):
    client.force_login(manager)
    assert switcher_links(client.get(f"/m/{municipality.slug}/").content.decode()) == []
    assert (
        'id="municipality-switcher"' not in client.get(f"/m/{municipality.slug}/").content.decode()
    )


def test_the_switcher_never_lists_a_municipality_without_a_role(client, companion, municipality):
    foreign = MunicipalityFactory(name="אחרת", slug="acheret")
    client.force_login(companion)
    assert f"/m/{foreign.slug}/" not in switcher_links(
        client.get(f"/m/{municipality.slug}/").content.decode()
    )


class _Request:
    def __init__(self, user, municipality=None):
        self.user = user
        self.municipality = municipality


def test_the_list_costs_one_query_once_per_request_however_many(companion, municipality):
    request = _Request(companion, municipality)
    companion._kehila_memberships = None
    from kehila.permissions import member_municipality_ids

    member_municipality_ids(companion)  # the memberships every page reads already
    for n in range(4):
        town = MunicipalityFactory(name=f"עיר {n}", slug=f"ir-{n}")
        Membership.objects.create(user=companion, municipality=town, role=Role.TEAM)
    companion._kehila_memberships = None
    member_municipality_ids(companion)
    with CaptureQueriesContext(connection) as ctx:
        first = switcher(request)
        again = switcher(request)
    assert len(ctx.captured_queries) == 1
    assert first is again and len(first) == 6


def test_one_municipality_costs_no_query(manager, municipality):
    request = _Request(manager, municipality)
    from kehila.permissions import member_municipality_ids

    member_municipality_ids(manager)
    with CaptureQueriesContext(connection) as ctx:
        assert switcher(request) == []
    assert len(ctx.captured_queries) == 0
