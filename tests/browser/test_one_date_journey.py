"""Journey: the manager moves design meeting 1 on the committee's page; the page shows what moves on the
timeline with it, she confirms, and the timeline shows the milestone on the meeting's new day. Then she
sets the slip threshold on the timeline page. Keyboard only, axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from committees.models import Meeting
from kehila import scheduling
from kehila.tasks import program_tick
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db(transaction=True)


def test_moving_a_meeting_previews_and_moves_its_milestone(a11y, manager, municipality):
    today = timezone.localdate()
    program = plan_program(municipality, t0=today - timedelta(days=7))
    program_tick(program.pk, today.isoformat())
    meeting = Meeting.objects.get(milestone=milestone(program, "design_1"))
    starts = meeting.starts_at.astimezone(scheduling.MEETING_TZ) + timedelta(days=7)
    ends = meeting.ends_at.astimezone(scheduling.MEETING_TZ) + timedelta(days=7)

    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/committees/meetings/{meeting.pk}/edit/")
    web.check()
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", ends.strftime("%Y-%m-%dT%H:%M"))
    web.tab_to("#save-meeting")
    page.keyboard.press("Enter")
    page.wait_for_selector("#timeline-preview")
    web.check()
    assert milestone(program, "design_2").title in page.locator("#timeline-preview").inner_text()
    assert milestone(program, "design_1").pinned is None  # nothing saved yet

    web.tab_to("#save-meeting")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/committees/meetings/{meeting.pk}/")
    web.check()
    assert milestone(program, "design_1").planned == starts.date()

    page = web.goto(f"/m/{municipality.slug}/timeline/")
    web.check()
    page.fill("#id_slip_alert_days", "30")
    web.tab_to("#slip-threshold button")
    with page.expect_navigation():  # back to the same address: wait for the new page itself
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    web.check()
    municipality.refresh_from_db()
    assert municipality.slip_alert_days == 30
    row = page.locator("#milestone-design_1")
    assert row.get_attribute("data-severity") == "minor"
