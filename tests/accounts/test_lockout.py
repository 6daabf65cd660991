"""Failed logins: fifty wrong passwords lock the username and the address; the correct password is then
refused with a clear message; HQ lifts the lock."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from kehila.models import AuditLog
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"


def _login(client, username, password, visitor="203.0.113.9"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=visitor,
    )


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 1


def test_fifty_wrong_passwords_lock_the_username_and_the_right_one_is_refused(client, manager):
    for _ in range(50):
        _login(client, "manager", "wrong-password")
    response = _login(client, "manager", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert 'id="lockout-message"' in body
    assert "program HQ can lift the lock" in body or "מטה התוכנית" in body
    assert SESSION_KEY not in client.session


def test_the_username_stays_locked_from_another_address(client, manager, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        # Each attempt from a different address: only the username ties them together.
        _login(client, "manager", "wrong-password", visitor=f"198.51.100.{n}")
    response = _login(client, "manager", PASSWORD, visitor="192.0.2.50")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_an_address_trying_many_usernames_is_locked_for_all_of_them(client, manager, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"guess{n}", "wrong-password")
    response = _login(client, "manager", PASSWORD)
    assert response.status_code == 429
    # Another visitor behind the same proxy logs in as usual.
    assert _login(client, "manager", PASSWORD, visitor="198.51.100.7").status_code == 302


def test_a_few_wrong_passwords_do_not_lock_and_a_success_clears_them(client, manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "manager", "wrong-password").status_code == 200
    assert _login(client, "manager", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="manager").exists()


def _lock(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "manager", "wrong-password")


def test_hq_sees_the_lock_and_lifts_it(client, client_for, manager, hq_user, settings):
    from django.test import Client

    _lock(client, settings)
    hq = client_for(hq_user)
    page = hq.get(reverse("hq_lockouts"))
    assert page.status_code == 200
    assert "manager" in page.content.decode() and "203.0.113.9" in page.content.decode()
    assert hq.post(reverse("hq_lockout_lift"), {"username": "manager"}).status_code == 302
    assert hq.post(reverse("hq_lockout_lift"), {"ip_address": "203.0.113.9"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    lifts = AuditLog.objects.filter(action="login_lockout_lifted", actor=hq_user)
    assert lifts.count() == 2
    assert {entry.data["from"] for entry in lifts} == {"127.0.0.1"}
    assert _login(Client(), "manager", PASSWORD).status_code == 302


def test_a_manager_cannot_lift_a_lock(client, client_for, manager, team_member, settings):
    _lock(client, settings)
    before = list(
        AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")
    )
    other = client_for(team_member)
    assert other.get(reverse("hq_lockouts")).status_code == 403
    assert other.post(reverse("hq_lockout_lift"), {"username": "manager"}).status_code == 403
    after = list(
        AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")
    )
    assert after == before
    assert not AuditLog.objects.filter(action="login_lockout_lifted").exists()


def test_the_test_clients_login_is_throttled_like_the_form(client, manager, settings):
    # tests/conftest.py gives Client.login a request: axes refuses to authenticate without one.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert not client.login(username="manager", password="wrong-password")
    assert not client.login(username="manager", password=PASSWORD)
