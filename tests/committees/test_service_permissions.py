"""The committees' write services decide through the rule table themselves, so the scheduler's tick, a
command or the shell gets the page's answer: whoever may not manage committees is refused and nothing
is written; the portal's own actor (SYSTEM) may schedule, invite and reschedule, and nothing else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from committees import services
from kehila.permissions import RULES, SYSTEM, SYSTEM_ACTIONS, PermissionDenied, can
from tests.committees.factories import CommitteeFactory, MeetingFactory, PersonFactory
from tests.helpers import assert_nothing_changed, roles_refused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", roles_refused("manage_committees"))
def test_the_committees_write_services_refuse_whoever_may_not_manage_them(
    role, municipality, users_by_role
):
    actor = users_by_role[role]
    committee = CommitteeFactory(municipality=municipality)
    meeting = MeetingFactory(committee=committee)
    person = PersonFactory(municipality=municipality)
    starts = timezone.now() + timedelta(days=30)
    calls = [
        lambda: services.meeting_schedule(
            committee=committee, title="מפגש", starts_at=starts, ends_at=starts, actor=actor
        ),
        lambda: services.meeting_update(meeting=meeting, place="אחר", actor=actor),
        lambda: services.meeting_cancel(meeting=meeting, actor=actor),
        lambda: services.invitations_send(meeting=meeting, actor=actor),
        lambda: services.reminders_send(meeting=meeting, actor=actor),
        lambda: services.member_add(committee=committee, person=person, actor=actor),
        lambda: services.minutes_save(meeting=meeting, note_taker="א", summary="ס", actor=actor),
    ]
    for call in calls:
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            call()


def test_a_service_called_without_an_actor_is_a_programming_error(municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    with assert_nothing_changed(), pytest.raises(TypeError):
        services.meeting_cancel(meeting=meeting)


def test_the_system_actor_does_only_what_is_listed_for_it(municipality):
    assert {action for action in RULES if can(SYSTEM, action, municipality)} == SYSTEM_ACTIONS
    meeting = MeetingFactory(committee__municipality=municipality)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.minutes_save(meeting=meeting, note_taker="א", summary="ס", actor=SYSTEM)
