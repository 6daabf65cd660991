"""The team page (issue 16): the services that change a role or remove access, then the pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from kehila import people
from kehila.models import AuditLog, Invitation, Membership, Role
from kehila.pausing import municipality_pause
from tests.factories import MembershipFactory, UserFactory, member
from tests.helpers import assert_nothing_changed, roles_allowed, roles_refused
from tests.querycount import assert_constant_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jerusalem"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _membership(user, municipality):
    return Membership.objects.get(user=user, municipality=municipality)


# --- changing a role ----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor_role", roles_allowed("manage_people"))
def test_the_manager_and_hq_change_a_role_and_it_is_audited(
    actor_role, users_by_role, team_member, municipality
):
    actor = users_by_role[actor_role]
    membership = people.membership_change_role(
        actor=actor, membership=_membership(team_member, municipality), role=Role.MAYOR_OFFICE
    )
    assert _membership(team_member, municipality).role == Role.MAYOR_OFFICE
    entry = AuditLog.objects.get(action="membership.role_changed")
    assert entry.actor == actor and entry.object_id == str(membership.pk)
    assert entry.municipality == municipality
    assert entry.data["previous"] == {"role": "team", "track": ""}
    assert entry.data["role"] == "mayor_office"


def test_a_track_lead_needs_a_track_and_changes_track(
    manager, track_lead, team_member, municipality
):
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        people.membership_change_role(
            actor=manager, membership=_membership(team_member, municipality), role=Role.TRACK_LEAD
        )
    assert "track" in refusal.value.message_dict
    people.membership_change_role(
        actor=manager,
        membership=_membership(track_lead, municipality),
        role=Role.TRACK_LEAD,
        track="urban",
    )
    assert _membership(track_lead, municipality).track == "urban"
    # Another role keeps no track.
    people.membership_change_role(
        actor=manager,
        membership=_membership(track_lead, municipality),
        role=Role.TEAM,
        track="urban",
    )
    assert _membership(track_lead, municipality).track == ""


def test_the_same_role_again_changes_and_records_nothing(manager, team_member, municipality):
    with assert_nothing_changed():
        people.membership_change_role(
            actor=manager, membership=_membership(team_member, municipality), role=Role.TEAM
        )


def test_nobody_is_made_hq_through_a_municipality(manager, hq_user, team_member, municipality):
    for actor in (manager, hq_user):
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            people.membership_change_role(
                actor=actor, membership=_membership(team_member, municipality), role=Role.HQ
            )


def test_hqs_membership_is_never_changed_or_removed(manager, hq_user, municipality):
    hq = Membership.objects.get(user=hq_user)
    with assert_nothing_changed():
        with pytest.raises(PermissionDenied):
            people.membership_change_role(actor=manager, membership=hq, role=Role.TEAM)
        with pytest.raises(PermissionDenied):
            people.membership_remove(actor=manager, membership=hq)
        with pytest.raises(PermissionDenied):
            people.membership_remove(actor=hq_user, membership=hq)


def test_the_last_manager_keeps_the_role_even_by_hq(manager, hq_user, municipality):
    own = _membership(manager, municipality)
    for actor in (manager, hq_user):
        with assert_nothing_changed():
            with pytest.raises(ValidationError) as refusal:
                people.membership_change_role(actor=actor, membership=own, role=Role.TEAM)
            assert refusal.value.code == "last_manager"
            with pytest.raises(ValidationError) as refusal:
                people.membership_remove(actor=actor, membership=own)
            assert refusal.value.code == "last_manager"


def test_with_a_second_manager_one_may_step_down_or_leave(manager, municipality):
    second = member(municipality, Role.MANAGER, user__username="second")
    people.membership_change_role(
        actor=manager, membership=_membership(manager, municipality), role=Role.TEAM
    )
    assert _membership(manager, municipality).role == Role.TEAM
    # Now `second` is the last manager: their own role is refused them.
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        people.membership_change_role(
            actor=second, membership=_membership(second, municipality), role=Role.TEAM
        )
    assert "You are this municipality's only program manager" in refusal.value.messages[0]


@pytest.mark.parametrize("role", roles_refused("manage_people"))
def test_other_roles_may_not_change_or_remove(role, users_by_role, manager, municipality):
    actor = users_by_role[role]
    target = _membership(manager, municipality)
    with assert_nothing_changed():
        with pytest.raises(PermissionDenied):
            people.membership_change_role(actor=actor, membership=target, role=Role.TEAM)
        with pytest.raises(PermissionDenied):
            people.membership_remove(actor=actor, membership=target)


def test_an_outsider_may_not_change_or_remove(outsider, team_member, municipality):
    target = _membership(team_member, municipality)
    with assert_nothing_changed():
        with pytest.raises(PermissionDenied):
            people.membership_change_role(actor=outsider, membership=target, role=Role.MANAGER)
        with pytest.raises(PermissionDenied):
            people.membership_remove(actor=outsider, membership=target)


def test_a_paused_municipality_refuses_changes(hq_user, manager, team_member, municipality):
    municipality_pause(municipality=municipality, reason="בדיקה", actor=hq_user)
    target = _membership(team_member, municipality)
    target.municipality.refresh_from_db()
    with assert_nothing_changed():
        for actor in (manager, hq_user):
            with pytest.raises(PermissionDenied):
                people.membership_change_role(actor=actor, membership=target, role=Role.MANAGER)
            with pytest.raises(PermissionDenied):
                people.membership_remove(actor=actor, membership=target)


# --- removing access ----------------------------------------------------------------------------------


def test_removing_access_deletes_the_membership_keeps_the_account_and_audits(
    manager, team_member, municipality
):
    membership = _membership(team_member, municipality)
    people.membership_remove(actor=manager, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    team_member.refresh_from_db()
    assert team_member.is_active
    entry = AuditLog.objects.get(action=people.REMOVED)
    assert entry.object_id == str(membership.pk) and entry.data["role"] == "team"
    assert people.was_removed(municipality, membership.pk)


def test_removing_twice_is_told_it_is_gone(manager, team_member, municipality):
    membership = _membership(team_member, municipality)
    people.membership_remove(actor=manager, membership=membership)
    with assert_nothing_changed(), pytest.raises(ValidationError) as refusal:
        people.membership_remove(actor=manager, membership=membership)
    assert refusal.value.code == "gone"


def test_a_removal_is_only_found_in_its_own_municipality(
    manager, team_member, municipality, other_municipality
):
    membership = _membership(team_member, municipality)
    assert not people.was_removed(municipality, membership.pk)
    people.membership_remove(actor=manager, membership=membership)
    assert not people.was_removed(other_municipality, membership.pk)


# --- the page -----------------------------------------------------------------------------------------


def test_the_team_page_lists_people_invitations_and_the_form(
    client_for, manager, track_lead, municipality
):
    Invitation.objects.create(
        municipality=municipality,
        email="pending@example.org",
        role="team",
        expires_at=NOW.replace(month=4),
    )
    page = client_for(manager).get(f"/m/{municipality.slug}/people/")
    text = page.content.decode()
    assert page.status_code == 200
    rows = text.split('id="people-table"')[1].split("</table>")[0]
    assert track_lead.email in rows and manager.email in rows
    pending = text.split('id="invitations-table"')[1].split("</table>")[0]
    assert "pending@example.org" in pending
    assert 'id="invite-form"' in text
    # HQ is no municipality's person.
    assert "hq@example.org" not in rows


def test_the_page_shows_the_last_login_or_never(client_for, manager, team_member, municipality):
    team_member.last_login = NOW
    team_member.save(update_fields=["last_login"])
    never = member(municipality, Role.MAYOR_OFFICE, user__username="never")
    text = client_for(manager).get(f"/m/{municipality.slug}/people/").content.decode()

    def row(user):
        pk = _membership(user, municipality).pk
        return text.split(f'id="person-{pk}"')[1].split("</tr>")[0]

    assert "2027" in row(team_member) and "Never" not in row(team_member)
    assert "Never" in row(never) and "2027" not in row(never)


def test_the_navigation_links_the_team_page_for_those_who_may_open_it(
    client_for, users_by_role, municipality
):
    for role, user in users_by_role.items():
        if role == "outsider":
            continue
        text = client_for(user).get(f"/m/{municipality.slug}/").content.decode()
        linked = f'href="/m/{municipality.slug}/people/"' in text
        assert linked == (role in roles_allowed("view_people")), role


@pytest.mark.parametrize("role", roles_allowed("view_people"))
def test_the_page_opens_for_the_manager_and_hq(role, client_for, users_by_role, municipality):
    assert client_for(users_by_role[role]).get(f"/m/{municipality.slug}/people/").status_code == 200


# The page and its posts: the page itself (view_people) and a role change or removal (manage_people).
@pytest.mark.parametrize("role", roles_refused("view_people", "manage_people"))
def test_other_roles_are_refused_every_team_url(role, client, users_by_role, manager, municipality):
    target = _membership(manager, municipality)
    client.force_login(users_by_role[role])
    base = f"/m/{municipality.slug}/people/"
    assert client.get(base).status_code == 403
    with assert_nothing_changed():
        answers = [
            client.post(base, {"email": "z@example.org", "role": "team", "language": "he"}),
            client.post(f"{base}{target.pk}/role/", {"role": "team"}),
            client.post(f"{base}{target.pk}/remove/"),
        ]
    assert [a.status_code for a in answers] == [403, 403, 403]


def test_an_outsider_gets_404_and_another_municipalitys_membership_is_404(
    client_for, outsider, team_member, municipality, other_municipality
):
    target = _membership(team_member, municipality)
    client = client_for(outsider)
    with assert_nothing_changed():
        assert client.get(f"/m/{municipality.slug}/people/").status_code == 404
        theirs = f"/m/{other_municipality.slug}/people/{target.pk}"
        assert client.post(f"{theirs}/role/", {"role": "manager"}).status_code == 404
        assert client.post(f"{theirs}/remove/").status_code == 404


def test_hqs_membership_is_404_on_the_team_urls(client_for, manager, hq_user, municipality):
    hq = Membership.objects.get(user=hq_user)
    client = client_for(manager)
    with assert_nothing_changed():
        assert (
            client.post(
                f"/m/{municipality.slug}/people/{hq.pk}/role/", {"role": "team"}
            ).status_code
            == 404
        )
        assert client.post(f"/m/{municipality.slug}/people/{hq.pk}/remove/").status_code == 404


def test_the_manager_changes_a_role_from_the_page(client_for, manager, team_member, municipality):
    target = _membership(team_member, municipality)
    client = client_for(manager)
    url = f"/m/{municipality.slug}/people/{target.pk}/role/"
    with assert_nothing_changed():
        assert client.get(url)["Location"] == f"/m/{municipality.slug}/people/"
    response = client.post(url, {"role": "track_lead", "track": "economic"}, follow=True)
    assert response.redirect_chain == [(f"/m/{municipality.slug}/people/", 302)]
    target.refresh_from_db()
    assert (target.role, target.track) == ("track_lead", "economic")
    # The double submit: the second changes nothing and says so.
    with assert_nothing_changed():
        again = client.post(url, {"role": "track_lead", "track": "economic"}, follow=True)
    assert "already has this role" in again.content.decode()


@pytest.mark.parametrize(
    "data, said",
    [
        ({"role": "hq"}, "You may not give this role here."),
        ({"role": "track_lead"}, "Choose the track the track lead leads."),
        ({"role": "track_lead", "track": "nowhere"}, "Select a valid choice"),
    ],
)
def test_a_refused_change_re_renders_the_page_with_its_reason(
    data, said, client_for, manager, team_member, municipality
):
    target = _membership(team_member, municipality)
    client = client_for(manager)
    with assert_nothing_changed():
        response = client.post(f"/m/{municipality.slug}/people/{target.pk}/role/", data)
    assert response.status_code == 400
    assert said in response.content.decode()
    assert 'id="people-table"' in response.content.decode()


def test_the_last_manager_is_refused_their_own_role_and_removal_on_the_page(
    client_for, manager, municipality
):
    own = _membership(manager, municipality)
    client = client_for(manager)
    with assert_nothing_changed():
        changed = client.post(f"/m/{municipality.slug}/people/{own.pk}/role/", {"role": "team"})
        removed = client.post(f"/m/{municipality.slug}/people/{own.pk}/remove/")
    for response in (changed, removed):
        assert response.status_code == 400
        assert "You are this municipality&#x27;s only program manager" in response.content.decode()


def test_the_manager_removes_access_and_a_second_click_is_told(
    client_for, manager, team_member, municipality
):
    target = _membership(team_member, municipality)
    client = client_for(manager)
    url = f"/m/{municipality.slug}/people/{target.pk}/remove/"
    with assert_nothing_changed():
        assert client.get(url)["Location"] == f"/m/{municipality.slug}/people/"
    first = client.post(url, follow=True)
    assert "no longer has access" in first.content.decode()
    assert not Membership.objects.filter(pk=target.pk).exists()
    with assert_nothing_changed():
        second = client.post(url, follow=True)
    assert second.status_code == 200
    assert "This access was already removed." in second.content.decode()
    # A membership that never existed is not "already removed": 404.
    assert client.post(f"/m/{municipality.slug}/people/999999/remove/").status_code == 404


def test_a_manager_who_steps_down_goes_to_the_dashboard(client_for, manager, municipality):
    member(municipality, Role.MANAGER, user__username="second")
    own = _membership(manager, municipality)
    response = client_for(manager).post(
        f"/m/{municipality.slug}/people/{own.pk}/role/", {"role": "team"}
    )
    assert response["Location"] == f"/m/{municipality.slug}/"


def test_a_paused_municipality_shows_the_page_without_forms_and_refuses_posts(
    client_for, hq_user, manager, team_member, municipality
):
    municipality_pause(municipality=municipality, reason="בדיקה", actor=hq_user)
    target = _membership(team_member, municipality)
    client = client_for(manager)
    page = client.get(f"/m/{municipality.slug}/people/")
    text = page.content.decode()
    assert page.status_code == 200 and team_member.email in text
    assert 'id="invite-form"' not in text and f'id="remove-{target.pk}"' not in text
    with assert_nothing_changed():
        answers = [
            client.post(f"/m/{municipality.slug}/people/{target.pk}/role/", {"role": "manager"}),
            client.post(f"/m/{municipality.slug}/people/{target.pk}/remove/"),
        ]
    assert [a.status_code for a in answers] == [403, 403]


def test_the_invite_form_is_the_team_pages(client_for, manager, municipality):
    response = client_for(manager).post(
        f"/m/{municipality.slug}/people/",
        {"email": "lead@example.org", "role": "track_lead", "track": "social", "language": "he"},
    )
    assert response["Location"] == f"/m/{municipality.slug}/people/"
    assert Invitation.objects.get().role == "track_lead"


def test_the_team_page_makes_a_fixed_number_of_queries(client_for, manager, municipality):
    def grow():
        for n in range(8):
            MembershipFactory(
                municipality=municipality,
                role=Role.TEAM,
                user=UserFactory(username=f"grown{n}", last_login=NOW),
            )
            Invitation.objects.create(
                municipality=municipality,
                email=f"grown{n}@example.org",
                role="team",
                invited_by=manager,
                expires_at=NOW.replace(month=4),
                last_sent_at=NOW,
            )

    count = assert_constant_queries(
        client_for(manager), f"/m/{municipality.slug}/people/", grow, ceiling=12
    )
    assert count <= 12
