"""The public plan page and the dashboard's plan panel are cached; every change they show must show."""

import datetime

import pytest

from strategy import plan_services as services
from tests.strategy.plan_factories import a_plan_version, an_objective, design_meeting_5_held
from tests.strategy.test_plan_views import _sign

pytestmark = pytest.mark.django_db


def test_the_cached_public_page_follows_readings_objectives_and_new_versions(
    municipality, manager, mayor_office, hq_user, client
):
    url = f"/public/strategy/{municipality.slug}/plan/"
    assert 'id="nothing-published"' in client.get(url).content.decode()  # cached: nothing yet
    version = a_plan_version(municipality)
    _sign(version, manager, mayor_office, hq_user)
    objective = an_objective(municipality)
    assert "קהילה מיטיבה לכל תושביה" in client.get(url).content.decode()

    services.reading_add(
        objective=objective, user=manager, measured_on=datetime.date(2026, 6, 1), value=200
    )
    assert "50%" in client.get(url).content.decode()
    services.reading_add(  # the same day again: the reading is updated in place
        objective=objective, user=manager, measured_on=datetime.date(2026, 6, 1), value=300
    )
    assert "100%" in client.get(url).content.decode()


def test_the_public_page_is_cached_per_language(
    municipality, manager, mayor_office, hq_user, client
):
    _sign(a_plan_version(municipality), manager, mayor_office, hq_user)
    url = f"/public/strategy/{municipality.slug}/plan/"
    hebrew = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "חזון" in hebrew and "Vision" not in hebrew
    assert "Vision" in english


def test_the_dashboard_panel_follows_a_new_reading(municipality, manager, client_for):
    objective = an_objective(municipality)
    client = client_for(manager)
    before = client.get(f"/m/{municipality.slug}/").content.decode()
    services.reading_add(
        objective=objective, user=manager, measured_on=datetime.date(2026, 6, 1), value=200
    )
    after = client.get(f"/m/{municipality.slug}/").content.decode()
    assert "50%" not in before
    assert "50%" in after


def test_the_public_rows_written_in_python_are_escaped_and_dated_per_language(
    municipality, manager, mayor_office, hq_user, client
):
    from tests.strategy.plan_factories import an_action

    an_action(municipality, title="<script>alert(1)</script> פעולה")
    objective = an_objective(municipality)
    services.reading_add(
        objective=objective, user=manager, measured_on=datetime.date(2026, 6, 9), value=200
    )
    version = services.plan_assemble(plan=objective.goal.plan, user=manager)
    design_meeting_5_held(municipality)
    _sign(version, manager, mayor_office, hq_user)
    url = f"/public/strategy/{municipality.slug}/plan/"
    hebrew = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in hebrew
    assert "&lt;script&gt;alert(1)&lt;/script&gt; פעולה" in hebrew
    # The reading in the chart's table, in each language's words (one short date in both).
    assert '<th scope="row">9.6.2026</th><td>מדידה</td><td>200</td>' in hebrew
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert '<th scope="row">9.6.2026</th><td>Reading</td><td>200</td>' in english


def test_the_nightly_warm_up_renders_the_plan_pages_before_the_first_visitor(
    municipality, manager, mayor_office, hq_user, client, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kehila.celery import app
    from strategy.tasks import warm_plan_pages

    assert "strategy.tasks.warm_plan_pages" in [e["task"] for e in app.conf.beat_schedule.values()]
    _sign(a_plan_version(municipality), manager, mayor_office, hq_user)
    assert warm_plan_pages.delay().get() >= 4  # two fragments in two languages
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(f"/public/strategy/{municipality.slug}/plan/").content.decode()
    assert "קהילה מיטיבה לכל תושביה" in page
    assert len(ctx.captured_queries) == 1  # the municipality: the body came from the cache
    dashboard = client_for(manager)
    with CaptureQueriesContext(connection) as ctx:
        assert 'id="plan-panel"' in dashboard.get(f"/m/{municipality.slug}/").content.decode()
    assert not any("strategy_objective" in q["sql"] for q in ctx.captured_queries)
