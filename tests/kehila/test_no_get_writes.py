"""No GET writes (issue 15 §3): every page of the URL map, opened by every role, leaves every project
table as it was. The one write a read makes by design is the log of who saw residents' contact details."""

import pytest

from kehila.models import Municipality, Program, Role
from tests.factories import member
from tests.helpers import database_snapshot
from tests.kehila.test_tenancy import ROUTES, build_url, sample_makers

# Records a read makes on purpose: who saw residents' contact details (issue 14, privacy) and the audit
# record of a download (a person's data, an export, a signed PDF).
READ_LOGS = {"kehila_contactaccess", "kehila_auditlog"}

# Pages that take what they show from the query string: without it they answer 404 before reading
# anything, so the walk gives it to them (a work plan or a logic model of a track).
QUERY = {
    "strategy:track": "?track=social",
    "strategy:action_add": "?track=social",
    "strategy:logic_model": "?track=social",
}


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(
        f"{table}: {before[table][0]} -> {after[table][0]} rows"
        for table in before
        if table not in READ_LOGS and before[table] != after[table]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_no_page_writes_on_get_for_any_role(route, client, municipality, manager):
    url = build_url(route, municipality.slug, municipality, sample_makers(route))
    url += QUERY.get(route.name, "")
    users = [manager] + [member(municipality, role) for role in Role.values if role != Role.MANAGER]
    # One snapshot around every role's GET keeps the walk quick; a login writes Django's session and
    # the user's last login only, not a project table.
    before = database_snapshot()
    for user in users:
        client.force_login(user)
        client.get(url)
    changed = _changed(before, database_snapshot())
    assert not changed, f"GET {url} wrote: {'; '.join(changed)}"


@pytest.mark.django_db
def test_a_municipality_without_a_program_is_404_and_no_program_is_made(client, manager):
    # A municipality created around the service (a raw insert) has no program: pages do not make one.
    bare = Municipality.objects.create(name="ריקה", slug="bare")
    hq = member(None, Role.HQ)
    client.force_login(hq)
    for path in (f"/m/{bare.slug}/", f"/m/{bare.slug}/timeline/"):
        assert client.get(path).status_code == 404
    assert not Program.objects.filter(municipality=bare).exists()


@pytest.mark.django_db
def test_the_admin_and_the_service_create_the_program_with_the_municipality():
    from kehila.programs import municipality_create, program_ensure

    town = municipality_create(name="חדשה", slug="new-town", name_en="New Town")
    assert Program.objects.filter(municipality=town).count() == 1
    assert program_ensure(municipality=town) == town.program
    assert Program.objects.filter(municipality=town).count() == 1
