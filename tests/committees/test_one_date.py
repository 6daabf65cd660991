"""A milestone that is a meeting and that meeting share one date: moving either moves the other, at once."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from committees import services as committees
from committees.models import Meeting
from kehila import scheduling
from kehila.models import Milestone
from kehila.tasks import program_tick
from tests.helpers import assert_nothing_changed
from tests.kehila.timeline_factories import milestone, plan_program, planned

pytestmark = pytest.mark.django_db


def _day(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(scheduling.MEETING_TZ).date()


@pytest.fixture
def program_with_design_1(municipality):
    program = plan_program(municipality)
    with time_machine.travel(date(2027, 1, 20)):
        program_tick(program.pk, "2027-01-20")
    assert Meeting.objects.filter(milestone=milestone(program, "design_1")).exists()
    return program


def test_pinning_a_milestone_moves_its_meeting_in_the_same_transaction(
    program_with_design_1, manager
):
    program = program_with_design_1
    with time_machine.travel(date(2027, 1, 20)):
        scheduling.milestone_pin(
            milestone=milestone(program, "design_1"), date=date(2027, 1, 27), actor=manager
        )
    # no tick in between: the meeting followed inside the pin
    assert _day(milestone(program, "design_1").meeting) == date(2027, 1, 27)


def test_moving_a_meeting_moves_its_milestone_and_what_follows(program_with_design_1, manager):
    program = program_with_design_1
    meeting = milestone(program, "design_1").meeting
    before = planned(program)
    new_start = meeting.starts_at + timedelta(days=14)
    with time_machine.travel(date(2027, 1, 20)):
        committees.meeting_update(
            meeting=meeting,
            actor=manager,
            starts_at=new_start,
            ends_at=meeting.ends_at + timedelta(days=14),
        )
    design_1 = milestone(program, "design_1")
    assert design_1.planned == design_1.pinned == _day(design_1.meeting) == date(2027, 2, 7)
    after = planned(program)
    assert after["design_2"] > before["design_2"]  # what depends on it followed


def test_a_meeting_moved_before_what_its_milestone_depends_on_is_refused_whole(
    program_with_design_1, manager
):
    program = program_with_design_1
    meeting = milestone(program, "design_1").meeting
    scope = milestone(program, "scope_decision").actual
    too_early = datetime.combine(scope, meeting.starts_at.timetz())
    with time_machine.travel(date(2027, 1, 20)), assert_nothing_changed():
        with pytest.raises(ValidationError):
            committees.meeting_update(
                meeting=meeting,
                actor=manager,
                starts_at=too_early,
                ends_at=too_early + timedelta(hours=2),
            )
    assert _day(Meeting.objects.get(pk=meeting.pk)) == milestone(program, "design_1").planned


def test_moving_a_meeting_within_its_day_leaves_the_milestone_alone(program_with_design_1, manager):
    program = program_with_design_1
    meeting = milestone(program, "design_1").meeting
    committees.meeting_update(
        meeting=meeting,
        actor=manager,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
    )
    assert Milestone.objects.get(program=program, key="design_1").pinned is None


def test_the_meeting_page_previews_what_moves_before_it_moves_anything(
    program_with_design_1, manager, client_for
):
    program = program_with_design_1
    meeting = milestone(program, "design_1").meeting
    edit = f"/m/{program.municipality.slug}/committees/meetings/{meeting.pk}/edit/"
    local = meeting.starts_at.astimezone(scheduling.MEETING_TZ) + timedelta(days=14)
    ends = meeting.ends_at.astimezone(scheduling.MEETING_TZ) + timedelta(days=14)
    before = planned(program)
    with time_machine.travel(date(2027, 1, 20)):
        client = client_for(manager)
        form = client.get(edit).context["form"]
        data = {name: form[name].value() or "" for name in form.fields}
        data |= {
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": ends.strftime("%Y-%m-%dT%H:%M"),
        }
        page = client.post(edit, data)
        assert page.status_code == 200
        text = page.content.decode()
        assert 'id="timeline-preview"' in text and milestone(program, "design_2").title in text
        assert planned(program) == before  # the preview moved nothing
        assert _day(Meeting.objects.get(pk=meeting.pk)) == before["design_1"]
        done = client.post(edit, data | {"previewed": local.date().isoformat()})
    assert done.status_code == 302
    assert milestone(program, "design_1").planned == local.date()
    assert planned(program)["design_2"] > before["design_2"]
