"""Accepting an invitation, with an existing account or a new one."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kehila import invitations
from kehila.models import Membership, Role
from kehila.signals import invitation_accepted
from tests.factories import UserFactory, member
from tests.helpers import assert_nothing_changed
from tests.kehila.invitation_helpers import NOW, _invite

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitation_clock")]


# --- accepting ----------------------------------------------------------------------------------------


def test_an_existing_account_joins_and_the_signal_is_sent(manager, municipality, outsider):
    invitation = _invite(manager, municipality, email=outsider.email, role=Role.MAYOR_OFFICE)
    heard = []

    def receiver(sender, invitation, user, **kwargs):
        heard.append((invitation.pk, user.pk))

    invitation_accepted.connect(receiver)
    try:
        membership = invitations.accept(invitation=invitation, user=outsider)
    finally:
        invitation_accepted.disconnect(receiver)
    assert membership.role == Role.MAYOR_OFFICE and membership.municipality == municipality
    assert heard == [(invitation.pk, outsider.pk)]
    invitation.refresh_from_db()
    assert invitation.accepted_by == outsider and invitation.accepted_at == NOW
    # Their other municipality's role is untouched: one account, two municipalities.
    assert outsider.memberships.count() == 2


def test_another_account_cannot_use_the_link(manager, municipality, team_member):
    invitation = _invite(manager, municipality)
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        invitations.accept(invitation=invitation, user=team_member)
    assert refusal.value.code == "wrong_account"


def test_accepting_another_role_replaces_the_role_there(manager, team_member, municipality):
    invitation = _invite(
        manager, municipality, email=team_member.email, role=Role.TRACK_LEAD, track="urban"
    )
    invitations.accept(invitation=invitation, user=team_member)
    membership = Membership.objects.get(user=team_member, municipality=municipality)
    assert (membership.role, membership.track) == (Role.TRACK_LEAD, "urban")


def test_the_last_manager_cannot_accept_another_role(manager, hq_user, municipality):
    invitation = _invite(hq_user, municipality, email=manager.email, role=Role.TEAM)
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        invitations.accept(invitation=invitation, user=manager)
    assert refusal.value.code == "last_manager"
    # With a second manager, the first may step down.
    member(municipality, Role.MANAGER)
    invitations.accept(invitation=invitation, user=manager)
    assert Membership.objects.get(user=manager, municipality=municipality).role == Role.TEAM


def test_a_new_account_is_made_with_the_membership(manager, municipality):
    invitation = _invite(manager, municipality, role=Role.COMMITTEE_MEMBER)
    user = invitations.accept_with_new_account(
        invitation=invitation, first_name="נועה", last_name="כהן", password="a-long-safe-passphrase"
    )
    assert user.email == "new@example.org" and user.username == "new@example.org"
    assert user.check_password("a-long-safe-passphrase")
    assert Membership.objects.get(user=user).role == Role.COMMITTEE_MEMBER


def test_a_weak_password_makes_no_account(manager, municipality):
    invitation = _invite(manager, municipality)
    users = get_user_model().objects.count()
    with assert_nothing_changed(), pytest.raises(ValidationError):
        invitations.accept_with_new_account(
            invitation=invitation, first_name="a", last_name="b", password="123"
        )
    assert get_user_model().objects.count() == users


def test_an_address_with_an_account_must_log_in_to_join(manager, municipality, outsider):
    invitation = _invite(manager, municipality, email=outsider.email)
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        invitations.accept_with_new_account(
            invitation=invitation, first_name="a", last_name="b", password="a-long-safe-passphrase"
        )
    assert refusal.value.code == "has_account"


def test_a_taken_username_gets_a_free_one(manager, municipality):
    UserFactory(username="new@example.org", email="someone-else@example.org")
    invitation = _invite(manager, municipality)
    user = invitations.accept_with_new_account(
        invitation=invitation, first_name="a", last_name="b", password="a-long-safe-passphrase"
    )
    assert user.username == "new@example.org-2"
