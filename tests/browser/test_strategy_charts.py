"""The plan's charts in a browser: the track's Gantt with its budget per quarter, the indicators' line
charts on the plan page and the public page, each passing axe in every language; on a 360px phone the
public page does not overflow (its wide tables scroll in their own focusable regions)."""

import datetime

import pytest
import time_machine

from strategy import plan_services
from tests.strategy.plan_factories import a_plan_version, an_action, an_objective
from tests.strategy.test_plan_views import _sign

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_360 = {"width": 360, "height": 740}


@time_machine.travel("2027-07-01 10:00 +03:00", tick=True)
def test_the_plan_charts_pass_axe_and_the_public_page_fits_a_phone(
    a11y, municipality, manager, mayor_office, hq_user
):
    an_action(municipality)
    an_action(municipality, title="מועדון נוער לשכונה כולה")
    objective = an_objective(municipality)
    for day, value in ((datetime.date(2027, 3, 1), 120), (datetime.date(2027, 6, 1), 200)):
        plan_services.reading_add(objective=objective, user=manager, measured_on=day, value=value)
    _sign(a_plan_version(municipality), manager, mayor_office, hq_user)
    base = f"/m/{municipality.slug}/strategy/plan"

    web = a11y()
    web.login(manager)
    page = web.goto(f"{base}/work-plan/?track=social")
    assert page.locator("figure.gantt-figure svg.gantt .gantt-bar").count() == 2
    assert page.locator("#gantt-quarters tbody tr").count() == 6  # Q1 2027 .. Q2 2028
    page = web.goto(f"{base}/")
    chart = page.locator(f"#indicator-{objective.pk}")
    assert chart.locator("circle.reading").count() == 2
    chart.locator("summary").click()
    assert chart.locator("table tbody tr").count() == 4
    web.check()

    phone = a11y(PHONE_360)
    ppage = phone.goto(f"/public/strategy/{municipality.slug}/plan/")
    assert ppage.locator(f"#indicator-{objective.pk} svg.line-chart").count() == 1
    width = ppage.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the public page is {width}px wide on a 360px phone"
    # The wide progress table scrolls in its own region, reachable by keyboard.
    region = ppage.locator("[role=region][aria-labelledby=progress-caption]")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    phone.tab_to("[role=region][aria-labelledby=progress-caption]")
