"""Journey: the manager opens the timeline, reschedules a milestone (the preview shows what would move,
then she confirms), and sees the slip on the timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kehila.models import Milestone
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_reschedules_a_milestone_after_seeing_what_moves(a11y, manager, municipality):
    program = plan_program(municipality, t0=timezone.localdate() - timedelta(days=40))
    design_2 = milestone(program, "design_2")
    new_date = design_2.planned + timedelta(days=7)
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/")
    assert page.locator("#timeline-panel .text-danger-emphasis").is_visible()  # overdue count
    web.tab_to(f"#timeline-panel a[href='/m/{municipality.slug}/timeline/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/timeline/")
    web.check()
    assert page.get_by_role("heading", level=1).is_visible()
    overdue = page.locator("#milestone-design_1")
    assert "table-danger" in overdue.get_attribute("class")
    assert overdue.locator(".badge.text-bg-danger").count() >= 1

    web.tab_to(f"a[href='/m/{municipality.slug}/timeline/reschedule/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline/reschedule/")
    web.check()

    page.select_option("#id_milestone", "design_2")
    page.check("input[name=action][value=pin]")
    page.fill("#id_date", new_date.isoformat())
    web.tab_to("button[name=preview]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#preview")
    web.check()
    preview = page.locator("#preview").inner_text()
    assert milestone(program, "launch_conference").title in preview
    assert Milestone.objects.get(pk=design_2.pk).pinned is None  # nothing saved yet

    web.tab_to("button[name=confirm]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/timeline/")
    web.check()
    assert Milestone.objects.get(pk=design_2.pk).pinned == new_date
    row = page.locator("#milestone-design_2")
    assert "table-danger" in row.get_attribute("class")
    assert "7" in row.locator("td.slip").inner_text()
    launch = page.locator("#milestone-launch_conference td.slip").inner_text()
    assert "7" in launch or "8" in launch or "9" in launch


def test_the_offsets_page_is_reachable_and_accessible(a11y, manager, municipality):
    plan_program(municipality)
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/timeline/")
    web.tab_to(f"a[href='/m/{municipality.slug}/timeline/offsets/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline/offsets/")
    web.check()
    page.fill("#id_design_3-days", "0")
    web.tab_to("#save-offsets")
    page.keyboard.press("Enter")
    page.wait_for_selector("#err-design_3")
    web.check()


def test_hq_sees_each_municipality_s_next_milestone_and_opens_its_timeline(
    a11y, hq_user, municipality, other_municipality
):
    program = plan_program(municipality, t0=timezone.localdate() - timedelta(days=40))
    web = a11y()
    web.login(hq_user)
    page = web.goto("/hq/")
    row = page.locator("#hq-table tr", has_text=municipality.name)
    upcoming = program.milestones.filter(
        status="planned", planned__gte=timezone.localdate()
    ).order_by("planned", "key")
    assert upcoming.first().title in row.inner_text()  # next: the first not held from today on
    assert row.locator(".badge.text-bg-danger").count() == 1  # an overdue one: slipping
    web.tab_to(f"#hq-table a[href='/m/{municipality.slug}/timeline/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/timeline/")
    web.check()
    assert page.locator("#timeline-table").is_visible()
