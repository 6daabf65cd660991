"""The account page lists the personal calendar feeds of the committee people who share the account's
address, in the account's municipalities only, and "revoke" gives each a new address."""

import pytest

from committees import services
from committees.models import MemberCalendar
from tests.helpers import assert_nothing_changed

from .factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_account_lists_and_revokes_its_own_feeds_only(
    client_for, manager, municipality, other_municipality
):
    mine = PersonFactory(municipality=municipality, email=manager.email.upper())
    elsewhere = PersonFactory(municipality=other_municipality, email=manager.email)
    services.member_calendar_for(person=mine)
    services.member_calendar_for(person=elsewhere)
    old = MemberCalendar.objects.get(person=mine).token
    theirs = MemberCalendar.objects.get(person=elsewhere).token
    client = client_for(manager)
    with assert_nothing_changed():
        page = client.get("/accounts/").content.decode()
    assert f"/calendar/{old}.ics" in page
    assert MemberCalendar.objects.get(person=elsewhere).token not in page
    client.post("/accounts/calendar/revoke/")
    new = MemberCalendar.objects.get(person=mine).token
    assert new != old
    assert f"/calendar/{new}.ics" in client.get("/accounts/").content.decode()
    assert MemberCalendar.objects.get(person=elsewhere).token == theirs
