import pytest
from django.core import mail
from django.core.management import call_command

from kehila.demo import DEMO_PASSWORD, load_demo
from kehila.models import Membership, Municipality, Program, Role, Stage
from tests.factories import MunicipalityFactory
from tests.helpers import roles_refused
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_the_municipality_and_its_stage(client_for, manager, municipality):
    # The stage shown is derived from facts (kehila.stages), not the stored one: none hold yet.
    Program.objects.filter(municipality=municipality).update(stage=Stage.MAPPING)
    page = client_for(manager).get(f"/m/{municipality.slug}/").content.decode()
    assert "קהילה מיטיבה בעין הגליל" in page
    assert '<strong id="current-stage">התנעה ברשות</strong>' in page
    assert 'dir="rtl"' in page


@pytest.mark.parametrize(
    "role", ["manager", "team", "mayor_office", "track_lead", "committee_member", "hq"]
)
def test_every_role_of_the_municipality_and_hq_may_open_the_dashboard(
    role, users_by_role, client_for, municipality
):
    response = client_for(users_by_role[role]).get(f"/m/{municipality.slug}/")
    assert response.status_code == 200


def test_home_sends_a_one_municipality_user_to_its_dashboard(client_for, manager, municipality):
    response = client_for(manager).get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/m/{municipality.slug}/"


def test_home_sends_hq_to_the_overview(client_for, hq_user):
    assert client_for(hq_user).get("/")["Location"] == "/hq/"


def test_home_lists_the_municipalities_of_a_user_in_several(
    client_for, manager, other_municipality
):
    Membership.objects.create(user=manager, municipality=other_municipality, role=Role.TEAM)
    page = client_for(manager).get("/").content.decode()
    assert "עין הגליל" in page and "נווה הדרים" in page


def test_the_hq_overview_lists_every_municipality_with_constant_queries(
    client_for, hq_user, municipality, other_municipality
):
    client = client_for(hq_user)
    page = client.get("/hq/").content.decode()
    assert "עין הגליל" in page and "נווה הדרים" in page
    assert_constant_queries(client, "/hq/", lambda: MunicipalityFactory.create_batch(20))


@pytest.mark.parametrize("role", roles_refused("view_hq", also=["outsider"]))
def test_only_hq_may_open_the_overview(role, users_by_role, client_for):
    assert client_for(users_by_role[role]).get("/hq/").status_code == 403


def test_the_accessibility_statement_is_public_and_linked_from_the_footer(client):
    page = client.get("/accessibility/").content.decode()
    assert "<h1>הצהרת נגישות</h1>" in page
    assert "5568" in page
    assert 'href="/accessibility/"' in client.get("/accounts/login/").content.decode()


def test_a_wrong_password_gets_the_usual_message_without_saying_whether_the_user_exists(
    client, manager
):
    wrong_password = client.post(
        "/accounts/login/", {"username": "manager", "password": "nope"}
    ).content.decode()
    no_such_user = client.post(
        "/accounts/login/", {"username": "nobody", "password": "nope"}
    ).content.decode()
    assert "נא להזין" in wrong_password or "Please enter" in wrong_password
    # The same message either way: nothing tells an attacker which usernames exist.
    message = [line for line in wrong_password.splitlines() if "alert" in line]
    assert message == [line for line in no_such_user.splitlines() if "alert" in line]


def test_password_reset_sends_a_link_by_email(client, manager):
    response = client.post("/accounts/password_reset/", {"email": manager.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == [manager.email]


def test_healthz_answers_ok(client):
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.content == b"ok"


def test_the_demo_loads_once_and_a_second_run_adds_nothing():
    first = load_demo()
    counts = (Municipality.objects.count(), Membership.objects.count(), Program.objects.count())
    second = load_demo()
    assert first["municipalities"] == 2 and first["users"] == 6
    assert second == {"municipalities": 0, "users": 0}
    assert counts == (
        Municipality.objects.count(),
        Membership.objects.count(),
        Program.objects.count(),
    )


def test_the_demo_logins_work(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Through the form: axes needs the request to count failures, so client.login() cannot be used.
    response = client.post("/accounts/login/", {"username": "manager", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    # A demo manager's first page asks to enrol an authenticator (two-factor is required of managers).
    assert client.get("/").url.startswith("/accounts/two-factor/enrol/")
