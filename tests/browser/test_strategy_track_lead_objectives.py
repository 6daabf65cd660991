"""Journey: the social track's lead edits an action of their track with the keyboard and links it to an
objective; the list offers only the social track's objectives, never another track's (issue 14 §6)."""

import pytest

from tests.strategy.plan_factories import an_action, an_objective

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_track_lead_links_their_action_only_to_their_tracks_objectives(
    a11y, municipality, track_lead
):
    action = an_action(municipality, track="social")
    second = an_objective(municipality, track="social", title="יותר מתנדבים צעירים")
    urban = an_objective(municipality, track="urban", title="כיכרות מוצלות")

    web = a11y()
    web.login(track_lead)
    page = web.goto(f"/m/{municipality.slug}/strategy/plan/actions/{action.pk}/")
    web.check()
    offered = page.locator("#id_objective option").evaluate_all("els => els.map(e => e.value)")
    assert str(second.pk) in offered and str(action.objective_id) in offered
    assert str(urban.pk) not in offered

    web.tab_to("#id_objective")
    page.select_option("#id_objective", str(second.pk))
    web.tab_to("main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/work-plan/?track=social")
    web.check()
    action.refresh_from_db()
    assert action.objective_id == second.pk
