"""Inviting by e-mail: who may invite to which role, the e-mail, and the rate limits."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kehila import invitations
from kehila.models import AuditLog, Invitation, Role, SentMessage
from tests.factories import member
from tests.helpers import assert_nothing_changed, roles_refused
from tests.kehila.invitation_helpers import NOW, _invite, _later, _signed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitation_clock")]


# --- inviting -----------------------------------------------------------------------------------------


def test_a_manager_invites_and_the_email_carries_a_working_single_link(manager, municipality):
    invitation = _invite(manager, municipality, email=" New@Example.org ")
    assert invitation.email == "new@example.org"
    assert invitation.expires_at == NOW + timedelta(days=14)
    message = SentMessage.objects.get()
    assert message.to == "new@example.org"
    assert message.language == "he"
    assert municipality.name in message.subject
    signed = _signed(invitation)
    check = invitations.invitation_from_link(signed)
    assert check.invitation == invitation and check.problem is None
    # Only the token's digest is stored: the table holds no working link.
    token = invitations.signing.loads(signed, salt=invitations.SALT)["t"]
    assert token not in invitation.token_hash
    assert AuditLog.objects.filter(action="invitation.sent").count() == 1


def test_the_email_is_in_the_invitees_language_or_the_municipalitys(manager, municipality):
    municipality.default_language = "en"
    municipality.save()
    default = _invite(manager, municipality, email="a@example.org")
    chosen = _invite(manager, municipality, email="b@example.org", language="he")
    by_to = {m.to: m for m in SentMessage.objects.all()}
    assert default.language == "en" and by_to["a@example.org"].language == "en"
    assert "You are invited" in by_to["a@example.org"].subject
    # (The Hebrew text itself arrives with the compiled catalogue; the row says which language it is.)
    assert chosen.language == "he" and by_to["b@example.org"].language == "he"


def test_the_email_uses_the_municipalitys_english_name_in_english(manager, municipality):
    municipality.name_en = "Ein HaGalil"
    municipality.save()
    _invite(manager, municipality, language="en")
    assert "Ein HaGalil" in SentMessage.objects.get().subject


@pytest.mark.parametrize("role", roles_refused("invite_people"))
def test_those_who_may_not_invite_are_refused_with_nothing_written(
    role, municipality, manager, request
):
    actor = member(municipality, role)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        _invite(actor, municipality)


def test_an_outsider_may_not_invite_here(outsider, municipality):
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        _invite(outsider, municipality)


def test_nobody_is_invited_to_hq_through_a_municipality(manager, hq_user, municipality):
    for actor in (manager, hq_user):
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            _invite(actor, municipality, role=Role.HQ)


@pytest.mark.parametrize(
    "role", ["manager", "team", "mayor_office", "track_lead", "committee_member"]
)
def test_the_manager_and_hq_invite_to_every_municipal_role(role, manager, hq_user, municipality):
    track = "social" if role == "track_lead" else ""
    assert (
        _invite(manager, municipality, email="m@example.org", role=role, track=track).role == role
    )
    assert (
        _invite(hq_user, municipality, email="h@example.org", role=role, track=track).role == role
    )


def test_a_track_lead_is_invited_to_a_track(manager, municipality):
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        _invite(manager, municipality, role=Role.TRACK_LEAD)
    assert "track" in refusal.value.message_dict
    invitation = _invite(manager, municipality, role=Role.TRACK_LEAD, track="urban")
    assert invitation.track == "urban"
    # Another role keeps no track.
    assert _invite(manager, municipality, email="x@example.org", track="urban").track == ""


def test_an_invalid_address_is_refused(manager, municipality):
    with assert_nothing_changed(), pytest.raises(ValidationError):
        _invite(manager, municipality, email="not an address")


def test_an_address_that_already_has_the_role_is_told_so(manager, team_member, municipality):
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        _invite(manager, municipality, email=team_member.email.upper(), role=Role.TEAM)
    assert refusal.value.code == "already_has_role"
    assert team_member.email in refusal.value.messages[0]
    # The same address to another role is an invitation (accepting it changes the role).
    assert _invite(manager, municipality, email=team_member.email, role=Role.MAYOR_OFFICE)


def test_a_role_in_another_municipality_is_no_obstacle(manager, outsider, municipality):
    assert _invite(manager, municipality, email=outsider.email, role=Role.MANAGER)


def test_a_double_submit_sends_one_email_and_later_it_sends_again(
    manager, municipality, invitation_clock
):
    first = _invite(manager, municipality)
    old = _signed(first)
    assert _invite(manager, municipality) == first
    assert SentMessage.objects.count() == 1
    _later(invitation_clock, minutes=5)
    again = _invite(manager, municipality)
    assert again.pk == first.pk and again.sent_count == 2
    assert SentMessage.objects.count() == 2
    assert Invitation.objects.count() == 1
    assert invitations.invitation_from_link(old).problem == "superseded"
    assert invitations.invitation_from_link(_signed(again)).problem is None
    assert again.expires_at == NOW + timedelta(minutes=5, days=14)


def test_one_open_invitation_per_address_is_kept_by_the_database(manager, municipality):
    first = _invite(manager, municipality)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            municipality=municipality,
            email=first.email,
            role=Role.TEAM,
            expires_at=first.expires_at,
            token_hash="x",
        )
    invitations.revoke(actor=manager, invitation=first)
    # Once revoked, the address may be invited anew: a new row.
    assert _invite(manager, municipality).pk != first.pk


# --- rate limits --------------------------------------------------------------------------------------


def test_an_actor_sends_at_most_so_many_invitations_an_hour(
    manager, municipality, settings, invitation_clock
):
    settings.KEHILA_INVITATIONS_PER_ACTOR_HOUR = 2
    _invite(manager, municipality, email="a@example.org")
    _invite(manager, municipality, email="b@example.org")
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        _invite(manager, municipality, email="c@example.org")
    assert refusal.value.code == "rate_limited"


def test_an_address_receives_at_most_so_many_invitations_a_day(
    manager, hq_user, municipality, settings, invitation_clock
):
    settings.KEHILA_INVITATIONS_PER_ADDRESS_DAY = 2
    invitation = _invite(manager, municipality)
    _later(invitation_clock, minutes=5)
    invitations.resend(actor=manager, invitation=invitation)
    _later(invitation_clock, minutes=10)
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        invitations.resend(actor=hq_user, invitation=invitation)
    assert refusal.value.code == "rate_limited"
    # Another address is not held back.
    assert _invite(hq_user, municipality, email="other@example.org")
