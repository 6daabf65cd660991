"""Journey: a program manager's first login asks to enrol an authenticator; she enrols by keyboard, keeps
her recovery codes, logs out, and logs in again with the authenticator's code; later with a recovery code."""

import re

import pytest

from tests.browser.conftest import totp_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _password_login(web, username):
    page = web.goto("/accounts/login/")
    web.tab_to("#id_username")
    page.keyboard.type(username)
    web.tab_to("#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    return page


def _log_out(web):
    page = web.page
    web.tab_to("#logout-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/")
    web.check()


def test_a_manager_enrols_totp_and_logs_in_with_it(a11y, manager, municipality):
    web = a11y()
    page = _password_login(web, "manager")
    page.wait_for_url("**/accounts/two-factor/enrol/**")
    web.check()
    assert page.locator("figure svg").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "הגדרת אימות דו-שלבי"

    web.type_totp(manager)
    page.wait_for_selector("#recovery-codes")
    web.check()
    codes = re.findall(r"[a-z0-9]{8}", page.locator("#recovery-codes").inner_text())
    assert len(codes) == 10
    web.tab_to("main a.btn-primary")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/")
    web.check()

    _log_out(web)
    page = _password_login(web, "manager")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    web.check()
    web.type_totp(manager)
    page.wait_for_url(f"**/m/{municipality.slug}/")
    web.check()
    assert page.get_by_role("heading", level=1).inner_text() == "קהילה מיטיבה בעין הגליל"

    _log_out(web)
    page = _password_login(web, "manager")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    web.tab_to("#id_code")
    page.keyboard.type(codes[0])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/")
    web.check()
    assert totp_code(manager)  # the authenticator is still there after a recovery code was used
