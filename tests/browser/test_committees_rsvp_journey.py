"""Committees journey 2: a member opens the e-mailed personal link on a phone, answers "coming", then
changes to "not coming"; the manager's counts follow."""

import re

import pytest
from django.conf import settings
from django.core import mail

from committees import services
from committees.models import Invitation
from kehila.permissions import SYSTEM
from tests.browser.conftest import PHONE
from tests.committees.factories import MeetingFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_answers_coming_then_not_coming_from_the_email_on_a_phone(a11y, municipality):
    member = MemberFactory(committee__municipality=municipality, person__full_name="מרים סלאמה")
    meeting = MeetingFactory(committee=member.committee, title="מפגש ועדה מעצבת")
    services.invitations_send(meeting=meeting, actor=SYSTEM)
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/public/committees/rsvp/\S+", mail.outbox[0].body).group(0)
    path = link.removeprefix(settings.SITE_URL)

    web = a11y(viewport=PHONE)
    page = web.goto(path)
    assert page.get_by_role("heading", level=1).inner_text() == "מפגש ועדה מעצבת"

    # One click (here one key) is the answer: the invitation promises it.
    web.tab_to("#rsvp-yes")
    page.keyboard.press("Enter")
    page.wait_for_selector("#rsvp-saved")
    web.check()
    assert (
        "מגיע" in page.locator("#rsvp-saved").inner_text()
        or page.locator("#rsvp-saved").is_visible()
    )
    assert Invitation.objects.get().response == "yes"

    page.click("#rsvp-no")
    page.wait_for_selector("#rsvp-saved")
    assert Invitation.objects.get().response == "no"
    page.fill("#id_note", "חופשה משפחתית")  # the note is optional, after the answer
    page.click("#rsvp-note-submit")
    page.wait_for_selector("#rsvp-saved")
    web.check()
    invitation = Invitation.objects.get()
    assert (invitation.response, invitation.note) == ("no", "חופשה משפחתית")
    assert "btn-primary" in page.locator("#rsvp-no").get_attribute("class")
