"""Journey 1: a program manager logs in with the keyboard (password, then the authenticator's code), sees
the Hebrew right-to-left dashboard, switches to English, and logs out."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_logs_in_sees_hebrew_rtl_switches_to_english_and_logs_out(
    a11y, manager, municipality
):
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    web = a11y()
    page = web.goto("/accounts/login/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "he"

    web.tab_to("#id_username")
    page.keyboard.type("manager")
    web.tab_to("#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # A manager sees residents' contact details: the password alone is not enough.
    page.wait_for_url("**/accounts/two-factor/verify/**")
    web.check()
    web.type_totp(manager)
    page.wait_for_url(f"**/m/{municipality.slug}/")
    web.check()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "קהילה מיטיבה בעין הגליל"

    web.tab_to("#language-select")
    page.select_option("#language-select", "en")
    web.tab_to("footer button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.lang === 'en'")
    web.check()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "Kehila Metiva in" in page.get_by_role("heading", level=1).inner_text()

    web.tab_to("#logout-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/")
    web.check()
    assert page.get_by_role("heading", name="Log in").is_visible()


def test_a_wrong_password_gets_the_usual_message_without_a_hint(a11y, manager):
    web = a11y()
    page = web.goto("/accounts/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "not-the-password")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert, .invalid-feedback, #error_1_id_password, .alert-block")
    web.check()
    assert page.url.endswith("/accounts/login/")


def test_the_accessibility_statement_is_linked_from_every_page(a11y):
    web = a11y()
    page = web.goto("/accounts/login/")
    web.tab_to("footer a[href='/accessibility/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accessibility/")
    web.check()
    assert page.get_by_role("heading", level=1).inner_text() == "הצהרת נגישות"
