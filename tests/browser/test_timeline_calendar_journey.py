"""Journey: the manager of a mostly Muslim municipality sets its calendar with the keyboard; the plan moves
off Eid and back into Chol HaMoed Pesach; an empty mix is refused on the page (axe in Hebrew and English)."""

from datetime import date

import pytest

from kehila.models import Municipality
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_sets_the_municipality_s_calendar_with_the_keyboard(
    a11y, manager, municipality
):
    program = plan_program(municipality)  # T0 10 January 2027
    assert milestone(program, "design_2").planned == date(2027, 4, 29)  # after Chol HaMoed Pesach
    web = a11y()
    web.login(manager)
    page = web.goto(f"/m/{municipality.slug}/timeline/")
    web.tab_to("#calendar-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/timeline/calendar/")
    web.check()

    web.tab_to("input[name=communities][value=jewish]")
    page.keyboard.press("Space")
    web.tab_to("input[name=communities][value=muslim]")
    page.keyboard.press("Space")
    web.tab_to("#save-calendar")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/timeline/")
    web.check()
    assert Municipality.objects.get(pk=municipality.pk).calendar_communities == ["muslim"]
    assert milestone(program, "design_2").planned == date(2027, 4, 25)

    page = web.goto(f"/m/{municipality.slug}/timeline/calendar/")
    web.tab_to("input[name=communities][value=muslim]")
    page.keyboard.press("Space")  # no community left
    web.tab_to("#save-calendar")
    page.keyboard.press("Enter")
    page.wait_for_selector(".invalid-feedback, .text-danger, [id^=error_]")
    web.check()
    assert Municipality.objects.get(pk=municipality.pk).calendar_communities == ["muslim"]
    web.assert_all_checked()
