"""The pilot's other pages pass axe in both languages: the dashboard with its chart, the ranking, the
committee, the measurement round, the hackathon form, public registration and the lead's personal link."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from pilots import links, services
from pilots.models import InitiativeStatus
from tests.pilots.factories import FocusChallengeFactory, HackathonFactory, InitiativeFactory, seat

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pilot_team_pages_are_accessible(a11y, municipality, manager, team_member):
    # Submissions have closed, so the committee has scored.
    hackathon = HackathonFactory(municipality=municipality, title="האקתון", closed=True)
    FocusChallengeFactory(municipality=municipality, number=1)
    seat(hackathon, team_member)
    active = InitiativeFactory(
        hackathon=hackathon, status=InitiativeStatus.ACTIVE, neighbourhood="הגפן"
    )
    InitiativeFactory(hackathon=hackathon, neighbourhood="הרקפות")
    services.score_record(
        initiative=InitiativeFactory(hackathon=hackathon, neighbourhood="הגפן"),
        member=team_member,
        values={"fit": 4, "feasibility": 4, "reach": 3, "partners": 3, "cost": 5},
    )
    grant = services.grant_record(actor=manager, initiative=active, amount=Decimal("1500"))
    services.disbursement_record(actor=manager, grant=grant, amount=Decimal("500"))
    services.indicator_add(actor=manager, hackathon=hackathon, track="social", name="משתתפים")

    web = a11y()
    web.login(manager)
    base = f"/m/{municipality.slug}/pilot"
    page = web.goto(f"{base}/")
    assert page.locator("svg.pilots-chart").count() == 1
    web.goto(f"/m/{municipality.slug}/")
    web.goto(f"{base}/hackathons/{hackathon.pk}/")
    web.goto(f"{base}/hackathons/{hackathon.pk}/edit/")
    web.goto(f"{base}/hackathons/{hackathon.pk}/committee/")
    web.goto(f"{base}/hackathons/{hackathon.pk}/participants/")
    web.goto(f"{base}/hackathons/{hackathon.pk}/measurement/")
    web.goto(f"{base}/initiatives/{active.pk}/")

    member = a11y()
    member.login(team_member)
    page = member.goto(f"{base}/hackathons/{hackathon.pk}/")
    assert "יש לנקד כדי לראות" in page.content()


def test_the_public_pages_are_accessible_on_a_phone(a11y, municipality):
    from tests.browser.conftest import PHONE

    cache.clear()
    hackathon = HackathonFactory(municipality=municipality)
    initiative = InitiativeFactory(hackathon=hackathon, status=InitiativeStatus.SELECTED)
    web = a11y(viewport=PHONE)
    page = web.goto(f"/public/pilot/{hackathon.pk}/register/")
    page.fill("#id_full_name", "דנה")
    page.fill("#id_email", "dana@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/public/pilot/{hackathon.pk}/thanks/")
    web.check()
    page = web.goto(links.initiative_path(initiative))
    page.fill("#id_text", "פגשנו את השכנים")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("text=פגשנו את השכנים")
    web.check()
    web.goto("/public/pilot/initiative/not-a-real-link/")
