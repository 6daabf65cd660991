"""The all-managers meeting, by keyboard, from the partners' list to the summary e-mail (issue 15 §7):
plan it from the mapping, invite them all, write the agenda with a guiding question, name the
note-taker, record a challenge and a follow-up item, send the summary, and see the follow-ups' page.
Every page is checked with axe in Hebrew and English."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from committees.models import Challenge, ManagersMeeting, Meeting
from partners.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


def _at(anchor=""):
    return re.compile(r"/committees/managers/\d+/" + re.escape(anchor) + "$")


def _press(web, selector):
    web.tab_to(selector)
    web.page.keyboard.press("Enter")


def _pick(web, control: str, text: str, expected: str):
    """Type in the picker over the invitees, arrow to the one match and press Enter."""
    page = web.page
    web.tab_to(control)
    page.keyboard.type(text, delay=50)
    option = page.locator(f"{control.removesuffix('-ts-control')}-ts-dropdown [role=option]")
    option.first.wait_for()
    assert option.count() == 1 and expected in option.first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def test_the_manager_runs_the_all_managers_meeting_by_keyboard(a11y, manager, municipality):
    Person.objects.create(
        municipality=municipality,
        full_name="רות המנהיגה",
        email="mayor@example.org",
        municipal_role="mayor",
    )
    dg = Person.objects.create(
        municipality=municipality,
        full_name="Dan Director",
        email="dg@example.org",
        municipal_role="director_general",
        language="en",
    )
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/partners/managers-meeting/")

    _press(web, "#plan-managers-meeting")
    page.wait_for_url("**/committees/managers/new/")
    web.check()
    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    page.fill("#id_starts_at", f"{day}T17:00")
    page.fill("#id_ends_at", f"{day}T19:00")
    page.fill("#id_place", "לשכת ראש העיר")
    _press(web, "#schedule-managers-meeting")
    page.wait_for_url(_at())
    web.check()
    assert "רות המנהיגה" in page.locator("#patron").inner_text()

    _press(web, "#invite-all")
    page.wait_for_url(_at("#invitations-heading"))
    web.check()
    assert sorted(m.to[0] for m in mail.outbox) == ["dg@example.org", "mayor@example.org"]

    _press(web, "#add-agenda-item")
    page.wait_for_url("**/agenda/add/")
    web.check()
    page.fill("#id_title", "האתגרים של כל אגף")
    page.fill("#id_guiding_questions", "מה הכי קשה לתושבים שפונים לאגף שלך?")
    page.locator("#id_guiding_questions").focus()
    page.keyboard.press("Tab")
    for _ in range(10):  # on to the submit button, past the attachment field
        if page.evaluate("document.activeElement.type") == "submit":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/meetings/*/#agenda-heading")
    web.check()
    _press(web, "#managers-meeting-page")
    page.wait_for_url(_at())
    web.check()
    assert "מה הכי קשה לתושבים" in page.locator("#agenda-heading + p + ol").inner_text()

    # The note-taker and the owner are pickers over the invitees (not a select of every person); the
    # box for typing a name without JavaScript is gone once the combobox is set up.
    assert page.locator("#id_person-find, #id_owner-find").count() == 0
    assert page.locator("#id_person option").count() == 1
    _pick(web, "#id_person-ts-control", "Dan", "Dan Director")
    _press(web, "#name-note-taker")
    page.wait_for_url(_at("#note-taker-heading"))
    web.check()
    page.fill("#id_text", "אין תיאום בין האגפים")
    _press(web, "#record-challenge")
    page.wait_for_url(_at("#challenges-heading"))
    web.check()
    page.fill("#id_title", "מיפוי השירותים לתושבים")
    _pick(web, "#id_owner-ts-control", "Direc", "Dan Director")
    _press(web, "#add-follow-up")
    page.wait_for_url(_at("#follow-ups-heading"))
    web.check()

    # The meeting day comes (the live server runs on the real clock): the director general was there.
    managers_meeting = ManagersMeeting.objects.get()
    now = timezone.now()
    Meeting.objects.filter(pk=managers_meeting.meeting_id).update(
        starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
    )
    managers_meeting.meeting.invitations.filter(person=dg).update(attended=True)
    page.reload()
    web.check()
    before = len(mail.outbox)
    page.fill("#id_summary", "Thank you all: we agreed to map every service.")
    _press(web, "#send-summary")
    page.wait_for_url(_at("#summary-heading"))
    web.check()
    summaries = list(mail.outbox)[before:]
    assert [m.to for m in summaries] == [["dg@example.org"]]
    assert "מיפוי השירותים לתושבים · Dan Director" in summaries[0].body
    assert page.locator("#summary-sent").is_visible()

    _press(web, "#follow-ups-page")
    page.wait_for_url("**/follow-ups/")
    web.check()
    assert "מיפוי השירותים לתושבים" in page.locator("#follow-ups").inner_text()
    assert Challenge.objects.get().text == "אין תיאום בין האגפים"
    web.assert_all_checked()
