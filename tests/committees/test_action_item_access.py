"""An action item from the minutes is updated by those who take minutes or by its own owner, through
the page and through the service alike; anyone else is refused and nothing changes."""

import pytest
from django.urls import reverse

from committees import services
from committees.models import ActionItem
from kehila.models import Role
from kehila.permissions import PermissionDenied
from tests.committees.factories import MeetingFactory, PersonFactory
from tests.factories import member
from tests.helpers import assert_nothing_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(municipality, committee_member):
    owner = PersonFactory(municipality=municipality, user=committee_member)
    meeting = MeetingFactory(committee__municipality=municipality)
    return ActionItem.objects.create(
        municipality=municipality, meeting=meeting, title="לתאם חדר", owner=owner
    )


def status_url(item):
    return reverse(
        "committees:action_status", kwargs={"slug": item.municipality.slug, "action_id": item.pk}
    )


def test_the_owner_marks_their_item_done(item, committee_member, client_for):
    response = client_for(committee_member).post(status_url(item), {"status": "done"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


def test_another_committee_member_is_refused_and_nothing_changes(item, municipality, client_for):
    someone_else = member(municipality, Role.COMMITTEE_MEMBER)
    client = client_for(someone_else)
    with assert_nothing_changed():
        response = client.post(status_url(item), {"status": "done"})
    assert response.status_code == 403


def test_the_service_refuses_another_member_too(item, municipality):
    someone_else = member(municipality, Role.COMMITTEE_MEMBER)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.action_item_set_status(item=item, status="done", actor=someone_else)
