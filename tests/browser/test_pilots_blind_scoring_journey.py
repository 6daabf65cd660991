"""Journey: a committee member scores an initiative blind, by keyboard alone, then declares a conflict of
interest with another one and no longer sees it; axe on every page in Hebrew and English."""

import pytest
from django.core.cache import cache

from kehila.models import AuditLog
from pilots.models import Score, ScoringConflict
from tests.pilots.factories import HackathonFactory, InitiativeFactory, seat

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = ("צוות השקדים", "נועה ברק", "noa.barak@example.org", "054-1112233")


def test_a_scorer_scores_blind_by_keyboard_and_steps_aside_from_a_conflict(
    a11y, municipality, manager, committee_member
):
    cache.clear()
    # Submissions have closed: scoring is open (pilots.services.score_record).
    hackathon = HackathonFactory(municipality=municipality, title="האקתון השקדים", closed=True)
    seat(hackathon, committee_member)
    garden = InitiativeFactory(
        hackathon=hackathon,
        title="גינה קהילתית",
        description="גינה בין הבניינים, עם הדיירים.",
        team_name=SECRET[0],
        contact_name=SECRET[1],
        contact_email=SECRET[2],
        contact_phone=SECRET[3],
    )
    library = InitiativeFactory(hackathon=hackathon, title="ספרייה ברחוב", team_name="בני הדודים")

    member = a11y()
    member.login(committee_member)
    page = member.goto(f"/m/{municipality.slug}/pilot/scoring/")
    member.tab_to(f"a[href$='/initiatives/{garden.pk}/score/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/pilot/initiatives/{garden.pk}/score/")
    member.check()
    html = page.content()
    assert "גינה בין הבניינים" in html
    for value in SECRET:
        assert value not in html
    assert page.locator("#blind-note").is_visible()

    # Each criterion is a radio group: Tab reaches it, Space picks the first value, arrows move on.
    for criterion, value in [("fit", 5), ("feasibility", 4), ("reach", 4), ("partners", 3)]:
        member.tab_to(f"input[name={criterion}]")
        page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowDown")
        assert page.locator(f"input[name={criterion}][value='{value}']").is_checked()
    member.tab_to("input[name=cost]")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    member.tab_to("form.pilots-score button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#scores")
    member.check()
    assert "4.00" in page.locator("#scores").inner_text()
    assert Score.objects.get(initiative=garden, member=committee_member).total == 4

    # The other initiative: the member knows the team, and steps aside.
    page = member.goto(f"/m/{municipality.slug}/pilot/initiatives/{library.pk}/score/")
    member.tab_to("#id_conflict-reason")
    page.keyboard.type("בני משפחה שלי בצוות")
    member.tab_to("#conflict-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/pilot/scoring/")
    member.check()
    assert "ספרייה ברחוב" not in page.locator("table").inner_text()
    assert ScoringConflict.objects.filter(initiative=library, member=committee_member).exists()
    assert AuditLog.objects.filter(action="pilots.conflict_declare", actor=committee_member)
    response = page.goto(
        member.base_url + f"/m/{municipality.slug}/pilot/initiatives/{library.pk}/score/"
    )
    assert response.status == 403
    member.check()
    assert not Score.objects.filter(initiative=library).exists()
    member.assert_all_checked()
