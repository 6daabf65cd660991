"""The municipality's calendar page: who may set it, what saving does to the plan, what is refused."""

from datetime import date

import pytest
import time_machine

from kehila.models import AuditLog, Municipality
from tests.helpers import assert_nothing_changed
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db

FORM = {
    "communities": ["jewish"],
    "work_week": ["6", "0", "1", "2", "3"],
    "avoid_holiday_eves": "on",
    "avoid_chol_hamoed": "on",
    "avoid_remembrance_day": "on",
    "avoid_holocaust_remembrance_day": "on",
    "avoid_tisha_bav": "on",
}


def url(municipality):
    return f"/m/{municipality.slug}/timeline/calendar/"


@pytest.mark.parametrize(
    "role,status",
    [
        ("manager", 200),
        ("hq", 200),
        ("team", 403),
        ("mayor_office", 403),
        ("track_lead", 403),
        ("committee_member", 403),
        ("outsider", 404),
    ],
)
def test_only_the_manager_and_hq_may_set_the_calendar(
    role, status, users_by_role, client_for, municipality
):
    assert client_for(users_by_role[role]).get(url(municipality)).status_code == status


def test_the_page_shows_the_defaults_in_hebrew(client_for, manager, municipality):
    page = client_for(manager).get(url(municipality), HTTP_ACCEPT_LANGUAGE="he").content.decode()

    assert "לוח השנה של הרשות" in page
    assert 'value="jewish"' in page and 'value="muslim"' in page
    assert page.count("checked") == 1 + 5 + 5  # jewish, Sunday to Thursday, the five kinds


@time_machine.travel(date(2027, 1, 5), tick=False)
def test_a_muslim_municipality_meets_in_chol_hamoed_and_the_plan_follows(
    client_for, manager, municipality
):
    program = plan_program(municipality)
    assert milestone(program, "design_2").planned == date(2027, 4, 29)  # after Chol HaMoed Pesach

    response = client_for(manager).post(url(municipality), {**FORM, "communities": ["muslim"]})

    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.calendar_communities == ["muslim"]
    assert milestone(program, "design_2").planned == date(2027, 4, 25)
    entry = AuditLog.objects.get(action="timeline.calendar_set")
    assert entry.data["communities"] == ["muslim"]


@time_machine.travel(date(2027, 1, 5), tick=False)
def test_each_kind_is_a_setting_and_the_work_week_too(client_for, hq_user, municipality):
    plan_program(municipality)
    data = {**FORM, "work_week": ["0", "1", "2", "3", "4"]}
    del data["avoid_tisha_bav"]

    assert client_for(hq_user).post(url(municipality), data).status_code == 302

    municipality = Municipality.objects.get(pk=municipality.pk)
    assert municipality.work_week == [0, 1, 2, 3, 4]
    assert not municipality.avoid_tisha_bav and municipality.avoid_chol_hamoed


@pytest.mark.parametrize(
    "field,message",
    [("communities", "יש לבחור לפחות קהילה אחת."), ("work_week", "יש לבחור לפחות יום אחד")],
)
def test_an_empty_mix_or_work_week_is_refused_and_nothing_changes(
    field, message, client_for, manager, municipality
):
    plan_program(municipality)
    client = client_for(manager)
    with assert_nothing_changed():
        response = client.post(url(municipality), {**FORM, field: []})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_refused_role_changes_nothing(client_for, team_member, municipality):
    plan_program(municipality)
    client = client_for(team_member)
    with assert_nothing_changed():
        response = client.post(url(municipality), {**FORM, "communities": ["druze"]})

    assert response.status_code == 403


@time_machine.travel(date(2027, 9, 20), tick=False)
def test_the_timeline_says_why_a_milestone_moved(client_for, manager, municipality):
    # design_1 falls on 10 October 2027 by the rules, the eve of Yom Kippur: the page says so.
    plan_program(municipality, t0=date(2027, 9, 26))

    page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()

    row = page[page.index('id="milestone-design_1"') :]
    row = row[: row.index("</tr>")]
    assert "ערב יום הכיפורים" in row
