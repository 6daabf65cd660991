"""Committees journey 1: the manager schedules a design-committee meeting, builds its agenda and sends
the invitations; every member gets one e-mail with a personal link and the .ics."""

import re

import pytest
from django.core import mail

from committees.models import AgendaItem, Invitation, Meeting
from tests.committees.factories import CommitteeFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_creates_a_design_meeting_with_an_agenda_and_sends_invitations(
    a11y, manager, municipality
):
    committee = CommitteeFactory(municipality=municipality, kind="design", name="ועדה מעצבת")
    MemberFactory.create_batch(3, committee=committee)
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/committees/")
    page.get_by_role("link", name="ועדה מעצבת").click()
    web.check()

    web.tab_to("#new-meeting")
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings/new/")
    web.check()
    page.fill("#id_title", "מפגש ראשון: אתגרי המיקוד")
    page.fill("#id_starts_at", "2030-03-05T17:00")
    page.fill("#id_ends_at", "2030-03-05T19:30")
    page.fill("#id_place", "אולם המועצה")
    web.tab_to("#save-meeting")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    web.check()
    meeting = Meeting.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == "מפגש ראשון: אתגרי המיקוד"

    for title, questions in [("היכרות", "מה הביא אותך?"), ("בחירת אתגרים", "מה הכי בוער?")]:
        page.click("#add-agenda-item")
        page.wait_for_url("**/agenda/add/")
        web.check()
        page.fill("#id_title", title)
        page.fill("#id_presenter", "נועה")
        page.fill("#id_guiding_questions", questions)
        page.get_by_role("button", name="הוספה לסדר היום").click()
        page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/(#.*)?$"))
        web.check()
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["היכרות", "בחירת אתגרים"]
    assert page.get_by_text("מה הכי בוער?").is_visible()

    web.tab_to("#send-invitations")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert Invitation.objects.filter(meeting=meeting).count() == 3
    assert len(mail.outbox) == 3
    assert page.locator('[data-count="none"]').inner_text() == "3"

    page.click("text=סדר יום להדפסה")
    page.wait_for_url("**/agenda/")
    web.check()
    assert page.get_by_text("בחירת אתגרים").is_visible()
