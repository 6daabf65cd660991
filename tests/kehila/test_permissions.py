import pytest

from kehila.models import Role
from kehila.permissions import RULES, can, is_hq, role_in
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_only_the_mayors_office_approves(users_by_role, municipality):
    allowed = {name for name, user in users_by_role.items() if can(user, "approve", municipality)}
    assert allowed == {"mayor_office"}


def test_contact_details_are_for_the_program_team_only(users_by_role, municipality):
    allowed = {n for n, u in users_by_role.items() if can(u, "view_contacts", municipality)}
    assert allowed == {"manager", "team"}


def test_hq_sees_every_municipality_but_not_contacts(hq_user, municipality, other_municipality):
    assert is_hq(hq_user)
    assert role_in(hq_user, other_municipality) == Role.HQ
    assert can(hq_user, "view_program", municipality)
    assert not can(hq_user, "view_contacts", municipality)


def test_a_manager_elsewhere_has_no_rights_here(outsider, municipality):
    assert all(not can(outsider, action, municipality) for action in RULES)


def test_a_track_lead_edits_only_their_own_track(track_lead, municipality):
    class Plan:
        def __init__(self, track):
            self.municipality = municipality
            self.track = track

    assert can(track_lead, "edit_track", Plan("social"))
    assert not can(track_lead, "edit_track", Plan("urban"))


def test_the_program_team_edits_every_track(manager, municipality):
    class Plan:
        track = "urban"

    Plan.municipality = municipality
    assert can(manager, "edit_track", Plan())


def test_an_unknown_action_is_a_programming_error(manager, municipality):
    with pytest.raises(KeyError):
        can(manager, "fly", municipality)


def test_objects_reach_their_municipality(manager, municipality, other_municipality):
    class Thing:
        pass

    thing = Thing()
    thing.municipality = other_municipality
    assert can(manager, "view_program", municipality)
    assert not can(manager, "view_program", thing)


def test_anonymous_users_may_do_nothing(municipality):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), "view_program", municipality)


def test_a_user_with_two_municipalities_has_a_role_in_each(municipality, other_municipality):
    user = member(municipality, Role.MANAGER)
    from kehila.models import Membership

    Membership.objects.create(
        user=user, municipality=other_municipality, role=Role.COMMITTEE_MEMBER
    )
    user = type(user).objects.get(pk=user.pk)
    assert can(user, "edit_partners", municipality)
    assert not can(user, "edit_partners", other_municipality)
