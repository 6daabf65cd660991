"""Issue 16: a person with roles in two municipalities logs in, chooses one, and moves to the other with
the navbar's switcher by keyboard alone; then HQ pauses a municipality and its manager sees the banner
and the reason a write is refused."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kehila.models import Municipality, Role
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory
from tests.kehila.timeline_factories import plan_program

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate("el => el === document.activeElement")


def test_a_person_chooses_a_municipality_switches_by_keyboard_and_sees_a_pause(
    a11y, manager, municipality, other_municipality, hq_user
):
    # The manager of Ein HaGalil is also on the program team of Neve Hadarim.
    MembershipFactory(user=manager, municipality=other_municipality, role=Role.TEAM)
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    plan_program(municipality, actor=manager)  # a timeline, with its slip threshold form

    web = a11y()
    page = web.goto("/accounts/login/")
    web.tab_to("#id_username")
    page.keyboard.type("manager")
    web.tab_to("#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    web.check()
    web.type_totp(manager)

    # Two municipalities: the chooser, not a dashboard.
    page.wait_for_url(lambda url: url.rstrip("/") == web.base_url)
    web.check()
    chooser = page.locator("#municipality-chooser")
    assert "עין הגליל" in chooser.inner_text() and "נווה הדרים" in chooser.inner_text()
    web.tab_to(f"#municipality-chooser a[href='/m/{municipality.slug}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/")
    web.check()
    assert page.locator(".navbar-text").inner_text() == "עין הגליל"

    # The switcher, by keyboard alone: Tab to the button, Enter opens it, arrows reach the item.
    switcher = page.locator("#municipality-switcher")
    web.tab_to("#municipality-switcher")
    assert switcher.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.getElementById('municipality-switcher').getAttribute('aria-expanded') === 'true'"
    )
    current = page.locator(f"#main-nav .dropdown-menu a[href='/m/{municipality.slug}/']")
    assert current.get_attribute("aria-current") == "page"
    target = f"#main-nav .dropdown-menu a[href='/m/{other_municipality.slug}/']"
    for _ in range(4):
        page.keyboard.press("ArrowDown")
        if _focused(page, target):
            break
    assert _focused(page, target), "the other municipality cannot be reached with the arrow keys"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{other_municipality.slug}/")
    web.check()
    assert page.locator(".navbar-text").inner_text() == "נווה הדרים"
    now_current = page.locator(f"#main-nav .dropdown-menu a[href='/m/{other_municipality.slug}/']")
    assert now_current.get_attribute("aria-current") == "page"

    # Space opens it too; Escape closes it and gives the focus back to the button.
    web.tab_to("#municipality-switcher")
    page.keyboard.press("Space")
    page.wait_for_function(
        "document.getElementById('municipality-switcher').getAttribute('aria-expanded') === 'true'"
    )
    page.keyboard.press("Escape")
    assert switcher.get_attribute("aria-expanded") == "false"
    assert _focused(page, "#municipality-switcher")

    # Back in Ein HaGalil, the manager has the timeline's slip threshold form open.
    page = web.goto(f"/m/{municipality.slug}/timeline/")
    assert page.locator("#slip-threshold").is_visible()

    # HQ pauses Ein HaGalil from its page.
    hq = a11y()
    hq.login(hq_user)
    hq_page = hq.goto(f"/hq/m/{municipality.slug}/")
    hq.tab_to("#id_reason")
    hq_page.keyboard.type("בחירות: המועצה אינה מתכנסת")
    hq.tab_to("form button.btn-warning")
    hq_page.keyboard.press("Enter")
    hq_page.wait_for_selector("#pause-state .badge")
    hq.check()
    assert Municipality.objects.get(pk=municipality.pk).paused_at is not None

    # The manager's write is refused with the reason, and the dashboard carries the banner.
    web.tab_to("#slip-threshold input[name=slip_alert_days]")
    page.keyboard.press("Control+A")
    page.keyboard.type("9")
    page.keyboard.press("Enter")
    page.wait_for_selector("#paused-refusal")
    web.check()
    assert "עין הגליל" in page.locator("#paused-refusal").inner_text()
    assert Municipality.objects.get(pk=municipality.pk).slip_alert_days != 9
    page = web.goto(f"/m/{municipality.slug}/")
    assert page.locator("#paused-banner").is_visible()
    # The other municipality is not paused with it.
    page = web.goto(f"/m/{other_municipality.slug}/")
    assert page.locator("#paused-banner").count() == 0
