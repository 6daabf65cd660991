"""Committees journey: the minutes as people use them (issue 15 §6). A member who attended opens the
personal link from the circulation e-mail (no account) and sends a correction by keyboard; the team opens
the meeting at the body's next meeting, sees the correction with who sent it, and approves: the minutes are
locked. Every page passes axe in Hebrew and English."""

from datetime import timedelta

import pytest
from django.utils import timezone

from committees import links, services
from committees.models import Minutes, MinutesCorrection
from tests.committees.factories import CommitteeFactory, InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_corrects_circulated_minutes_by_link_and_the_team_approves_at_the_next_meeting(
    a11y, team_member, municipality
):
    now = timezone.now()
    committee = CommitteeFactory(municipality=municipality, name="ועדה מעצבת")
    meeting = MeetingFactory(
        committee=committee, title="מפגש ועדה מעצבת 1", starts_at=now - timedelta(days=3)
    )
    # The body's next meeting has begun: that is where the minutes are approved.
    MeetingFactory(
        committee=committee, title="מפגש ועדה מעצבת 2", starts_at=now - timedelta(minutes=10)
    )
    attendee = InvitationFactory(
        meeting=meeting,
        person__municipality=municipality,
        person__full_name="רונית אברהם",
        attended=True,
    )
    minutes = services.minutes_save(
        meeting=meeting, actor=team_member, note_taker="יוסי", summary="דנו בממצאי המיפוי."
    )
    services.minutes_circulate(minutes=minutes, actor=team_member)

    web = a11y()
    page = web.goto(links.member_url(attendee.person, absolute=False))
    assert page.get_by_text("דנו בממצאי המיפוי.").first.is_visible()
    web.tab_to(f"#correction-{minutes.pk}")
    page.keyboard.type("לא נרשם שהחלטנו להתמקד בצעירים.")
    web.tab_to(f"#send-correction-{minutes.pk}", limit=3)
    page.keyboard.press("Enter")
    page.wait_for_url("**correction=sent**")
    web.check()
    correction = MinutesCorrection.objects.get()
    assert correction.person == attendee.person
    assert correction.text == "לא נרשם שהחלטנו להתמקד בצעירים."

    web.login(team_member)
    page = web.goto(f"/m/{municipality.slug}/committees/meetings/{meeting.pk}/")
    corrections = page.locator("#corrections").inner_text()
    assert "רונית אברהם" in corrections and "להתמקד בצעירים" in corrections
    web.tab_to("#approve-minutes")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    web.check()
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.APPROVED
    assert page.locator("#minutes-state").is_visible()
    assert page.locator("#write-minutes").count() == 0
    web.assert_all_checked()
