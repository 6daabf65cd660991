"""Journey: the timeline's Gantt, the reschedule preview and HQ's national picture pass axe in every
language, their wide charts scroll inside a focusable, named box, and none of the pages overflows a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_360 = {"width": 360, "height": 780}


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_timeline_and_its_preview_draw_gantt_charts_that_scroll_on_a_phone(
    a11y, manager, municipality
):
    program = plan_program(municipality, t0=timezone.localdate() - timedelta(days=40))
    web = a11y(PHONE_360)
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/timeline/")
    _fits_the_phone(page)
    region = page.locator("#gantt .kchart-scroll")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the chart scrolls in its box
    web.tab_to("#gantt .kchart-scroll")
    assert (
        page.locator("#gantt svg[role=img] .kchart-row").count()
        == page.locator("#timeline-table tbody tr").count()
    )

    page.goto(page.url.replace("/timeline/", "/timeline/reschedule/"))
    web.check()
    design_2 = milestone(program, "design_2")
    page.select_option("#id_milestone", "design_2")
    page.check("input[name=action][value=pin]")
    page.fill("#id_date", (design_2.planned + timedelta(days=7)).isoformat())
    page.click("button[name=preview]")
    page.wait_for_selector("#preview-chart")
    web.check()
    _fits_the_phone(page)
    assert page.locator("#preview-chart rect[data-kind=before]").count() >= 2
    assert page.locator("#preview-chart rect[data-kind=after]").count() >= 2


def test_hq_sees_the_national_picture(a11y, hq_user, municipality, other_municipality):
    plan_program(municipality, t0=timezone.localdate() - timedelta(days=40))
    web = a11y(PHONE_360)
    web.login(hq_user)
    page = web.goto("/hq/")
    _fits_the_phone(page)
    for chart_id in ("chart-stages", "chart-slips", "chart-next-month"):
        assert page.locator(f"#{chart_id} svg[role=img]").is_visible()
    assert page.locator("#next-month-table tbody tr").count() >= 1
