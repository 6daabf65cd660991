"""The dashboard's cached cards: every write they show must show on the next view, in each language."""

import datetime

import pytest
from django.utils.html import escape

from strategy import plan_services
from tests.strategy.plan_factories import a_plan_version, an_objective

pytestmark = pytest.mark.django_db


def _plan_card(page: str) -> str:
    start = page.index('id="plan-panel"')
    return page[start : page.index("</section>", start)]


def test_the_plan_card_follows_a_version_submitted_for_approval(municipality, manager, client_for):
    client = client_for(manager)
    client.cookies["django_language"] = "en"
    url = f"/m/{municipality.slug}/"
    assert "No version has been assembled yet." in _plan_card(client.get(url).content.decode())
    version = a_plan_version(municipality)
    drafted = _plan_card(client.get(url).content.decode())
    assert escape(f"Version {version.number} · {version.get_status_display()}") in drafted
    plan_services.plan_submit(version=version, user=manager)
    version.refresh_from_db()
    submitted = _plan_card(client.get(url).content.decode())
    assert escape(f"Version {version.number} · {version.get_status_display()}") in submitted
    assert drafted != submitted


def test_the_plan_card_follows_an_objective_renamed_and_deleted(municipality, manager, client_for):
    objective = an_objective(municipality)
    client = client_for(manager)
    url = f"/m/{municipality.slug}/"
    assert "הגדלת ההתנדבות" in _plan_card(client.get(url).content.decode())
    plan_services.objective_update(objective=objective, user=manager, title="יעד חדש")
    page = _plan_card(client.get(url).content.decode())
    assert "יעד חדש" in page and "הגדלת ההתנדבות" not in page
    plan_services.objective_delete(objective=objective, user=manager)
    assert "יעד חדש" not in _plan_card(client.get(url).content.decode())


def test_the_plan_card_is_cached_per_language(municipality, manager, client_for):
    objective = an_objective(municipality)
    plan_services.reading_add(
        objective=objective, user=manager, measured_on=datetime.date(2026, 6, 1), value=200
    )
    client = client_for(manager)
    url = f"/m/{municipality.slug}/"
    hebrew = _plan_card(client.get(url).content.decode())
    client.cookies["django_language"] = "en"
    english = _plan_card(client.get(url).content.decode())
    assert "The strategic plan" in english and "The strategic plan" not in hebrew
    assert "50% of the way" in english


def test_the_plan_card_shows_only_to_roles_that_may_see_the_plan(municipality, manager, client_for):
    from kehila.models import Role
    from tests.factories import member

    an_objective(municipality)
    url = f"/m/{municipality.slug}/"
    assert 'id="plan-panel"' in client_for(manager).get(url).content.decode()  # now cached
    committee_member = member(municipality, Role.COMMITTEE_MEMBER, user__username="cm")
    assert 'id="plan-panel"' not in client_for(committee_member).get(url).content.decode()


def test_the_committees_card_writes_times_in_israel_links_and_the_rest_count(
    municipality, manager, client_for
):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from committees.models import ActionItem
    from tests.committees.factories import MeetingFactory, PersonFactory

    starts = datetime(2099, 3, 5, 7, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Israel (winter)
    meeting = MeetingFactory(
        committee__municipality=municipality,
        title="ועדת היגוי <1>",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    owner = PersonFactory(municipality=municipality, full_name="דנה כהן")
    ActionItem.objects.create(
        municipality=municipality,
        meeting=meeting,
        title="להזמין אולם",
        owner=owner,
        due_on=datetime(2099, 4, 1).date(),
    )
    for i in range(9):
        ActionItem.objects.create(
            municipality=municipality,
            meeting=meeting,
            title=f"משימה {i}",
            due_on=datetime(2099, 5, 1).date(),  # after the first: it leads the list
        )
    ActionItem.objects.create(
        municipality=municipality, meeting=meeting, title="סגורה", status=ActionItem.Status.DONE
    )
    client = client_for(manager)
    client.cookies["django_language"] = "en"
    page = client.get(f"/m/{municipality.slug}/").content.decode()
    link = f'<a href="/m/{municipality.slug}/committees/meetings/{meeting.pk}/">'
    assert f"{link}ועדת היגוי &lt;1&gt;</a> · {meeting.committee.name} · 5.3 09:30</li>" in page
    assert f"<li>להזמין אולם · דנה כהן · due 1.4.2099 · {link}ועדת היגוי &lt;1&gt;</a></li>" in page
    assert "סגורה" not in page, page[
        page.index("dashboard-action-items") : page.index("dashboard-action-items") + 400
    ]
    assert "And 2 more." in page  # ten open, eight shown


def test_the_stakeholders_card_counts_the_dashboards_program(municipality, manager, client_for):
    from tests.partners.factories import EngagementFactory

    EngagementFactory(person__municipality=municipality, stage="active", consent="active")
    EngagementFactory(person__municipality=municipality, stage="met", consent="active")
    client = client_for(manager)
    client.cookies["django_language"] = "en"
    page = client.get(f"/m/{municipality.slug}/").content.decode()
    assert "2 people engaged in the program" in page
    consent = page[page.index("By consent") :]
    assert "<tr><td>0</td><td>0</td><td>2</td></tr>" in consent  # opposed, passive, active


def test_the_hq_rows_link_each_municipality_and_say_why_there_is_no_next_milestone(
    client_for, hq_user, municipality, other_municipality
):
    from kehila.models import Program

    program, _created = Program.objects.get_or_create(municipality=municipality)
    program.start_date = datetime.date(2027, 1, 3)
    program.scope_decision_date = datetime.date(2027, 1, 10)
    program.save()
    Program.objects.filter(municipality=other_municipality).delete()
    client = client_for(hq_user)
    client.cookies["django_language"] = "en"
    page = client.get("/hq/").content.decode()
    row = page.split(f'<a href="/m/{municipality.slug}/">{municipality.name}</a>')[1].split(
        "</tr>"
    )[0]
    # The stage is the one the tracker derives (nothing of the kickoff holds yet), as on the dashboard.
    assert "<td>Kickoff in the authority</td>" in row
    assert "3 January 2027" in row and "All milestones held" in row
    other = page.split(f'<a href="/m/{other_municipality.slug}/">')[1].split("</tr>")[0]
    assert "No plan: no scope decision yet" in other and other.count("<td>—</td>") == 2
