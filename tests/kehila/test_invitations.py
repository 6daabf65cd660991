"""Invitations by e-mail and HQ opening a municipality (issue 16): the services, then the pages."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from kehila import invitations
from kehila.models import AuditLog, Invitation, Membership, Municipality, Program, Role, SentMessage
from kehila.signals import invitation_accepted
from tests.factories import UserFactory, member
from tests.helpers import assert_nothing_changed

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jerusalem"))
LINK = re.compile(r"/invitations/([^/\s]+)/")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _invite(actor, municipality, email="new@example.org", role=Role.TEAM, **kwargs):
    return invitations.invite(
        actor=actor, municipality=municipality, email=email, role=role, **kwargs
    )


def _signed(invitation) -> str:
    """The link of the newest e-mail of the invitation, read back from the outbox as a person would."""
    message = SentMessage.objects.filter(
        idempotency_key=f"kehila:invitation:{invitation.pk}:{invitation.sent_count}"
    ).get()
    return LINK.search(message.body_text).group(1)


def _later(traveller, **delta):
    traveller.move_to(NOW + timedelta(**delta))


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


@pytest.mark.parametrize("role", ["team", "mayor_office", "committee_member"])
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


def test_a_double_submit_sends_one_email_and_later_it_sends_again(manager, municipality, _frozen):
    first = _invite(manager, municipality)
    old = _signed(first)
    assert _invite(manager, municipality) == first
    assert SentMessage.objects.count() == 1
    _later(_frozen, minutes=5)
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


# --- expiry, single use, tampering --------------------------------------------------------------------


def test_a_link_expires_and_inviting_again_renews_the_same_invitation(
    manager, municipality, _frozen
):
    invitation = _invite(manager, municipality)
    signed = _signed(invitation)
    _later(_frozen, days=13, hours=23)
    assert invitations.invitation_from_link(signed).problem is None
    _later(_frozen, days=14)
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
    manager, team_member, municipality, _frozen
):
    invitation = _invite(manager, municipality)
    old = _signed(invitation)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        invitations.resend(actor=team_member, invitation=invitation)
    invitations.resend(actor=manager, invitation=invitation)  # the same click twice
    assert SentMessage.objects.count() == 1
    _later(_frozen, hours=1)
    invitation = invitations.resend(actor=manager, invitation=invitation)
    assert invitation.sent_count == 2 and SentMessage.objects.count() == 2
    assert invitations.invitation_from_link(old).problem == "superseded"
    assert invitations.invitation_from_link(_signed(invitation)).problem is None


# --- rate limits --------------------------------------------------------------------------------------


def test_an_actor_sends_at_most_so_many_invitations_an_hour(
    manager, municipality, settings, _frozen
):
    settings.KEHILA_INVITATIONS_PER_ACTOR_HOUR = 2
    _invite(manager, municipality, email="a@example.org")
    _invite(manager, municipality, email="b@example.org")
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        _invite(manager, municipality, email="c@example.org")
    assert refusal.value.code == "rate_limited"


def test_an_address_receives_at_most_so_many_invitations_a_day(
    manager, hq_user, municipality, settings, _frozen
):
    settings.KEHILA_INVITATIONS_PER_ADDRESS_DAY = 2
    invitation = _invite(manager, municipality)
    _later(_frozen, minutes=5)
    invitations.resend(actor=manager, invitation=invitation)
    _later(_frozen, minutes=10)
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        invitations.resend(actor=hq_user, invitation=invitation)
    assert refusal.value.code == "rate_limited"
    # Another address is not held back.
    assert _invite(hq_user, municipality, email="other@example.org")


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


# --- asking for a new link ----------------------------------------------------------------------------


def test_asking_for_a_new_link_tells_the_managers_only_when_the_address_matches(
    manager, hq_user, municipality, _frozen
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


# --- HQ opens a municipality --------------------------------------------------------------------------


def _open(actor, **overrides):
    values = {
        "actor": actor,
        "name": "כפר חדש",
        "name_en": "Kfar Hadash",
        "name_ar": "كفر حداش",
        "slug": "kfar-hadash",
        "default_language": "ar",
        "communities": ["muslim", "christian"],
        "start_date": date(2027, 4, 1),
        "manager_email": "Manager@Kfar.example.org",
    }
    return invitations.municipality_open(**values | overrides)


def test_hq_opens_a_municipality_with_its_program_calendar_and_manager_invitation(hq_user):
    municipality, invitation = _open(hq_user)
    assert (municipality.name_en, municipality.name_ar) == ("Kfar Hadash", "كفر حداش")
    assert municipality.default_language == "ar"
    assert municipality.calendar_communities == ["christian", "muslim"]
    assert Program.objects.get(municipality=municipality).start_date == date(2027, 4, 1)
    assert (invitation.email, invitation.role, invitation.language) == (
        "manager@kfar.example.org",
        Role.MANAGER,
        "ar",
    )
    assert SentMessage.objects.get().to == "manager@kfar.example.org"
    assert AuditLog.objects.filter(action="municipality.opened").count() == 1


def test_a_double_submit_opens_one_municipality(hq_user):
    first = _open(hq_user)
    assert _open(hq_user) == first
    assert Municipality.objects.count() == 1 and Invitation.objects.count() == 1


def test_a_taken_slug_writes_nothing(hq_user, municipality):
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        _open(hq_user, slug=municipality.slug)
    assert "slug" in refusal.value.message_dict


def test_a_refused_calendar_or_invitation_writes_nothing(hq_user, settings):
    with assert_nothing_changed(), pytest.raises(ValidationError):
        _open(hq_user, communities=[])
    settings.KEHILA_INVITATIONS_PER_ACTOR_HOUR = 0
    with assert_nothing_changed(), pytest.raises(ValidationError):
        _open(hq_user)
    assert not Municipality.objects.filter(slug="kfar-hadash").exists()


def test_only_hq_opens_a_municipality(manager):
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        _open(manager)


# --- the pages ----------------------------------------------------------------------------------------


def test_the_manager_sees_pending_invitations_and_invites(client_for, manager, municipality):
    _invite(manager, municipality, email="pending@example.org")
    client = client_for(manager)
    page = client.get(f"/m/{municipality.slug}/people/invitations/", follow=True)
    # The invitations' page is the team page's now: its old address leads there.
    assert page.redirect_chain == [(f"/m/{municipality.slug}/people/", 302)]
    assert page.status_code == 200
    assert "pending@example.org" in page.content.decode()
    response = client.post(
        f"/m/{municipality.slug}/people/invitations/",
        {"email": "mayor@example.org", "role": "mayor_office", "language": "he"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get(email="mayor@example.org").role == Role.MAYOR_OFFICE


def test_the_invite_form_shows_a_refusal(client_for, manager, team_member, municipality):
    client = client_for(manager)
    with assert_nothing_changed():
        response = client.post(
            f"/m/{municipality.slug}/people/invitations/",
            {"email": team_member.email, "role": "team", "language": "he"},
        )
        hq = client.post(
            f"/m/{municipality.slug}/people/invitations/",
            {"email": "x@example.org", "role": "hq", "language": "he"},
        )
        lead = client.post(
            f"/m/{municipality.slug}/people/invitations/",
            {"email": "x@example.org", "role": "track_lead", "language": "he"},
        )
    assert response.status_code == 400 and team_member.email in response.content.decode()
    assert hq.status_code == 400 and lead.status_code == 400


def test_hq_uses_the_invitations_page_of_any_municipality(client_for, hq_user, municipality):
    response = client_for(hq_user).post(
        f"/m/{municipality.slug}/people/invitations/",
        {"email": "lead@example.org", "role": "track_lead", "track": "social", "language": "en"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().track == "social"


@pytest.mark.parametrize("role", ["team", "mayor_office", "track_lead", "committee_member"])
def test_other_roles_are_refused_the_invitations_pages(role, client, manager, municipality):
    invitation = _invite(manager, municipality)
    client.force_login(member(municipality, role))
    base = f"/m/{municipality.slug}/people/invitations/"
    assert client.get(base).status_code == 403
    with assert_nothing_changed():
        posted = [
            client.post(base, {"email": "z@example.org", "role": "team", "language": "he"}),
            client.post(f"{base}{invitation.pk}/resend/"),
            client.post(f"{base}{invitation.pk}/revoke/"),
        ]
    assert [r.status_code for r in posted] == [403, 403, 403]


def test_an_outsider_gets_404_and_another_municipalitys_invitation_is_404(
    client_for, manager, outsider, municipality, other_municipality
):
    invitation = _invite(manager, municipality)
    client = client_for(outsider)
    with assert_nothing_changed():
        assert client.get(f"/m/{municipality.slug}/people/invitations/").status_code == 404
        foreign = f"/m/{other_municipality.slug}/people/invitations/{invitation.pk}/revoke/"
        assert client.post(foreign).status_code == 404


def test_resend_and_revoke_buttons(client_for, manager, municipality, _frozen):
    invitation = _invite(manager, municipality)
    client = client_for(manager)
    _later(_frozen, hours=1)
    base = f"/m/{municipality.slug}/people/invitations/{invitation.pk}"
    assert client.post(f"{base}/resend/").status_code == 302
    assert SentMessage.objects.count() == 2
    assert client.get(f"{base}/resend/").status_code == 405
    assert client.post(f"{base}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # A revoked invitation is no longer listed; sending it again is refused with a message.
    page = client.post(f"{base}/resend/", follow=True)
    pending = page.content.decode().split('id="invitations-table"')[1].split("</table>")[0]
    assert "new@example.org" not in pending


def test_the_invitation_page_shows_what_it_is_and_writes_nothing(client, hq_user, municipality):
    invitation = _invite(hq_user, municipality, role=Role.MANAGER, language="en")
    signed = _signed(invitation)
    with assert_nothing_changed():
        response = client.get(f"/invitations/{signed}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert municipality.name in text
    assert "id_password1" in text
    assert hq_user.get_full_name() in text


def test_a_new_person_sets_a_password_and_a_manager_goes_on_to_enrol(client, hq_user, municipality):
    invitation = _invite(hq_user, municipality, email="boss@example.org", role=Role.MANAGER)
    url = f"/invitations/{_signed(invitation)}/"
    weak = client.post(
        url, {"first_name": "a", "last_name": "b", "password1": "123", "password2": "123"}
    )
    assert weak.status_code == 400
    assert not get_user_model().objects.filter(email="boss@example.org").exists()
    response = client.post(
        url,
        {
            "first_name": "דנה",
            "last_name": "לוי",
            "password1": "a-long-safe-passphrase",
            "password2": "a-long-safe-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/enrol/")
    user = get_user_model().objects.get(email="boss@example.org")
    assert Membership.objects.get(user=user).role == Role.MANAGER
    assert int(client.session["_auth_user_id"]) == user.pk
    # The link is used up (for anyone: the new manager's own session goes to enrol first).
    assert Client().get(url).status_code == 410


def test_a_role_without_a_second_factor_lands_on_the_dashboard(client, manager, municipality):
    invitation = _invite(manager, municipality, role=Role.MAYOR_OFFICE)
    response = client.post(
        f"/invitations/{_signed(invitation)}/",
        {
            "first_name": "a",
            "last_name": "b",
            "password1": "a-long-safe-passphrase",
            "password2": "a-long-safe-passphrase",
        },
    )
    assert response["Location"] == f"/m/{municipality.slug}/"


def test_an_existing_account_logs_in_then_joins(client, manager, municipality, outsider):
    invitation = _invite(manager, municipality, email=outsider.email, role=Role.TEAM)
    url = f"/invitations/{_signed(invitation)}/"
    page = client.get(url)
    assert 'id="login-to-join"' in page.content.decode()
    assert "id_password1" not in page.content.decode()
    assert client.post(url)["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert 'id="join"' in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.get(user=outsider, municipality=municipality).role == Role.TEAM


def test_another_signed_in_account_is_told_the_link_is_not_theirs(
    client_for, manager, municipality, team_member
):
    invitation = _invite(manager, municipality)
    client = client_for(team_member)
    url = f"/invitations/{_signed(invitation)}/"
    with assert_nothing_changed():
        response = client.post(url)
    assert response.status_code == 400
    assert 'id="join"' not in response.content.decode()
    assert 'id="new-account-form"' not in response.content.decode()


@pytest.mark.parametrize(
    ("problem", "status"),
    [("tampered", 400), ("superseded", 410), ("accepted", 410), ("revoked", 410), ("expired", 410)],
)
def test_a_link_that_cannot_be_used_explains_itself(
    problem, status, client, manager, municipality, _frozen
):
    invitation = _invite(manager, municipality)
    signed = _signed(invitation)
    if problem == "tampered":
        signed = signed[:-3] + "abc"
    elif problem == "superseded":
        _later(_frozen, hours=1)
        invitations.resend(actor=manager, invitation=invitation)
    elif problem == "accepted":
        invitations.accept(invitation=invitation, user=UserFactory(email=invitation.email))
    elif problem == "revoked":
        invitations.revoke(actor=manager, invitation=invitation)
    else:
        _later(_frozen, days=15)
    with assert_nothing_changed():
        response = client.get(f"/invitations/{signed}/")
        posted = client.post(
            f"/invitations/{signed}/",
            {"first_name": "a", "last_name": "b", "password1": "x", "password2": "x"},
        )
    assert response.status_code == status and posted.status_code == status
    assert f'data-problem="{problem}"' in response.content.decode()
    assert 'id="request-new"' in response.content.decode()


def test_the_request_form_answers_the_same_either_way(client, manager, municipality):
    invitation = _invite(manager, municipality)
    signed = _signed(invitation)
    invitations.revoke(actor=manager, invitation=invitation)
    matched = client.post(f"/invitations/{signed}/request/", {"email": invitation.email})
    unmatched = client.post(f"/invitations/{signed}/request/", {"email": "no@example.org"})
    tampered = client.post("/invitations/garbage/request/", {"email": invitation.email})
    assert matched.status_code == unmatched.status_code == tampered.status_code == 200
    pages = [
        r.content.decode().split("<main")[1].split("</main>")[0]
        for r in (matched, unmatched, tampered)
    ]
    assert pages[0] == pages[1] == pages[2]
    assert SentMessage.objects.filter(to=manager.email).count() == 1
    assert client.post(f"/invitations/{signed}/request/", {"email": "nonsense"}).status_code == 400


def test_hq_opens_a_municipality_from_the_form(client_for, hq_user):
    client = client_for(hq_user)
    assert 'href="/hq/municipalities/new/"' in client.get("/hq/").content.decode()
    assert client.get("/hq/municipalities/new/").status_code == 200
    data = {
        "name": "כפר חדש",
        "name_en": "Kfar Hadash",
        "name_ar": "",
        "slug": "kfar-hadash",
        "default_language": "he",
        "communities": ["jewish", "druze"],
        "start_date": "2027-04-01",
        "manager_email": "boss@example.org",
    }
    response = client.post("/hq/municipalities/new/", data)
    assert response["Location"] == "/m/kfar-hadash/people/"
    assert client.post("/hq/municipalities/new/", data).status_code == 302  # the double submit
    assert Municipality.objects.filter(slug="kfar-hadash").count() == 1
    assert Invitation.objects.filter(email="boss@example.org").count() == 1
    with assert_nothing_changed():
        taken = client.post(
            "/hq/municipalities/new/", data | {"manager_email": "other@example.org"}
        )
        no_community = client.post(
            "/hq/municipalities/new/", data | {"slug": "b", "communities": []}
        )
    assert taken.status_code == 400
    assert 'id="id_slug"' in taken.content.decode() and "is-invalid" in taken.content.decode()
    assert no_community.status_code == 400


def test_only_hq_reaches_the_open_form(client_for, client, manager):
    assert client.get("/hq/municipalities/new/")["Location"].startswith("/accounts/login/")
    member_client = client_for(manager)
    with assert_nothing_changed():
        assert member_client.get("/hq/municipalities/new/").status_code == 403
        response = member_client.post(
            "/hq/municipalities/new/",
            {
                "name": "x",
                "slug": "x",
                "default_language": "he",
                "communities": ["jewish"],
                "manager_email": "a@example.org",
            },
        )
    assert response.status_code == 403
