"""Committees journey 3: the note-taker writes the minutes with two action items, which then show on the
dashboard until done."""

import pytest

from committees.models import ActionItem, Meeting
from tests.committees.factories import MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_note_taker_writes_minutes_with_two_action_items_that_show_on_the_dashboard(
    a11y, team_member, municipality
):
    meeting = MeetingFactory(
        committee__municipality=municipality, title="מפגש צוות חברתי", started=True
    )
    PersonFactory(municipality=municipality, full_name="דני כהן")
    web = a11y()
    web.login(team_member)
    page = web.goto(f"/m/{municipality.slug}/committees/meetings/{meeting.pk}/")
    web.tab_to("#write-minutes")
    page.keyboard.press("Enter")
    page.wait_for_url("**/minutes/")
    web.check()

    page.fill("#id_note_taker", "יוסי לוי")
    page.fill("#id_summary", "דנו בממצאי המיפוי בשכונת הגפן.")
    page.fill("#id_decisions", "להתמקד בצעירים.")
    page.fill("#id_next_steps", "מפגש נוסף בעוד שבועיים.")
    page.fill("#id_actions-0-title", "לאסוף נתוני תעסוקה")
    # The owner is picked from a search (Tom Select over the people endpoint), not a list of everyone.
    page.click("#id_actions-0-owner-ts-control")
    page.keyboard.type("דני", delay=50)
    page.locator("#id_actions-0-owner-ts-dropdown [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.fill("#id_actions-0-due_on", "2030-01-15")
    page.fill("#id_actions-1-title", "לזמן נציגי בתי ספר")
    web.tab_to("#save-minutes")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    web.check()
    assert ActionItem.objects.filter(meeting=meeting).count() == 2
    assert Meeting.objects.get().status == "minuted"
    assert page.get_by_text("דנו בממצאי המיפוי בשכונת הגפן.").is_visible()

    page.goto(web.base_url + f"/m/{municipality.slug}/")
    web.check()
    panel = page.locator("#dashboard-action-items")
    assert "לאסוף נתוני תעסוקה" in panel.inner_text()
    assert "לזמן נציגי בתי ספר" in panel.inner_text()
