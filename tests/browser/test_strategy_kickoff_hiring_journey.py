"""Journey: the manager records a kickoff step and adds a candidate; the mayor's office and HQ score the
candidate and approve the joint decision. Every page is checked with axe in both languages."""

import pytest

from strategy.models import HiringDecision, KickoffStep
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def score_all(page, value):
    for number in range(1, 11):
        page.select_option(f"#id_score_{number}", str(value))
    page.fill("#id_note_1", "מחויבות גבוהה")


def test_kickoff_and_the_joint_hiring_decision(a11y, municipality, manager, mayor_office, hq_user):
    base = f"/m/{municipality.slug}/strategy"
    web = a11y(viewport=PHONE)
    web.login(manager)
    page = web.goto(f"{base}/kickoff/")
    assert page.locator("tbody tr").count() == 6
    page.click("#kickoff-start")
    page.wait_for_selector("tbody tr:first-child a")
    web.check()
    page.click("tbody tr:first-child a")
    page.wait_for_url("**/kickoff/*/")
    web.check()
    page.fill("#id_date", "2027-01-10")
    page.fill("#id_notes", "הצגנו את התוכנית לראש הרשות")
    page.check("#id_done")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/kickoff/")
    web.check()
    assert "1" in page.locator("#kickoff-progress").inner_text()
    assert KickoffStep.objects.filter(done=True).count() == 1
    page = web.goto(f"/m/{municipality.slug}/")
    assert page.locator("#kickoff-panel-heading").is_visible()

    page = web.goto(f"{base}/hiring/")
    web.tab_to("#id_name")
    page.keyboard.type("שירה בן דוד")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/hiring/*/")
    web.check()
    page.click("main a[href$='/score/']")
    page.wait_for_url("**/score/")
    web.check()
    score_all(page, 4)
    page.select_option("#id_score_5", "")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    web.check()
    page.select_option("#id_score_5", "3")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/hiring/*/")
    web.check()
    page.fill("#id_rationale", "התאמה גבוהה לכל המיומנויות")
    page.click("main form[action$='/propose/'] button")
    page.wait_for_url("**/hiring/")
    web.check()

    for user, value in ((mayor_office, 5), (hq_user, 3)):
        other = a11y()
        other.login(user)
        opage = other.goto(f"{base}/hiring/")
        opage.click("tbody a")
        opage.wait_for_url("**/hiring/*/")
        other.check()
        opage.click("main a[href$='/score/']")
        opage.wait_for_url("**/score/")
        other.check()
        score_all(opage, value)
        opage.click("main form button[type=submit]")
        opage.wait_for_url("**/hiring/*/")
        other.check()
        opage = other.goto(f"{base}/hiring/")
        other.tab_to("main form[action$='/approve/'] button")
        opage.keyboard.press("Enter")
        opage.wait_for_selector(".alert-success")
        other.check()

    decision = HiringDecision.objects.get()
    assert decision.is_recorded
    page = web.goto(f"{base}/hiring/{decision.candidate_id}/")
    summary = page.locator("#score-summary").inner_text()
    assert "4" in summary
