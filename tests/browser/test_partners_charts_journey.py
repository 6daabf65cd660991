"""Journey: the manager reads the stakeholder pictures with the keyboard: the relationship map (filtered
at once by consent, and again by the server from the address), the influence × consent chart, and the
pilot's funnel and budget; each passes axe in every language and none overflows a 360-pixel phone."""

import os
from decimal import Decimal

import pytest

from partners.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("KEHILA_SCREENSHOTS")  # a folder: save what the test saw, to look at


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _no_page_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _open_with_enter(web, selector):
    """Tab to the first element matching `selector` and press Enter: the person's page opens."""
    node = web.tab_to(selector, limit=200)
    href = node.get_attribute("href")
    web.page.keyboard.press("Enter")
    web.page.wait_for_url(f"**{href}")
    return href


def test_the_map_and_the_grid_open_a_person_from_the_keyboard(
    a11y, manager, team_member, municipality
):
    from partners import demo

    demo.load(municipality.program, {"manager": manager, "team": team_member})
    web = a11y()
    web.login(manager)
    base = f"/m/{municipality.slug}/partners/"

    page = web.goto(f"{base}map/")
    _shot(page, "map")
    nodes = page.locator("svg.network a.network-node")
    drawn = nodes.count()
    assert drawn > 10
    assert page.locator("#map-people tbody tr").count() == drawn
    href = _open_with_enter(web, "svg.network a.network-node")
    web.check()
    person = Person.objects.get(pk=int(href.rstrip("/").rsplit("/", 1)[1]))
    assert page.get_by_role("heading", level=1).inner_text() == person.full_name

    # Filtering at once (the script), then the same address filtered by the server.
    page = web.goto(f"{base}map/")
    opposed = Person.objects.filter(
        municipality=municipality, engagements__consent="opposed"
    ).count()
    assert 0 < opposed < drawn
    page.select_option("#id_consent", "opposed")
    page.wait_for_url("**consent=opposed")
    assert page.locator("#map-count").inner_text() == str(opposed)
    assert page.locator("svg.network a.network-node:visible").count() == opposed
    page.reload()
    web.check()
    assert page.locator("svg.network a.network-node").count() == opposed

    page = web.goto(f"{base}grid/")
    _shot(page, "grid")
    assert page.locator("svg.influence-chart a.chart-link").count() > 10
    _open_with_enter(web, "svg.influence-chart a.chart-link")
    web.check()


def test_the_pictures_fit_a_small_phone(a11y, manager, team_member, municipality):
    from partners import demo
    from pilots import services
    from pilots.models import InitiativeStatus
    from tests.pilots.factories import HackathonFactory, InitiativeFactory

    demo.load(municipality.program, {"manager": manager, "team": team_member})
    hackathon = HackathonFactory(municipality=municipality, title="האקתון")
    active = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.ACTIVE)
    InitiativeFactory(hackathon=hackathon)
    grant = services.grant_record(actor=manager, initiative=active, amount=Decimal("4000"))
    services.disbursement_record(actor=manager, grant=grant, amount=Decimal("1000"))

    web = a11y(viewport=SMALL_PHONE)
    web.login(manager)
    for path, chart in [
        (f"/m/{municipality.slug}/partners/map/", "svg.network"),
        (f"/m/{municipality.slug}/partners/grid/", "svg.influence-chart"),
        (f"/m/{municipality.slug}/pilot/", "svg.pilots-funnel"),
    ]:
        page = web.goto(path)
        assert page.locator(chart).count() == 1
        assert _no_page_overflow(page), f"{path} overflows a 360-pixel screen"
    _shot(page, "pilot-phone")
    assert page.locator("svg.pilots-budget-chart").count() == 1
    assert page.locator(".pilots-funnel [data-step]").count() == 6
