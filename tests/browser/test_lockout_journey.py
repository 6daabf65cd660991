"""Journey: after too many wrong passwords a manager's login is refused with a clear message; HQ opens the
locked logins page and lifts the lock by keyboard; the manager then logs in."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_hq_lifts_a_lockout_and_the_manager_logs_in(a11y, manager, hq_user, municipality, settings):
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "manager", "password": "guess"})

    web = a11y()
    page = web.goto("/accounts/login/")
    web.tab_to("#id_username")
    page.keyboard.type("manager")
    web.tab_to("#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#lockout-message")
    web.check()
    assert "מטה התוכנית" in page.locator("#lockout-message").inner_text()

    hq = a11y()
    hq.login(hq_user)
    hq_page = hq.goto("/hq/lockouts/")
    assert "manager" in hq_page.locator("#locked-username").inner_text()
    assert "127.0.0.1" in hq_page.locator("#locked-ip_address").inner_text()
    hq.tab_to("#locked-username tbody button[type=submit]")
    with hq_page.expect_navigation():
        hq_page.keyboard.press("Enter")
    hq.check()
    # The failures were all this username's: lifting it clears the address's count too.
    assert "אין נעילות" in hq_page.locator("#locked-username").inner_text()
    assert "אין נעילות" in hq_page.locator("#locked-ip_address").inner_text()

    page = web.goto("/accounts/login/")
    web.tab_to("#id_username")
    page.keyboard.type("manager")
    web.tab_to("#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    web.check()
    web.type_totp(manager)
    page.wait_for_url(f"**/m/{municipality.slug}/")
    web.check()
