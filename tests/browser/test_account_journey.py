"""My account (issue 16): a committee member opens My account from the navbar, turns off meeting
reminders, changes the language to English and sees the page in English, with the keyboard alone."""

import pytest

from kehila import profile
from kehila.models import Profile

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_turns_off_reminders_and_switches_to_english(a11y, committee_member, municipality):
    web = a11y()
    web.login(committee_member)
    page = web.goto(f"/m/{municipality.slug}/")

    web.tab_to("header a[href='/accounts/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/")
    web.check()
    assert page.locator("html").get_attribute("lang") == "he"

    web.tab_to("#id_meeting_reminders")
    page.keyboard.press("Space")  # on by default: off now
    web.tab_to("form[action='/accounts/notifications/'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert not profile.wants(committee_member.email, profile.MEETING_REMINDER)
    assert Profile.objects.get(user=committee_member).meeting_reminders is False

    web.tab_to("#id_language")
    page.select_option("#id_language", "en")
    web.tab_to("form[action='/accounts/profile/'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.lang === 'en'")
    web.check()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", level=1).inner_text() == "My account"
    assert page.get_by_text("Your profile is saved.").is_visible()
    assert profile.language_of(committee_member) == "en"
