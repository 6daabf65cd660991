"""The shared denial-test helper sees every kind of change, so a denial test that passes means nothing
changed."""

import pytest

from kehila.models import Membership, Role
from kehila.permissions import RULES
from tests.factories import member
from tests.helpers import assert_nothing_changed, roles_allowed, roles_refused

pytestmark = pytest.mark.django_db


def test_it_passes_when_nothing_changed(municipality):
    member(municipality, Role.MANAGER)
    with assert_nothing_changed():
        list(Membership.objects.all())


def test_it_fails_when_a_row_is_added(municipality):
    with pytest.raises(AssertionError, match="kehila_membership: 0 -> 1 rows"):
        with assert_nothing_changed():
            member(municipality, Role.MANAGER)


def test_it_fails_when_a_row_changes_in_place(municipality):
    user = member(municipality, Role.TEAM)
    with pytest.raises(AssertionError, match="same count, rows changed"):
        with assert_nothing_changed():
            Membership.objects.filter(user=user).update(role=Role.MANAGER)


# --- the role lists derived from the rule table -------------------------------------------------------


@pytest.mark.parametrize("action", sorted(RULES))
def test_allowed_and_refused_split_every_role_by_the_table(action, users_by_role):
    allowed, refused = roles_allowed(action), roles_refused(action)
    assert set(allowed) == set(RULES[action]) and not set(allowed) & set(refused)
    assert sorted(allowed + refused) == sorted(set(users_by_role) - {"outsider"})
    assert roles_refused(action, also=["outsider"]) == sorted([*refused, "outsider"])


def test_set_operations_and_several_actions():
    assert roles_allowed("score_initiatives", refused=["manage_pilot"]) == [
        "committee_member",
        "hq",
        "mayor_office",
        "track_lead",
    ]
    assert roles_refused("view_people", "manage_people", without=["team"]) == [
        "committee_member",
        "mayor_office",
        "track_lead",
    ]


def test_a_misnamed_fixture_or_an_allowed_role_in_also_is_an_error():
    with pytest.raises(ValueError, match="no fixture"):
        roles_refused("view_hq", also=["hq_user"])
    with pytest.raises(ValueError, match="the table allows"):
        roles_refused("view_hq", also=["hq"])
    with pytest.raises(KeyError):
        roles_allowed("no_such_action")
