"""Each committee sets how long attendees may correct circulated minutes and how early an action item's
owner is reminded (issue 15 §6): the team sets them on the committee's page; nobody else can."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from committees import services
from committees.models import Committee
from kehila.models import AuditLog
from tests.helpers import assert_nothing_changed, roles_refused

from .factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def _url(committee, name="times"):
    return reverse(
        f"committees:{name}",
        kwargs={"slug": committee.municipality.slug, "committee_id": committee.pk},
    )


@pytest.fixture
def committee(municipality):
    return CommitteeFactory(municipality=municipality)


def test_the_team_sets_the_committees_days_and_it_is_audited(manager, committee, client_for):
    client = client_for(manager)
    page = client.get(_url(committee, "detail")).content.decode()
    assert 'name="corrections_days"' in page and 'value="7"' in page
    response = client.post(_url(committee), {"corrections_days": "10", "action_reminder_days": "3"})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert (committee.corrections_days, committee.action_reminder_days) == (10, 3)
    assert AuditLog.objects.filter(action="committees.times_set").count() == 1


def test_a_day_count_out_of_range_is_refused_on_the_page_and_nothing_changes(
    manager, committee, client_for
):
    client = client_for(manager)
    with assert_nothing_changed():
        response = client.post(
            _url(committee), {"corrections_days": "0", "action_reminder_days": "3"}
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'id="err-corrections_days"' in page
    assert 'value="0"' in page  # what was typed stays


@pytest.mark.parametrize("role", roles_refused("manage_committees", also=["outsider"]))
def test_nobody_else_sets_the_days_and_nothing_changes(role, users_by_role, committee, client_for):
    client = client_for(users_by_role[role])
    with assert_nothing_changed():
        response = client.post(
            _url(committee), {"corrections_days": "10", "action_reminder_days": "3"}
        )
    assert response.status_code in (403, 404)
    assert Committee.objects.get(pk=committee.pk).corrections_days == 7


def test_the_service_refuses_a_member(committee_member, committee):
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.committee_set_times(
            committee=committee, corrections_days=1, action_reminder_days=1, actor=committee_member
        )


def test_a_get_shows_the_committee_and_writes_nothing(manager, committee, client_for):
    client = client_for(manager)
    with assert_nothing_changed():
        page = client.get(_url(committee)).content.decode()
    assert 'id="times-heading"' in page
