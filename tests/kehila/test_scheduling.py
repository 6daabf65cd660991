"""The timeline services over the database: re-planning, holding, pinning, and the daily tick."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from committees.models import Meeting
from kehila import scheduling
from kehila import timeline as engine
from kehila.models import AuditLog, Milestone, ProgramOffset, SentMessage
from kehila.permissions import SYSTEM
from kehila.tasks import daily_tick, program_tick
from tests.kehila.timeline_factories import T0, milestone, plan_program, planned

pytestmark = pytest.mark.django_db


def test_a_program_without_a_scope_decision_has_no_plan(municipality):
    assert scheduling.timeline_replan(program=municipality.program) == []
    assert not Milestone.objects.exists()


def test_the_scope_decision_lays_out_every_milestone_of_the_engine(municipality, manager):
    program = plan_program(municipality, actor=manager)
    expected = scheduling.full_plan(t0=T0, tracks=["social", "urban"])
    assert planned(program) == {m.key: m.date for m in expected}
    scope = milestone(program, "scope_decision")
    assert scope.status == Milestone.Status.HELD and scope.actual == T0
    assert milestone(program, "design_1").baseline == date(2027, 1, 24)
    assert AuditLog.objects.filter(action="timeline.scope_decided").count() == 1


def test_replanning_twice_changes_nothing_the_second_time(municipality):
    program = plan_program(municipality)
    count = Milestone.objects.count()
    assert scheduling.timeline_replan(program=program) == []
    assert Milestone.objects.count() == count


def test_holding_a_milestone_late_moves_every_dependent_and_reports_it(municipality, manager):
    program = plan_program(municipality)
    before = planned(program)
    with time_machine.travel(date(2027, 6, 1)):
        moved = scheduling.milestone_hold(
            milestone=milestone(program, "design_2"), actual=date(2027, 5, 9), actor=manager
        )
    after = planned(program)
    moved_keys = {c.key for c in moved}
    assert {"design_2", "launch_conference", "design_3", "hackathon", "plan_approval"} <= moved_keys
    assert after["launch_conference"] == date(2027, 5, 23)
    assert after["design_1"] == before["design_1"]
    d2 = milestone(program, "design_2")
    assert d2.status == Milestone.Status.HELD and d2.actual == date(2027, 5, 9)
    assert d2.slip_days == (date(2027, 5, 9) - before["design_2"]).days
    assert milestone(program, "design_3").slip_days > 0
    assert AuditLog.objects.filter(action="timeline.milestone_held").count() == 1


def test_a_held_date_before_its_predecessor_is_refused_and_nothing_is_written(
    municipality, manager
):
    program = plan_program(municipality)
    before = planned(program)
    with pytest.raises(ValidationError) as caught:
        scheduling.milestone_hold(
            milestone=milestone(program, "design_2"), actual=date(2027, 1, 20), actor=manager
        )
    assert "date" in caught.value.message_dict
    assert planned(program) == before
    assert milestone(program, "design_2").status == Milestone.Status.PLANNED
    assert not AuditLog.objects.filter(action="timeline.milestone_held").exists()


def test_a_pin_keeps_its_date_and_its_dependents_follow(municipality, manager):
    program = plan_program(municipality)
    friday = date(2027, 2, 5)
    scheduling.milestone_pin(milestone=milestone(program, "design_1"), date=friday, actor=manager)
    after = planned(program)
    assert after["design_1"] == friday  # kept even on a Friday: a person chose it
    assert after["design_2"] == engine.next_working_day(date(2027, 5, 5))
    assert milestone(program, "design_1").pinned == friday


def test_a_pin_that_breaks_the_order_is_refused(municipality, manager):
    program = plan_program(municipality)
    with pytest.raises(ValidationError):
        scheduling.milestone_pin(
            milestone=milestone(program, "design_3"), date=date(2027, 2, 1), actor=manager
        )
    assert milestone(program, "design_3").pinned is None


def test_a_held_milestone_cannot_be_pinned(municipality, manager):
    program = plan_program(municipality)
    with time_machine.travel(date(2027, 2, 1)):
        scheduling.milestone_hold(
            milestone=milestone(program, "design_1"), actual=date(2027, 1, 25), actor=manager
        )
    with pytest.raises(ValidationError):
        scheduling.milestone_pin(
            milestone=milestone(program, "design_1"), date=date(2027, 1, 28), actor=manager
        )


def test_the_preview_writes_nothing(municipality):
    program = plan_program(municipality)
    before = planned(program)
    changes = scheduling.timeline_preview(
        program=program, key="design_1", when=date(2027, 2, 7), action="pin"
    )
    assert changes[0] == engine.Change("design_1", date(2027, 1, 24), date(2027, 2, 7))
    assert planned(program) == before


def test_an_offset_override_moves_the_plan(municipality, manager):
    program = plan_program(municipality)
    default_design_2 = milestone(program, "design_2").planned
    scheduling.program_offsets_set(program=program, offsets={"design_2": (4, 0)}, actor=manager)
    assert ProgramOffset.objects.get(program=program).months == 4
    assert milestone(program, "design_2").planned == engine.next_working_day(date(2027, 5, 24))
    # the original plan follows the rules too: an override is not a slip
    assert milestone(program, "design_2").slip_days == 0
    # back to the default: the override row goes, the plan returns
    scheduling.program_offsets_set(program=program, offsets={"design_2": (3, 0)}, actor=manager)
    assert not ProgramOffset.objects.exists()
    # T0 + 14 days + 3 months is 24 April 2027, a Saturday; 25-27 April are Chol HaMoed Pesach and
    # 28 April its seventh day, so the municipality's default calendar gives Thursday 29 April.
    assert milestone(program, "design_2").planned == default_design_2 == date(2027, 4, 29)


def test_a_zero_offset_is_refused_and_nothing_is_written(municipality, manager):
    program = plan_program(municipality)
    before = planned(program)
    with pytest.raises(ValidationError) as caught:
        scheduling.program_offsets_set(
            program=program, offsets={"design_1": (0, 7), "design_2": (0, 0)}, actor=manager
        )
    assert "design_2" in caught.value.message_dict
    assert not ProgramOffset.objects.exists()
    assert planned(program) == before


def test_the_tick_holds_a_milestone_whose_meeting_was_held(municipality, manager):
    from committees import services as committees

    program = plan_program(municipality)
    program_tick(program.pk, "2027-01-20")
    meeting = milestone(program, "design_1").meeting
    committees.meeting_mark_held(meeting=meeting, actor=manager)
    program_tick(program.pk, "2027-01-25")
    design_1 = milestone(program, "design_1")
    assert design_1.status == Milestone.Status.HELD and design_1.actual == date(2027, 1, 24)
    assert not SentMessage.objects.filter(idempotency_key__startswith="overdue:").exists()


def test_dropping_a_track_removes_its_team_meetings(municipality, manager):
    program = plan_program(municipality)
    plan_program(municipality, tracks=["social"])
    assert not Milestone.objects.filter(program=program, key__startswith="team_urban").exists()
    assert Milestone.objects.filter(program=program, key__startswith="team_social").count() == 4


# --- the tick -----------------------------------------------------------------------------------


def test_the_tick_creates_the_meetings_of_the_next_weeks_once(municipality, manager):
    program = plan_program(municipality)
    with time_machine.travel(date(2027, 1, 20)):
        daily_tick()
        daily_tick()
    meetings = Meeting.objects.filter(municipality=municipality).order_by("starts_at")
    keys = set(meetings.values_list("idempotency_key", flat=True))
    assert keys == {
        f"milestone:{program.pk}:design_1",
        f"milestone:{program.pk}:design_regular_2027_02",
    }
    design_1 = milestone(program, "design_1").meeting
    assert design_1.committee.kind == "design"
    local = design_1.starts_at.astimezone(scheduling.MEETING_TZ)
    assert (local.date(), local.hour) == (date(2027, 1, 24), 17)
    assert design_1.ends_at - design_1.starts_at == timedelta(hours=2, minutes=30)
    assert design_1.status == Meeting.Status.INVITED  # within three weeks: invited


def test_a_slipped_milestone_moves_its_meeting(municipality, manager):
    program = plan_program(municipality)
    with time_machine.travel(date(2027, 1, 20)):
        daily_tick()
        scheduling.milestone_pin(
            milestone=milestone(program, "design_1"), date=date(2027, 1, 27), actor=manager
        )
        daily_tick()
    meeting = milestone(program, "design_1").meeting
    assert meeting.starts_at.astimezone(scheduling.MEETING_TZ).date() == date(2027, 1, 27)


def test_the_tick_warns_the_manager_of_an_overdue_milestone_and_sends_the_digest_once(
    municipality, manager, team_member
):
    plan_program(municipality)
    with time_machine.travel(date(2027, 1, 31)):  # a Sunday, design_1 (24 Jan) not held
        daily_tick()
        daily_tick()
        program_tick(municipality.program.pk, "2027-01-31")
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(mail.outbox) == 2, subjects
    assert all(m.to == [manager.email] for m in mail.outbox)
    keys = set(SentMessage.objects.values_list("idempotency_key", flat=True))
    overdue = milestone(municipality.program, "design_1")
    assert f"overdue:{overdue.pk}:2027-01-24:{manager.pk}" in keys
    assert f"digest:{municipality.program.pk}:2027-W04:{manager.pk}" in keys
    overdue_mail = next(m for m in mail.outbox if "/timeline/" in m.body and "7" in m.body)
    assert "/m/ein-hagalil/timeline/" in overdue_mail.body


def test_the_next_day_brings_no_new_overdue_mail_for_the_same_slip(municipality, manager):
    plan_program(municipality)
    for day in ("2027-01-27", "2027-01-28"):
        program_tick(municipality.program.pk, day)
    assert len(mail.outbox) == 1


def test_the_manager_hears_of_a_decision_two_weeks_ahead(municipality, manager):
    program = plan_program(municipality)
    approval = milestone(program, "plan_approval").planned
    program_tick(program.pk, (approval - timedelta(days=10)).isoformat())
    keys = list(SentMessage.objects.values_list("idempotency_key", flat=True))
    assert f"decision:{milestone(program, 'plan_approval').pk}:{approval}:{manager.pk}" in keys


def test_the_tick_skips_programs_without_a_scope_decision(municipality, manager):
    assert daily_tick() == 0
    assert not Meeting.objects.exists()


def test_members_are_invited_three_weeks_ahead_and_reminded_once(
    municipality, manager, django_capture_on_commit_callbacks
):
    from committees import services as committees
    from partners.models import Person

    program = plan_program(municipality)
    design = committees.committee_for_kind(municipality=municipality, kind="design")
    person = Person.objects.create(
        municipality=municipality, full_name="חנה לוי", email="hana@example.org", language="he"
    )
    committees.member_add(committee=design, person=person, starts_on=date(2027, 1, 1), actor=SYSTEM)
    design_1 = milestone(program, "design_1").planned
    for days_before in (21, 20, 2, 1):
        day = design_1 - timedelta(days=days_before)
        # The tick runs on the day it is given, at beat's hour: the reminder asks the clock whether the
        # meeting is still ahead, so the clock must be on that day too, not on the day the suite runs.
        at_beat = datetime.combine(day, time(6), tzinfo=ZoneInfo("Asia/Jerusalem"))
        with (
            time_machine.travel(at_beat, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            program_tick(program.pk, day.isoformat())
    to_hana = [m for m in mail.outbox if m.to == ["hana@example.org"]]
    keys = sorted(
        SentMessage.objects.filter(to="hana@example.org").values_list("idempotency_key", flat=True)
    )
    invitation = milestone(program, "design_1").meeting.invitations.get()
    # design_1: one invitation three weeks ahead, one reminder two days ahead; the regular February
    # meeting came within three weeks on the later days and was invited too. Each e-mail once.
    assert {f"committees:invite:{invitation.pk}", f"committees:reminder:{invitation.pk}"} <= set(
        keys
    )
    assert len(to_hana) == len(keys) == 3
