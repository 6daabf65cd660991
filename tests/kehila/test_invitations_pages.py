"""The invitation pages: the manager's list and buttons, then the invitee's link page and the
request form."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kehila import invitations
from kehila.models import Invitation, Membership, Role, SentMessage
from tests.factories import UserFactory, member
from tests.helpers import assert_nothing_changed, roles_refused
from tests.kehila.invitation_helpers import _invite, _later, _signed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitation_clock")]


# --- the manager's pages ------------------------------------------------------------------------------


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


@pytest.mark.parametrize("role", roles_refused("invite_people"))
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


def test_resend_and_revoke_buttons(client_for, manager, municipality, invitation_clock):
    invitation = _invite(manager, municipality)
    client = client_for(manager)
    _later(invitation_clock, hours=1)
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


# --- the invitee's pages ------------------------------------------------------------------------------


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
    problem, status, client, manager, municipality, invitation_clock
):
    invitation = _invite(manager, municipality)
    signed = _signed(invitation)
    if problem == "tampered":
        signed = signed[:-3] + "abc"
    elif problem == "superseded":
        _later(invitation_clock, hours=1)
        invitations.resend(actor=manager, invitation=invitation)
    elif problem == "accepted":
        invitations.accept(invitation=invitation, user=UserFactory(email=invitation.email))
    elif problem == "revoked":
        invitations.revoke(actor=manager, invitation=invitation)
    else:
        _later(invitation_clock, days=15)
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
