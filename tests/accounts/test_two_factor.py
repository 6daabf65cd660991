"""Two-factor: required of everyone who sees residents' contact details (manager, team, HQ), offered to
the others. These tests log in through the real form: force_login's shortcut is not used here."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kehila.models import AuditLog
from partners.models import Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime(2027, 3, 14, 8, 0, tzinfo=UTC)
PERSON = {
    "person-full_name": "עביר חדאד",
    "person-phone": "052-1234567",
    "person-email": "abir@example.org",
    "person-language": "he",
    "engagement-consent": "passive",
    "engagement-influence_kind": "formal",
    "engagement-influence": "2",
    "engagement-interest": "2",
    "engagement-stage": "identified",
}


def password_login(username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def code_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrol(client, user):
    client.get("/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/two-factor/enrol/", {"code": code_now(device), "next": "/"})
    assert response.status_code == 200
    return device, re.findall(r"<li>([a-z0-9]+)</li>", response.content.decode())


@pytest.mark.parametrize("role", ["manager", "team_member", "hq_user"])
def test_a_role_that_sees_contact_details_must_enrol_before_any_page(request, role, municipality):
    user = request.getfixturevalue(role)
    client = password_login(user.username)
    response = client.get(f"/m/{municipality.slug}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/enrol/?next=")


def test_an_unverified_manager_changes_nothing(manager, municipality):
    client = password_login("manager")
    response = client.post(f"/m/{municipality.slug}/partners/new/", PERSON)
    assert response.status_code == 302 and "/two-factor/" in response.url
    assert not Person.objects.exists()


def test_a_mayors_office_user_is_offered_two_factor_but_not_forced(mayor_office, municipality):
    client = password_login("mayor")
    assert client.get(f"/m/{municipality.slug}/").status_code == 200
    page = client.get("/accounts/security/").content.decode()
    assert 'href="/accounts/two-factor/enrol/"' in page


@time_machine.travel(START, tick=False)
def test_enrolment_shows_ten_recovery_codes_once_and_verifies_the_session(manager, municipality):
    client = password_login("manager")
    page = client.get("/accounts/two-factor/enrol/").content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page
    device, codes = enrol(client, manager)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(f"/m/{municipality.slug}/").status_code == 200
    assert AuditLog.objects.filter(action="two_factor_enrolled", actor=manager).exists()
    # The codes are not shown again: the enrolment page now sends to verification, the account page
    # only counts them.
    assert client.get("/accounts/two-factor/enrol/").status_code == 302
    security = client.get("/accounts/security/").content.decode()
    assert not any(code in security for code in codes)


@time_machine.travel(START, tick=False)
def test_a_wrong_code_does_not_enrol(manager):
    client = password_login("manager")
    client.get("/accounts/two-factor/enrol/")
    response = client.post("/accounts/two-factor/enrol/", {"code": "000000"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()
    assert not StaticToken.objects.exists()


def test_a_totp_code_logs_in_once(manager, municipality):
    with time_machine.travel(START, tick=False):
        device, _codes = enrol(password_login("manager"), manager)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        device.refresh_from_db()
        code = code_now(device)
        first = password_login("manager")
        assert first.get(f"/m/{municipality.slug}/").url.startswith("/accounts/two-factor/verify/")
        assert first.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
        assert first.get(f"/m/{municipality.slug}/").status_code == 200
        # The same code, replayed in another session within its 30 seconds, is refused.
        second = password_login("manager")
        assert second.post("/accounts/two-factor/verify/", {"code": code}).status_code == 400
        assert second.get(f"/m/{municipality.slug}/").status_code == 302


def test_a_recovery_code_logs_in_once(manager, municipality):
    with time_machine.travel(START, tick=False):
        _device, codes = enrol(password_login("manager"), manager)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        first = password_login("manager")
        assert first.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 302
        assert first.get(f"/m/{municipality.slug}/").status_code == 200
        assert StaticToken.objects.count() == 9
        second = password_login("manager")
        assert second.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 400
        assert second.get(f"/m/{municipality.slug}/").status_code == 302
    assert AuditLog.objects.filter(action="two_factor_recovery_code_used").count() == 1


def test_a_mayors_office_user_who_enrolled_must_verify_next_time(mayor_office, municipality):
    with time_machine.travel(START, tick=False):
        enrol(password_login("mayor"), mayor_office)
    client = password_login("mayor")
    assert client.get(f"/m/{municipality.slug}/").url.startswith("/accounts/two-factor/verify/")


def test_the_verify_page_does_not_redirect_elsewhere(manager):
    with time_machine.travel(START, tick=False):
        device, codes = enrol(password_login("manager"), manager)
        client = password_login("manager")
        response = client.post(
            "/accounts/two-factor/verify/", {"code": codes[1], "next": "https://evil.example/"}
        )
    assert response.status_code == 302 and response.url == "/"


def test_a_verified_manager_replaces_the_authenticator_and_must_enrol_again(
    client_for, manager, municipality
):
    client = client_for(manager)
    assert client.get(f"/m/{municipality.slug}/").status_code == 200
    assert client.post("/accounts/two-factor/remove/").status_code == 302
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert AuditLog.objects.filter(action="two_factor_removed", actor=manager).exists()
    assert client.get(f"/m/{municipality.slug}/").url.startswith("/accounts/two-factor/enrol/")


def test_an_unverified_session_cannot_remove_the_authenticator(manager):
    with time_machine.travel(START, tick=False):
        enrol(password_login("manager"), manager)
    client = password_login("manager")
    response = client.post("/accounts/two-factor/remove/")
    assert response.status_code == 302 and "/two-factor/verify/" in response.url
    assert TOTPDevice.objects.filter(user=manager, confirmed=True).count() == 1
    assert StaticToken.objects.count() == 10


def test_the_benchmarks_sessions_pass_the_second_step(manager, municipality):
    from bench.run import verify_two_factor

    client = password_login("manager")
    assert client.get(f"/m/{municipality.slug}/").status_code == 302
    verify_two_factor(client, manager)
    assert client.get(f"/m/{municipality.slug}/").status_code == 200
