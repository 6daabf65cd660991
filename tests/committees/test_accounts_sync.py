"""A committee member turned account holder keeps their history (issue 16): accepting an invitation links
the municipality's Person with the invited address to the account; the member list offers the invitation."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from committees.models import ActionItem
from kehila import invitations
from kehila.models import AuditLog, Role
from kehila.permissions import can
from tests.committees.factories import (
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jerusalem"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _accept_new(manager, municipality, email, role=Role.COMMITTEE_MEMBER):
    invitation = invitations.invite(
        actor=manager, municipality=municipality, email=email, role=role
    )
    return invitations.accept_with_new_account(
        invitation=invitation, first_name="רינה", last_name="כהן", password="a-long-pass-2027!"
    )


def test_accepting_links_the_members_person_and_their_history_becomes_theirs(manager, municipality):
    person = PersonFactory(municipality=municipality, email="rina@example.org")
    MemberFactory(committee__municipality=municipality, person=person)
    meeting = MeetingFactory(committee__municipality=municipality)
    rsvp = InvitationFactory(meeting=meeting, person=person, attended=True)
    item = ActionItem.objects.create(
        municipality=municipality, meeting=meeting, title="לסכם את המפגש", owner=person
    )
    user = _accept_new(manager, municipality, "Rina@Example.org")
    person.refresh_from_db()
    assert person.user == user
    rsvp.refresh_from_db()
    assert rsvp.person.user == user
    # The action item's owner is now this account: they update it signed in, not only by link.
    assert can(user, "update_action_item", ActionItem.objects.get(pk=item.pk))
    entry = AuditLog.objects.get(action="person.linked_to_account")
    assert entry.object_id == str(person.pk) and entry.municipality == municipality


def test_without_the_link_the_account_would_not_own_the_history(manager, municipality):
    """The contradiction the receiver mends: an account whose Person is unlinked may not update
    the Person's action item."""
    person = PersonFactory(municipality=municipality, email="rina@example.org")
    meeting = MeetingFactory(committee__municipality=municipality)
    item = ActionItem.objects.create(
        municipality=municipality, meeting=meeting, title="משימה", owner=person
    )
    user = _accept_new(manager, municipality, "rina@example.org")
    person.user = None
    person.save(update_fields=["user"])
    assert not can(user, "update_action_item", ActionItem.objects.get(pk=item.pk))


def test_only_this_municipalitys_unlinked_people_with_that_address_are_linked(
    manager, municipality, other_municipality
):
    elsewhere = PersonFactory(municipality=other_municipality, email="rina@example.org")
    someone_else = PersonFactory(municipality=municipality, email="other@example.org")
    owner = UserFactory(username="owner")
    taken = PersonFactory(municipality=municipality, email="rina@example.org", user=owner)
    erased = PersonFactory(municipality=municipality, email="rina@example.org", erased_at=NOW)
    user = _accept_new(manager, municipality, "rina@example.org")
    for person in (elsewhere, someone_else, taken, erased):
        person.refresh_from_db()
    assert elsewhere.user is None and someone_else.user is None and erased.user is None
    assert taken.user == owner
    assert not AuditLog.objects.filter(action="person.linked_to_account").exists()
    assert user.people.count() == 0


def test_an_existing_account_joining_is_linked_too(manager, municipality, outsider):
    person = PersonFactory(municipality=municipality, email=outsider.email)
    invitation = invitations.invite(
        actor=manager, municipality=municipality, email=outsider.email, role=Role.COMMITTEE_MEMBER
    )
    invitations.accept(invitation=invitation, user=outsider)
    person.refresh_from_db()
    assert person.user == outsider


# --- the button on the committee's member list -------------------------------------------------------


def _committee_page(client, municipality, person):
    member = MemberFactory(committee__municipality=municipality, person=person)
    return client.get(f"/m/{municipality.slug}/committees/{member.committee.pk}/")


def test_the_manager_is_offered_to_invite_a_member_without_an_account(
    client_for, manager, municipality
):
    person = PersonFactory(municipality=municipality, email="rina@example.org")
    page = _committee_page(client_for(manager), municipality, person).content.decode()
    assert (
        f"/m/{municipality.slug}/people/?email=rina%40example.org&amp;role=committee_member" in page
    )
    # The link opens the team page's invite form with the address and the role filled in.
    form = client_for(manager).get(
        f"/m/{municipality.slug}/people/", {"email": "rina@example.org", "role": "committee_member"}
    )
    invite = form.context["form"]
    assert invite.initial["email"] == "rina@example.org"
    assert invite.initial["role"] == "committee_member"


def test_a_member_with_an_account_or_without_an_address_is_not_offered(
    client_for, manager, municipality
):
    linked = PersonFactory(municipality=municipality, email="a@example.org", user=manager)
    page = _committee_page(client_for(manager), municipality, linked).content.decode()
    assert "role=committee_member" not in page and "invite-to-account" not in page
    silent = PersonFactory(municipality=municipality, email="")
    page = _committee_page(client_for(manager), municipality, silent).content.decode()
    assert "invite-to-account" not in page


def test_the_team_who_may_not_invite_is_not_offered(client_for, team_member, municipality):
    person = PersonFactory(municipality=municipality, email="rina@example.org")
    page = _committee_page(client_for(team_member), municipality, person).content.decode()
    assert "invite-to-account" not in page
