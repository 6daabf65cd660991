"""The demo tells one story: the timeline's design meeting 1 and the committee's meeting share a date."""

import pytest

from committees.models import Meeting
from kehila import scheduling
from kehila.demo import load_demo
from kehila.models import Milestone

pytestmark = pytest.mark.django_db


def test_the_demos_design_meeting_1_and_its_milestone_share_one_date(client):
    load_demo()
    load_demo()  # a second run changes no date
    design_1 = Milestone.objects.get(program__municipality__slug="ein-hagalil", key="design_1")
    meeting = Meeting.objects.get(milestone=design_1)
    assert meeting.idempotency_key == "demo:ein-hagalil:design-1"
    assert meeting.starts_at.astimezone(scheduling.MEETING_TZ).date() == design_1.planned
    assert design_1.status == Milestone.Status.PLANNED  # upcoming on both sides
    # every meeting linked to a milestone agrees with it
    for linked in Meeting.objects.filter(milestone__isnull=False).select_related("milestone"):
        day = linked.starts_at.astimezone(scheduling.MEETING_TZ).date()
        assert day == (linked.milestone.actual or linked.milestone.planned)
