"""Journey: HQ opens a municipality's data check from the overview, reads the contradiction and follows
its link to the page where it is mended, by keyboard alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kehila.models import Milestone
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db(transaction=True)


def test_hq_reads_a_contradiction_and_follows_it_to_the_timeline(a11y, hq_user, municipality):
    today = timezone.localdate()
    program = plan_program(municipality, t0=today - timedelta(days=40))
    Milestone.objects.filter(pk=milestone(program, "design_1").pk).update(
        status=Milestone.Status.HELD, actual=today + timedelta(days=10)
    )
    web = a11y()
    web.login(hq_user)
    page = web.goto("/hq/")
    web.tab_to(f"#hq-table a[href='/hq/check/{municipality.slug}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/hq/check/{municipality.slug}/")
    web.check()
    section = page.locator("section", has_text="אבן דרך מתקיימת רק ביום שכבר הגיע")
    assert milestone(program, "design_1").title in section.inner_text()
    web.tab_to(f"section a[href='/m/{municipality.slug}/timeline/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/m/{municipality.slug}/timeline/")
    web.check()
