"""Committees journeys of issue 14: a member sees who is coming to a meeting and nobody's note; the team
turns the sharing off with the keyboard alone, and the member then sees no names while the team still
sees everything. A resident who answers the open call twice is told that the first was updated."""

import pytest
from django.urls import reverse

from committees.models import Committee
from tests.committees.factories import (
    CommitteeFactory,
    InvitationFactory,
    MeetingFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "אגיע רק אחרי איסוף הילדים"


def test_the_team_keeps_the_list_and_a_member_then_sees_no_names(
    a11y, municipality, team_member, committee_member
):
    meeting = MeetingFactory(committee__municipality=municipality, title="מפגש ועדה מעצבת")
    InvitationFactory(
        meeting=meeting,
        person=PersonFactory(municipality=municipality, full_name="נועה מגיעה"),
        response="yes",
        note=NOTE,
    )
    InvitationFactory(
        meeting=meeting,
        person=PersonFactory(municipality=municipality, full_name="יואב לא מגיע"),
        response="no",
    )
    slug = municipality.slug
    meeting_path = reverse("committees:meeting", kwargs={"slug": slug, "meeting_id": meeting.pk})
    committee_path = reverse(
        "committees:detail", kwargs={"slug": slug, "committee_id": meeting.committee_id}
    )

    member = a11y()
    member.login(committee_member)
    page = member.goto(meeting_path)
    answers = page.locator("section[aria-labelledby=rsvp-heading]").inner_text()
    assert "נועה מגיעה" in answers
    assert "יואב לא מגיע" not in answers and NOTE not in page.content()

    team = a11y()
    team.login(team_member)
    team_page = team.goto(committee_path)
    box = team.tab_to("#id_members_see_attendance")
    assert box.is_checked()
    team_page.keyboard.press("Space")
    team.tab_to("#save-sharing")
    team_page.keyboard.press("Enter")
    team_page.wait_for_selector("[role=alert]")
    team.check()
    assert not team_page.locator("#id_members_see_attendance").is_checked()
    assert not Committee.objects.get(pk=meeting.committee_id).members_see_attendance

    page.reload()
    member.check()
    answers = page.locator("section[aria-labelledby=rsvp-heading]").inner_text()
    assert "נועה מגיעה" not in answers

    team_meeting = team.goto(meeting_path)
    assert NOTE in team_meeting.content()
    assert "יואב לא מגיע" in team_meeting.content()


def test_a_resident_who_applies_twice_by_keyboard_is_told_the_first_was_updated(a11y, municipality):
    from django.core.cache import cache

    from committees.models import Application

    cache.clear()  # the open call's rate limit counts per address; other tests came from here too
    web = a11y()
    for email, motivation in (
        ("ronit@example.org", "אני פעילה בוועד השכונה"),
        (" Ronit@Example.org", "ושכחתי לכתוב: גם בספרייה"),
    ):
        page = web.goto(f"/public/committees/apply/{municipality.slug}/")
        web.tab_to("#id_full_name")
        page.keyboard.type("רונית כהן")
        web.tab_to("#id_email")
        page.keyboard.type(email)
        page.select_option("#id_sector", "residents")
        web.tab_to("#id_motivation")
        page.keyboard.type(motivation)
        web.tab_to("form button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/thanks/**")
        web.check()
    assert "עדכנו את המועמדות הקודמת שלך" in page.locator("[role=status]").inner_text()
    application = Application.objects.get()
    assert application.motivation == "ושכחתי לכתוב: גם בספרייה"


def test_the_team_sets_the_days_for_corrections_by_keyboard(a11y, manager, municipality):
    committee = CommitteeFactory(municipality=municipality)
    web = a11y()
    web.login(manager)
    page = web.goto(
        reverse(
            "committees:detail",
            kwargs={"slug": committee.municipality.slug, "committee_id": committee.pk},
        )
    )
    web.tab_to("#id_corrections_days")
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    web.tab_to("#save-times")
    page.keyboard.press("Enter")
    page.wait_for_selector("#err-corrections_days")
    web.check()  # the refusal, in every language
    web.tab_to("#id_corrections_days")
    page.keyboard.press("Control+A")
    page.keyboard.type("10")
    web.tab_to("#save-times")
    page.keyboard.press("Enter")
    page.wait_for_selector("[role=alert]")
    web.check()
    committee.refresh_from_db()
    assert committee.corrections_days == 10
