"""The timeline page, the reschedule flow and the HQ overview: what they say, who may, what changes."""

from datetime import date

import pytest
import time_machine

from kehila.models import AuditLog, Milestone, Program
from tests.factories import MunicipalityFactory
from tests.kehila.timeline_factories import T0, milestone, plan_program, planned
from tests.querycount import assert_constant_queries
from tests.strategy.plan_factories import an_agreement_in_force

pytestmark = pytest.mark.django_db


def url(municipality, name="timeline"):
    suffix = {"timeline": "", "reschedule": "reschedule/", "scope": "scope/"}[name]
    return f"/m/{municipality.slug}/timeline/{suffix}"


@pytest.mark.parametrize(
    "role,status",
    [
        ("manager", 200),
        ("team", 200),
        ("mayor_office", 200),
        ("track_lead", 200),
        ("hq", 200),
        ("committee_member", 403),
        ("outsider", 404),
    ],
)
def test_who_may_see_the_timeline(role, status, users_by_role, client_for, municipality):
    assert client_for(users_by_role[role]).get(url(municipality)).status_code == status


@pytest.mark.parametrize(
    "role,status",
    [
        ("manager", 200),
        ("team", 200),
        ("mayor_office", 403),
        ("track_lead", 403),
        ("hq", 403),
        ("committee_member", 403),
        ("outsider", 404),
    ],
)
def test_only_the_program_team_may_reschedule(
    role, status, users_by_role, client_for, municipality
):
    plan_program(municipality)
    assert (
        client_for(users_by_role[role]).get(url(municipality, "reschedule")).status_code == status
    )


def test_a_program_without_a_scope_decision_says_why_there_is_no_plan(
    client_for, manager, municipality
):
    page = client_for(manager).get(url(municipality)).content.decode()
    assert 'id="no-plan"' in page
    assert "scope decision" in page or "החלטת" in page
    assert 'name="decided_on"' in page


def test_the_manager_records_the_scope_decision_and_the_plan_appears(
    client_for, manager, municipality
):
    an_agreement_in_force(municipality)
    client = client_for(manager)
    response = client.post(
        url(municipality, "scope"), {"decided_on": "2027-01-10", "tracks": ["social"]}
    )
    assert response.status_code == 302
    program = Program.objects.get(municipality=municipality)
    assert program.scope_decision_date == T0 and program.tracks == ["social"]
    assert Milestone.objects.filter(program=program, key="team_social_4").exists()
    page = client.get(url(municipality)).content.decode()
    assert 'id="timeline-table"' in page and 'id="milestone-design_1"' in page


def test_the_scope_decision_waits_for_the_signed_agreement(client_for, manager, municipality):
    """The timeline's own form passes the same gate as the plan's approved scope decision."""
    response = client_for(manager).post(
        url(municipality, "scope"), {"decided_on": "2027-01-10", "tracks": ["social"]}
    )
    assert response.status_code == 400
    assert (
        "signed first" in response.content.decode() or "קודם יש לחתום" in response.content.decode()
    )
    assert Program.objects.get(municipality=municipality).scope_decision_date is None
    assert not Milestone.objects.exists()


def test_a_bad_scope_decision_form_is_shown_again_with_its_errors(
    client_for, manager, municipality
):
    response = client_for(manager).post(url(municipality, "scope"), {"decided_on": "not a date"})
    assert response.status_code == 400
    assert 'value="not a date"' in response.content.decode()
    assert not Milestone.objects.exists()


@time_machine.travel(date(2027, 2, 1))
def test_the_page_shows_planned_actual_dependencies_and_the_slip(client_for, manager, municipality):
    program = plan_program(municipality)
    page = client_for(manager).get(url(municipality)).content.decode()
    # design_1 was planned for 24 January and is not held: eight days overdue, highlighted
    row = page.split('id="milestone-design_1"')[1].split("</tr>")[0]
    assert row.startswith(' class="table-danger"')
    assert "text-bg-danger" in row and "באיחור של 8 ימים" in row
    design_2 = page.split('id="milestone-design_2"')[1].split("</tr>")[0]
    assert milestone(program, "design_1").title in design_2  # depends on design_1
    # and the Gantt beside the table draws it late, past its day (kehila/timeline_chart.py)
    bar = page.split('data-key="design_1" data-state="late"')[1].split("</g>")[0]
    assert 'data-kind="open" data-start="2027-01-25" data-end="2027-02-01"' in bar


