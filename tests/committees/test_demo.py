import pytest

from committees import demo
from committees.models import ActionItem, Committee, CommitteeMember, Meeting

pytestmark = pytest.mark.django_db


def test_the_demo_loads_committees_members_and_meetings_once(municipality):
    program = municipality.program
    demo.load(program, {})
    counts = (
        Committee.objects.count(),
        CommitteeMember.objects.count(),
        Meeting.objects.count(),
        ActionItem.objects.count(),
    )
    assert counts[0] >= 4 and counts[1] > 6 and counts[2] == 2 and counts[3] == 2
    demo.load(program, {})
    assert counts == (
        Committee.objects.count(),
        CommitteeMember.objects.count(),
        Meeting.objects.count(),
        ActionItem.objects.count(),
    )
