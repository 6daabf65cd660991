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


def test_a_member_who_turned_reminders_off_gets_none_while_another_invitee_does(
    a11y, committee_member, municipality
):
    """The switch on My account reaches the reminders: the member is invited by their person's e-mail
    (the account's), the reminder round skips them and reminds the other invitee."""
    from committees import services
    from committees.models import Meeting
    from kehila.models import SentMessage
    from kehila.permissions import SYSTEM
    from tests.committees.factories import CommitteeFactory, InvitationFactory, MeetingFactory

    committee = CommitteeFactory(municipality=municipality)
    meeting = MeetingFactory(committee=committee, status=Meeting.Status.INVITED)
    InvitationFactory(
        meeting=meeting,
        person__municipality=municipality,
        person__email=committee_member.email.upper(),  # the same address, as people type it
    )
    InvitationFactory(
        meeting=meeting, person__municipality=municipality, person__email="other@example.org"
    )

    web = a11y()
    web.login(committee_member)
    page = web.goto("/accounts/")
    assert page.locator("#id_meeting_reminders").is_checked()
    web.tab_to("#id_meeting_reminders")
    page.keyboard.press("Space")
    web.tab_to("form[action='/accounts/notifications/'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert not page.locator("#id_meeting_reminders").is_checked()

    assert services.reminders_send(meeting=meeting, actor=SYSTEM) == 1
    reminded = set(SentMessage.objects.values_list("to", flat=True))
    assert "other@example.org" in reminded
    assert not {to.lower() for to in reminded} & {committee_member.email.lower()}


def test_with_reminders_on_both_invitees_are_reminded(committee_member, municipality):
    """The clean case of the journey above: nobody turned reminders off, both are reminded."""
    from committees import services
    from committees.models import Meeting
    from kehila.models import SentMessage
    from kehila.permissions import SYSTEM
    from tests.committees.factories import CommitteeFactory, InvitationFactory, MeetingFactory

    meeting = MeetingFactory(
        committee=CommitteeFactory(municipality=municipality), status=Meeting.Status.INVITED
    )
    for email in (committee_member.email, "other@example.org"):
        InvitationFactory(meeting=meeting, person__municipality=municipality, person__email=email)
    assert services.reminders_send(meeting=meeting, actor=SYSTEM) == 2
    reminded = {to.lower() for to in SentMessage.objects.values_list("to", flat=True)}
    assert reminded == {committee_member.email.lower(), "other@example.org"}
