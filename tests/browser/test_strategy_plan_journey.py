"""Journey: the social track's lead adds three actions with dates and budget and the Gantt shows them;
the manager assembles the plan and submits it; the mayor's office approves it from the inbox and signs;
program HQ signs; the plan appears on the public page."""

from decimal import Decimal

import pytest

from strategy import plan_services
from strategy.models import PlanVersion
from tests.strategy.plan_factories import an_objective, design_meeting_5_held

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_track_lead_builds_the_work_plan_and_the_signed_plan_goes_public(
    a11y, municipality, manager, track_lead, mayor_office, hq_user
):
    plan = plan_services.plan_for(municipality)
    plan_services.plan_update(
        plan=plan,
        user=manager,
        title="התוכנית האסטרטגית",
        vision="עין הגליל: קהילה שמחזיקה זו את זו",
        flexible_budget=Decimal("30000"),
    )
    an_objective(municipality, track="social")
    base = f"/m/{municipality.slug}/strategy/plan"

    # The track lead opens the social work plan and adds three actions, each with a budget line.
    web = a11y()
    web.login(track_lead)
    page = web.goto(f"{base}/")
    page.click("#track-link-social")
    page.wait_for_url("**/work-plan/?track=social")
    web.check()
    actions = [
        ("מועדון שכונתי", "2027-02-01", "2027-12-31", "2027", "40000"),
        ("מיזם התנדבות", "2027-05-01", "2028-06-30", "2028", "25000"),
        ("מרחב לנוער", "2028-01-01", "2028-10-31", "2028", "60000"),
    ]
    for number, (title, start, end, year, amount) in enumerate(actions):
        if number == 0:
            web.tab_to("#add-action")
            page.keyboard.press("Enter")
        else:
            page.click("#add-action")
        page.wait_for_url("**/work-plan/add/?track=social")
        web.check()
        page.fill("#id_title", title)
        page.fill("#id_owner", "רכזת קהילה")
        page.fill("#id_start", start)
        page.fill("#id_end", end if number else "2026-01-01")
        page.select_option("#id_kind", "program")
        page.click("main form button[type=submit]")
        if number == 0:
            # End before start: the error says where, the input is kept.
            page.wait_for_selector(".invalid-feedback")
            web.check()
            assert page.input_value("#id_title") == title
            page.fill("#id_end", end)
            page.click("main form button[type=submit]")
        page.wait_for_url("**/budget/")
        web.check()
        page.fill("#id_year", year)
        page.select_option("#id_source", "municipality")
        page.fill("#id_amount", amount)
        page.click("#save-budget")
        page.wait_for_url("**/work-plan/?track=social")
        web.check()
    assert page.locator("svg.gantt .gantt-bar").count() == 3
    assert page.locator("#budget-total").inner_text() == "125,000\u00a0₪"
    for title, *_rest in actions:
        assert title in page.locator("#actions-table").inner_text()

    # The manager assembles the plan and submits it: the design committee's fifth meeting was held.
    design_meeting_5_held(municipality)
    boss = a11y()
    boss.login(manager)
    mpage = boss.goto(f"{base}/")
    mpage.click("#assemble-plan")
    mpage.wait_for_url("**/plan/v/*/")
    boss.check()
    boss.tab_to("#submit-plan")
    mpage.keyboard.press("Enter")
    mpage.wait_for_selector(".alert-success")
    boss.check()
    version = PlanVersion.objects.get()

    # The mayor's office approves from the inbox and signs.
    mayor = a11y()
    mayor.login(mayor_office)
    ipage = mayor.goto(f"/m/{municipality.slug}/strategy/inbox/")
    mayor.tab_to(f"#inbox-plan-{version.pk} .btn-success")
    ipage.keyboard.press("Enter")
    ipage.wait_for_selector("#inbox-empty")
    mayor.check()
    ipage = mayor.goto(f"{base}/v/{version.pk}/")
    ipage.click("#sign-municipality")
    ipage.wait_for_selector(".alert-success")
    mayor.check()

    # Program HQ signs: the version is in force.
    hq = a11y()
    hq.login(hq_user)
    hpage = hq.goto(f"{base}/v/{version.pk}/")
    hq.tab_to("#sign-program")
    hpage.keyboard.press("Enter")
    hpage.wait_for_selector(".alert-success")
    hq.check()
    version.refresh_from_db()
    assert version.status == "in_force"
    assert version.content_hash in hpage.locator("#version-hash").inner_text()

    # The public page shows it, without the owners' names.
    public = a11y()
    ppage = public.goto(f"/public/strategy/{municipality.slug}/plan/")
    text = ppage.locator("main").inner_text()
    assert "קהילה שמחזיקה זו את זו" in text
    assert "מרחב לנוער" in ppage.locator("#public-actions").inner_text()
    assert "רכזת קהילה" not in text
