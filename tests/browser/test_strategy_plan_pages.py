"""Accessibility sweep of the strategic plan's other pages: scope decision, challenges, objectives,
mapping with its preview, logic model, a plan version, the dashboard panel and the empty public page."""

import datetime

import pytest

from strategy import plan_services
from tests.strategy.plan_factories import a_challenge, a_goal, a_plan_version, an_objective

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_plan_pages_pass_axe_and_the_key_steps_work_by_keyboard(
    a11y, municipality, manager, tmp_path
):
    public = a11y()
    page = public.goto(f"/public/strategy/{municipality.slug}/plan/")
    assert page.locator("#nothing-published").is_visible()

    goal = a_goal(municipality)
    an_objective(municipality)
    a_challenge(municipality, 1)
    version = a_plan_version(municipality)
    plan_services.reading_add(
        objective=an_objective(municipality),
        user=manager,
        measured_on=datetime.date(2026, 6, 1),
        value=150,
    )
    base = f"/m/{municipality.slug}/strategy/plan"
    web = a11y()
    web.login(manager)

    # The scope decision: one track warns.
    page = web.goto(f"{base}/scope/")
    page.fill("#id_decided_on", "2027-01-10")
    page.check("input[name=tracks][value=social]")
    page.fill("#id_geographic_focus", "שכונת הגפן")
    web.tab_to("main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#scope-warning")
    web.check()

    # Focus challenges: the warning until there are five.
    page = web.goto(f"{base}/challenges/")
    assert page.locator("#challenge-warning").is_visible()
    page.fill("#id_number", "2")
    page.fill("#id_title", "נוער בשעות הפנאי")
    page.click("#add-challenge")
    page.wait_for_selector(".alert-success")
    web.check()

    # An objective whose target precedes its baseline is refused on the field.
    page = web.goto(f"{base}/goals/{goal.pk}/objective/")
    page.fill("#id_title", "קיצור תורים")
    page.fill("#id_indicator", "ימי המתנה")
    page.fill("#id_baseline_value", "30")
    page.fill("#id_baseline_date", "2028-01-01")
    page.fill("#id_target_value", "10")
    page.fill("#id_target_date", "2027-01-01")
    page.fill("#id_owner", "מנהלת השירות")
    page.select_option("#id_track", "social")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    web.check()
    assert "קיצור תורים" in page.locator(".invalid-feedback").first.inner_text()

    # The team renames the goal, then removes the objective, by keyboard.
    page = web.goto(f"{base}/goals/{goal.pk}/")
    page.fill("#id_title", "קהילה חזקה ומחוברת")
    web.tab_to("main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert "קהילה חזקה ומחוברת" in page.locator("#goals").inner_text()
    objective = an_objective(municipality)
    page = web.goto(f"{base}/objectives/{objective.pk}/")
    web.tab_to("form[action$='/delete/'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()

    # Mapping: preview a CSV, then confirm.
    csv_file = tmp_path / "findings.csv"
    csv_file.write_text(
        "challenge,indicator,value,unit,source,date,neighbourhood\n"
        "1,ותיקים החיים לבד,340,אנשים,הלמ״ס,2026-05-01,הגפן\n",
        encoding="utf-8",
    )
    page = web.goto(f"{base}/mapping/")
    page.set_input_files("#id_file", str(csv_file))
    page.click("#preview-import")
    page.wait_for_selector("#preview")
    web.check()
    web.tab_to("#confirm-import")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert "הגפן" in page.locator("#situation").inner_text()

    # The logic model and a plan version; the dashboard panel.
    page = web.goto(f"{base}/logic-model/?track=social")
    page.fill("#id_inputs", "רכזת קהילה")
    page.fill("#id_long_term", "קהילה חזקה")
    page.click("#save-logic-model")
    page.wait_for_selector(".alert-success")
    web.check()
    assert "קהילה חזקה" in page.locator("#logic-stages").inner_text()
    web.goto(f"{base}/v/{version.pk}/")
    page = web.goto(f"/m/{municipality.slug}/")
    assert page.locator("#plan-panel").is_visible()
    web.assert_all_checked()
    public.assert_all_checked()
