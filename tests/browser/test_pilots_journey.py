"""Journey: a resident submits an initiative on a phone, the committee scores it, the team selects it,
records a grant, and the nine-month review carries it into year two."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from pilots.models import Grant, Hackathon, Initiative, InitiativeStatus
from tests.browser.conftest import PHONE
from tests.pilots.factories import FocusChallengeFactory, HackathonFactory, seat

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_initiative_goes_from_the_phone_to_year_two(
    a11y, municipality, manager, committee_member
):
    cache.clear()
    # A small committee: one scorer is what this hackathon requires (the default is three).
    hackathon = HackathonFactory(
        municipality=municipality, title="האקתון עין הגליל", required_scorers=1
    )
    FocusChallengeFactory(municipality=municipality, number=1, title="מרחב ציבורי מזמין")
    seat(hackathon, committee_member)

    # A resident, on a phone, with no account.
    phone = a11y(viewport=PHONE)
    page = phone.goto(f"/public/pilot/{hackathon.pk}/")
    assert "מרחב ציבורי מזמין" in page.content()
    phone.tab_to("#submit-link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/public/pilot/{hackathon.pk}/submit/")
    phone.check()
    phone.tab_to("#id_title")
    page.keyboard.type("ספסלים מוצלים בכיכר")
    page.fill("#id_team_name", "שכנות טובות")
    page.fill("#id_contact_name", "שירה")
    page.fill("#id_contact_email", "shira@example.org")
    page.fill("#id_description", "ספסלים וצל בכיכר השכונה, שייבנו עם התושבים.")
    page.select_option("#id_focus_challenge", label="1. מרחב ציבורי מזמין")
    page.select_option("#id_track", "urban")
    page.fill("#id_neighbourhood", "הרקפות")
    page.check("#id_needs_money")
    page.fill("#id_money_amount", "4000")
    page.locator("#initiative-form button[type=submit]").click()
    page.wait_for_url(f"**/public/pilot/{hackathon.pk}/thanks/")
    phone.check()
    initiative = Initiative.objects.get()
    assert initiative.title == "ספסלים מוצלים בכיכר"

    # A committee member opens it while submissions are open: the page says when scoring opens.
    member = a11y()
    member.login(committee_member)
    page = member.goto(f"/m/{municipality.slug}/pilot/scoring/")
    page.get_by_role("link", name="ספסלים מוצלים בכיכר").click()
    page.wait_for_url(f"**/pilot/initiatives/{initiative.pk}/score/")
    assert page.locator("#scoring-not-open").is_visible()
    assert page.locator("form.pilots-score").count() == 0
    member.check()

    # Submissions close; the member scores it on their own, and the selection gate then has what it
    # waits for.
    Hackathon.objects.filter(pk=hackathon.pk).update(
        registration_closes_at=timezone.now() - timedelta(hours=2),
        submission_deadline=timezone.now() - timedelta(hours=1),
    )
    page.reload()
    assert page.locator("#scoring-not-open").count() == 0
    for criterion, value in [
        ("fit", 5),
        ("feasibility", 4),
        ("reach", 4),
        ("partners", 3),
        ("cost", 4),
    ]:
        page.check(f"input[name={criterion}][value='{value}']")
    page.locator("form.pilots-score button[type=submit]").click()
    page.wait_for_selector("#scores")
    member.check()
    assert "4.00" in page.locator("#scores").inner_text()

    # The program manager selects it, records a grant and, at nine months, continues it.
    office = a11y()
    office.login(manager)
    page = office.goto(f"/m/{municipality.slug}/pilot/initiatives/{initiative.pk}/")
    page.check("input[name=selected][value=yes]")
    page.fill("#id_reason", "מתאים לאתגר ולחזון, צוות חזק")
    office.tab_to("#decision-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#decision")
    office.check()
    page.fill("#id_grant-amount", "4000")
    page.locator("#grant-form button[type=submit]").click()
    page.wait_for_selector("#grants >> text=4,000\u00a0₪")
    office.check()
    page.check("input[name=keep_going][value=continue]")
    page.fill("#id_reason", "הספסלים הותקנו והתושבים מתחזקים אותם")
    page.fill("#id_objectives", "הגדלת השימוש במרחב הציבורי")
    page.locator("#review-form button[type=submit]").click()
    page.wait_for_selector("#review")
    office.check()

    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.CONTINUED and initiative.year_two
    assert Grant.objects.get().amount == 4000
    assert initiative.scores.count() == 1
