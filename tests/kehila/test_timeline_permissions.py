"""The timeline's write services decide through the rule table themselves: the mayor's office (who may
see the timeline but not manage it) is refused by the service as by the page, and nothing changes."""

from datetime import date

import pytest

from kehila import scheduling
from kehila.permissions import PermissionDenied
from tests.helpers import assert_nothing_changed, roles_refused
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", roles_refused("manage_timeline"))
def test_only_those_who_manage_the_timeline_move_it(role, municipality, manager, users_by_role):
    program = plan_program(municipality, actor=manager)
    actor = users_by_role[role]
    design_1 = milestone(program, "design_1")
    calls = [
        lambda: scheduling.milestone_hold(
            milestone=design_1, actual=date(2027, 1, 25), actor=actor
        ),
        lambda: scheduling.milestone_pin(milestone=design_1, date=date(2027, 1, 28), actor=actor),
        lambda: scheduling.program_offsets_set(
            program=program, offsets={"design_2": (4, 0)}, actor=actor
        ),
    ]
    for call in calls:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            call()
