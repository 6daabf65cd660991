"""An invitation's link: expiry, single use, tampering, revoke and resend, asking for a new one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kehila import invitations
from kehila.models import AuditLog, SentMessage
from tests.factories import UserFactory
from tests.helpers import assert_nothing_changed
from tests.kehila.invitation_helpers import _invite, _later, _signed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitation_clock")]


# --- expiry, single use, tampering --------------------------------------------------------------------


def test_a_link_expires_and_inviting_again_renews_the_same_invitation(
    manager, municipality, invitation_clock
):
    invitation = _invite(manager, municipality)
    signed = _signed(invitation)
    _later(invitation_clock, days=13, hours=23)
    assert invitations.invitation_from_link(signed).problem is None
    _later(invitation_clock, days=14)
    assert invitations.invitation_from_link(signed).problem == "expired"
    user = UserFactory(email=invitation.email)
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        invitations.accept(invitation=invitation, user=user)
    assert refusal.value.code == "expired"
    renewed = _invite(manager, municipality)
    assert renewed.pk == invitation.pk
    assert invitations.invitation_from_link(_signed(renewed)).problem is None


def test_a_link_works_once(manager, municipality):
    invitation = _invite(manager, municipality)
    signed = _signed(invitation)
    user = UserFactory(email="new@example.org")
    invitations.accept(invitation=invitation, user=user)
    assert invitations.invitation_from_link(signed).problem == "accepted"
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        invitations.accept(invitation=invitation, user=user)
    assert refusal.value.code == "accepted"


def test_a_changed_link_is_tampered(manager, municipality):
    invitation = _invite(manager, municipality)
    signed = _signed(invitation)
    assert invitations.invitation_from_link(signed[:-2] + "xx").problem == "tampered"
    assert invitations.invitation_from_link("nonsense").problem == "tampered"
    # Signed by us, but for no invitation, or with a guessed token.
    assert invitations.invitation_from_link(invitations.sign(999999, "t")).problem == "tampered"
    guessed = invitations.invitation_from_link(invitations.sign(invitation.pk, "guess"))
    assert guessed.problem == "superseded"
    # Signed with another salt (another kind of link of the portal).
    other = invitations.signing.dumps({"i": invitation.pk, "t": "x"}, salt="other")
    assert invitations.invitation_from_link(other).problem == "tampered"


# --- revoke and resend --------------------------------------------------------------------------------


def test_a_revoked_invitation_cannot_be_used_or_resent(manager, municipality):
    invitation = _invite(manager, municipality)
    signed = _signed(invitation)
    invitations.revoke(actor=manager, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_by == manager
    assert invitations.invitation_from_link(signed).problem == "revoked"
    user = UserFactory(email=invitation.email)
    with assert_nothing_changed():
        with pytest.raises(ValidationError):
            invitations.accept(invitation=invitation, user=user)
        with pytest.raises(ValidationError):
            invitations.resend(actor=manager, invitation=invitation)
        invitations.revoke(actor=manager, invitation=invitation)  # twice is once
    assert AuditLog.objects.filter(action="invitation.revoked").count() == 1


def test_an_accepted_invitation_cannot_be_revoked(manager, municipality):
    invitation = _invite(manager, municipality)
    invitations.accept(invitation=invitation, user=UserFactory(email=invitation.email))
    with assert_nothing_changed(), pytest.raises(ValidationError):
        invitations.revoke(actor=manager, invitation=invitation)


def test_resend_draws_a_new_link_and_refuses_those_who_may_not(
    manager, team_member, municipality, invitation_clock
):
    invitation = _invite(manager, municipality)
    old = _signed(invitation)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        invitations.resend(actor=team_member, invitation=invitation)
    invitations.resend(actor=manager, invitation=invitation)  # the same click twice
    assert SentMessage.objects.count() == 1
    _later(invitation_clock, hours=1)
    invitation = invitations.resend(actor=manager, invitation=invitation)
    assert invitation.sent_count == 2 and SentMessage.objects.count() == 2
    assert invitations.invitation_from_link(old).problem == "superseded"
    assert invitations.invitation_from_link(_signed(invitation)).problem is None


# --- asking for a new link ----------------------------------------------------------------------------


def test_asking_for_a_new_link_tells_the_managers_only_when_the_address_matches(
    manager, hq_user, municipality, invitation_clock
):
    invitation = _invite(hq_user, municipality)
    signed = _signed(invitation)
    invitations.revoke(actor=hq_user, invitation=invitation)
    before = SentMessage.objects.count()
    invitations.request_new_link(signed=signed, email="wrong@example.org", client="1.2.3.4")
    invitations.request_new_link(signed="tampered", email="new@example.org", client="1.2.3.4")
    assert SentMessage.objects.count() == before
    invitations.request_new_link(signed=signed, email="NEW@example.org", client="1.2.3.4")
    asked = SentMessage.objects.filter(idempotency_key__startswith="kehila:invitation-request:")
    assert sorted(asked.values_list("to", flat=True)) == sorted([manager.email, hq_user.email])
    # Asking again the same day adds nothing.
    invitations.request_new_link(signed=signed, email="new@example.org", client="1.2.3.4")
    assert asked.count() == 2


def test_asking_for_a_new_link_is_rate_limited(manager, municipality, settings):
    settings.KEHILA_INVITATION_REQUESTS_PER_HOUR = 1
    invitation = _invite(manager, municipality)
    signed = invitations.sign(invitation.pk, "old")
    invitations.request_new_link(signed="x", email="a@example.org", client="5.6.7.8")
    invitations.request_new_link(signed=signed, email=invitation.email, client="5.6.7.8")
    assert not SentMessage.objects.filter(idempotency_key__startswith="kehila:invitation-request:")
    invitations.request_new_link(signed=signed, email=invitation.email, client="9.9.9.9")
    assert SentMessage.objects.filter(idempotency_key__startswith="kehila:invitation-request:")