def test_rescheduling_previews_what_moves_and_writes_nothing_until_confirmed(
    client_for, manager, municipality
):
    program = plan_program(municipality)
    before = planned(program)
    client = client_for(manager)
    data = {"milestone": "design_2", "action": "pin", "date": "2027-05-09", "preview": "1"}
    response = client.post(url(municipality, "reschedule"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview"' in page and 'name="confirm"' in page
    assert milestone(program, "launch_conference").title in page
    assert planned(program) == before

    assert 'value="design_2|pin|2027-05-09"' in page
    data.pop("preview")
    data["previewed"] = "design_2|pin|2027-05-09"
    response = client.post(url(municipality, "reschedule"), {**data, "confirm": "1"})
    assert response.status_code == 302
    assert milestone(program, "design_2").pinned == date(2027, 5, 9)
    assert milestone(program, "launch_conference").planned == date(2027, 5, 23)
    assert AuditLog.objects.filter(action="timeline.milestone_pinned", actor=manager).count() == 1
    # a double submit does the same thing again, no more
    client.post(url(municipality, "reschedule"), {**data, "confirm": "1"})
    assert milestone(program, "launch_conference").planned == date(2027, 5, 23)


def test_a_confirm_after_changing_the_date_shows_the_new_preview_and_saves_nothing(
    client_for, manager, municipality
):
    program = plan_program(municipality)
    before = planned(program)
    response = client_for(manager).post(
        url(municipality, "reschedule"),
        {
            "milestone": "design_2",
            "action": "pin",
            "date": "2027-05-16",
            "previewed": "design_2|pin|2027-05-09",
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert 'value="design_2|pin|2027-05-16"' in response.content.decode()
    assert planned(program) == before


def test_a_date_that_breaks_the_order_is_a_form_error_and_nothing_is_written(
    client_for, manager, municipality
):
    program = plan_program(municipality)
    before = planned(program)
    response = client_for(manager).post(
        url(municipality, "reschedule"),
        {"milestone": "design_3", "action": "pin", "date": "2027-02-01", "confirm": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "invalid-feedback" in page or "alert" in page
    assert 'value="2027-02-01"' in page
    assert planned(program) == before


@time_machine.travel(date(2027, 1, 20))
def test_a_held_date_in_the_future_is_refused(client_for, manager, municipality):
    program = plan_program(municipality)
    response = client_for(manager).post(
        url(municipality, "reschedule"),
        {"milestone": "design_1", "action": "hold", "date": "2027-01-24", "confirm": "1"},
    )
    assert response.status_code == 400
    assert milestone(program, "design_1").status == Milestone.Status.PLANNED


def test_the_timeline_page_keeps_a_fixed_number_of_queries(client_for, manager, municipality):
    plan_program(municipality, tracks=["social"])

    def grow():
        plan_program(municipality, tracks=["social", "urban", "economic", "educational"])

    assert_constant_queries(client_for(manager), url(municipality), grow, ceiling=15)


@time_machine.travel(date(2027, 2, 1))
def test_hq_sees_every_municipality_with_its_next_milestone_and_slip(
    client_for, hq_user, municipality, other_municipality
):
    plan_program(municipality)
    page = client_for(hq_user).get("/hq/").content.decode()
    row = page.split(municipality.name)[1].split("</tr>")[0]
    # Design meeting 1 (24 January) is overdue, not next: next is the first one from today on.
    upcoming = Milestone.objects.filter(program=municipality.program, planned__gte=date(2027, 2, 1))
    assert upcoming.order_by("planned", "key").first().title in row
    assert milestone(municipality.program, "design_1").title not in row
    assert (
        ">8<" in row
    )  # the overdue one slips: 24 January not held on 1 February, eight days behind
    other = page.split(other_municipality.name)[1].split("</tr>")[0]
    assert "—" in other


def test_the_hq_page_keeps_a_fixed_number_of_queries(client_for, hq_user, municipality):
    plan_program(municipality)

    def grow():
        for m in MunicipalityFactory.create_batch(5):
            plan_program(m)

    # 5 for the rows, 6 for the stage tracker's facts of every municipality at once, 1 for the next
    # month's milestones of every municipality at once (kehila.national.next_month)
    assert_constant_queries(client_for(hq_user), "/hq/", grow, ceiling=12)


@pytest.mark.parametrize(
    "role,status",
    [("manager", 200), ("team", 200), ("mayor_office", 403), ("hq", 403), ("outsider", 404)],
)
def test_only_the_program_team_may_change_the_offsets(
    role, status, users_by_role, client_for, municipality
):
    response = client_for(users_by_role[role]).get(f"/m/{municipality.slug}/timeline/offsets/")
    assert response.status_code == status


def offsets_data(**overrides):
    from kehila.timeline import DEFAULT_OFFSETS

    data = {}
    for name, offset in DEFAULT_OFFSETS.items():
        data[f"{name}-months"] = offset.months
        data[f"{name}-days"] = offset.days
    data.update({k.replace("__", "-"): v for k, v in overrides.items()})
    return data


def test_the_manager_lengthens_the_mapping_and_the_plan_follows(client_for, manager, municipality):
    program = plan_program(municipality)
    client = client_for(manager)
    page = client.get(f"/m/{municipality.slug}/timeline/offsets/").content.decode()
    assert 'name="design_2-months"' in page and 'value="3"' in page
    response = client.post(
        f"/m/{municipality.slug}/timeline/offsets/", offsets_data(design_2__months=4)
    )
    assert response.status_code == 302
    assert milestone(program, "design_2").planned == date(2027, 5, 24)
    assert AuditLog.objects.filter(action="timeline.offsets_set").count() == 1


def test_a_zero_offset_is_shown_on_its_row_and_nothing_changes(client_for, manager, municipality):
    program = plan_program(municipality)
    before = planned(program)
    response = client_for(manager).post(
        f"/m/{municipality.slug}/timeline/offsets/", offsets_data(design_3__days=0)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="err-design_3"' in page and 'aria-invalid="true"' in page
    assert planned(program) == before


def test_the_demo_lays_out_the_timeline_once(municipality, manager):
    from kehila import scheduling

    program = municipality.program
    # Strategy's demo loader, which runs before this one, signs the agreement.
    an_agreement_in_force(municipality)
    scheduling.demo_load(program, {"manager": manager})
    count = Milestone.objects.filter(program=program).count()
    program.refresh_from_db()
    scheduling.demo_load(program, {"manager": manager})
    assert Milestone.objects.filter(program=program).count() == count > 20
    # The demo's design meeting 1 is still to come (committees' demo links its meeting to it).
    assert milestone(program, "design_1").status == Milestone.Status.PLANNED


def test_a_created_meeting_is_linked_from_its_milestone(client_for, manager, municipality):
    from django.urls import NoReverseMatch, reverse

    from kehila.tasks import program_tick

    program = plan_program(municipality)
    program_tick(program.pk, "2027-01-20")
    meeting_id = milestone(program, "design_1").meeting.pk
    assert meeting_id
    page = client_for(manager).get(url(municipality)).content.decode()
    try:
        link = reverse(
            "committees:meeting", kwargs={"slug": municipality.slug, "meeting_id": meeting_id}
        )
    except NoReverseMatch:
        assert "meeting created" in page or "נוצר" in page
    else:
        assert f'href="{link}"' in page


@time_machine.travel(date(2027, 2, 1))
def test_the_dashboard_card_shows_the_overdue_count_and_the_next_milestones(
    client_for, manager, committee_member, municipality
):
    program = plan_program(municipality)
    page = client_for(manager).get(f"/m/{municipality.slug}/").content.decode()
    card = page.split('id="timeline-panel"')[1].split("</section>")[0]
    assert milestone(program, "design_regular_2027_02").title in card
    overdue = card.split("text-danger-emphasis")[1].split("</p>")[0]
    assert ">1 " in overdue, card
    member_page = client_for(committee_member).get(f"/m/{municipality.slug}/").content.decode()
    assert 'id="timeline-panel"' not in member_page


def test_the_dashboard_card_says_there_is_no_plan_yet(client_for, manager, municipality):
    page = client_for(manager).get(f"/m/{municipality.slug}/").content.decode()
    assert 'id="timeline-panel"' in page and "/timeline/" in page
