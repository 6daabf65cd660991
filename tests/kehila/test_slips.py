"""One definition of a slip, shown by severity against the municipality's threshold, and the next
milestone not yet held counted from today (issue 15 §3)."""

from datetime import date, timedelta

import pytest
import time_machine

from kehila import scheduling
from kehila import timeline as engine
from kehila.models import AuditLog, Milestone
from tests.helpers import assert_nothing_changed
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db


def test_a_slip_is_where_it_took_place_or_a_day_more_for_every_overdue_day():
    base = date(2027, 1, 24)
    assert engine.slip_days(baseline=base, planned=base, actual=None, today=base) == 0
    assert (
        engine.slip_days(baseline=base, planned=base, actual=base + timedelta(2), today=base) == 2
    )
    # overdue, not held: eight days behind on 1 February
    assert engine.slip_days(baseline=base, planned=base, actual=None, today=date(2027, 2, 1)) == 8
    assert engine.slip_days(baseline=None, planned=base, actual=None, today=date(2027, 3, 1)) == 0


@pytest.mark.parametrize(
    "days,alert,severity",
    [
        (-3, 7, "early"),
        (0, 7, "on_time"),
        (2, 7, "minor"),
        (6, 7, "minor"),
        (7, 7, "alarm"),
        (2, 2, "alarm"),
    ],
)
def test_a_slip_is_an_alarm_only_from_the_municipalitys_threshold(days, alert, severity):
    assert engine.slip_severity(days, alert_days=alert) == severity


def _row(page: str, key: str) -> str:
    return (
        page.split(f'id="milestone-{key}"')[0].rsplit("<tr", 1)[1]
        + page.split(f'id="milestone-{key}"')[1].split("</tr>")[0]
    )


def test_a_two_day_slip_is_minor_and_becomes_an_alarm_under_a_two_day_threshold(
    client_for, manager, municipality
):
    program = plan_program(municipality)
    design_1 = milestone(program, "design_1")
    with time_machine.travel(design_1.planned + timedelta(days=10)):
        scheduling.milestone_hold(
            milestone=design_1, actual=design_1.planned + timedelta(days=2), actor=manager
        )
        page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()
        row = _row(page, "design_1")
        assert 'data-severity="minor"' in row and "table-danger" not in row
        client_for(manager).post(
            f"/m/{municipality.slug}/timeline/slip-threshold/", {"slip_alert_days": "2"}
        )
        municipality.refresh_from_db()
        assert municipality.slip_alert_days == 2
        assert AuditLog.objects.filter(action="timeline.slip_threshold_set").exists()
        page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()
        row = _row(page, "design_1")
        assert 'data-severity="alarm"' in row and "table-danger" in row


def test_hq_marks_a_slip_an_alarm_by_the_same_definition_and_threshold(
    client_for, hq_user, municipality
):
    plan_program(municipality)
    design_1 = milestone(municipality.program, "design_1")
    with time_machine.travel(design_1.planned + timedelta(days=3)):
        row = client_for(hq_user).get("/hq/").content.decode().split(municipality.name)[1]
        row = row.split("</tr>")[0]
        assert "text-bg-warning" in row and ">3<" in row  # three days overdue: minor
        municipality.slip_alert_days = 3
        municipality.save(update_fields=["slip_alert_days"])
        row = client_for(hq_user).get("/hq/").content.decode().split(municipality.name)[1]
        assert "text-bg-danger" in row.split("</tr>")[0]


def test_a_threshold_out_of_range_is_refused_and_nothing_changes(client_for, manager, municipality):
    client = client_for(manager)
    with assert_nothing_changed():
        client.post(f"/m/{municipality.slug}/timeline/slip-threshold/", {"slip_alert_days": "0"})


def test_the_next_milestone_is_the_next_not_held_counted_from_today(
    client_for, manager, municipality
):
    program = plan_program(municipality)
    design_1 = milestone(program, "design_1")
    after = (
        Milestone.objects.filter(program=program, planned__gt=design_1.planned)
        .order_by("planned", "key")
        .first()
    )
    # design_1 overdue and not held: it is overdue, not "next"; the next is the first one ahead
    with time_machine.travel(design_1.planned + timedelta(days=1)):
        if after.planned <= design_1.planned + timedelta(days=1):
            pytest.skip("two milestones a day apart")
        page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()
        nxt = page.split('id="next-milestone">')[1].split("</dd>")[0]
        assert after.title in nxt and design_1.title not in nxt
    # before design_1, it is next; once held, the one after it
    with time_machine.travel(design_1.planned - timedelta(days=1)):
        page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()
        assert design_1.title in page.split('id="next-milestone">')[1].split("</dd>")[0]
        scheduling.milestone_hold(
            milestone=design_1, actual=design_1.planned - timedelta(days=3), actor=manager
        )
        page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()
        assert design_1.title not in page.split('id="next-milestone">')[1].split("</dd>")[0]


# HQ's slip per municipality: the later of its overdue milestone and its next one.
HQ_TODAY = date(2027, 3, 10)


def test_an_overdue_milestone_slips_a_day_for_every_day_it_is_not_held():
    slip = engine.municipality_slip(
        late_baseline=date(2027, 3, 1), next_baseline=None, next_planned=None, today=HQ_TODAY
    )
    assert slip == 9


def test_the_later_of_the_overdue_and_the_next_is_the_municipalitys_slip():
    slip = engine.municipality_slip(
        late_baseline=date(2027, 3, 8),
        next_baseline=date(2027, 4, 1),
        next_planned=date(2027, 4, 15),
        today=HQ_TODAY,
    )
    assert slip == 14


def test_without_a_baseline_there_is_no_slip():
    assert (
        engine.municipality_slip(
            late_baseline=None, next_baseline=None, next_planned=None, today=HQ_TODAY
        )
        is None
    )
