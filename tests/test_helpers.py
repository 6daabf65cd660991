"""The shared denial-test helper sees every kind of change, so a denial test that passes means nothing
changed."""

import pytest

from kehila.models import Membership, Role
from tests.factories import member
from tests.helpers import assert_nothing_changed

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
