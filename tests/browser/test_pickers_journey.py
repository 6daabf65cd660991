"""Pickers and search (issue 17 §5), by keyboard alone: the manager invites a person to a meeting and adds
a committee member by typing in the picker, arrowing to the match and pressing Enter; then searches
the municipality from the navbar. axe checks every page (and the open picker) in every language."""

import re

import pytest

from committees.models import CommitteeMember, Invitation
from tests.committees.factories import CommitteeFactory, MeetingFactory
from tests.partners.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _pick(web, control: str, text: str, expected: str):
    page = web.page
    web.tab_to(control)
    page.keyboard.type(text, delay=50)
    option = page.locator(f"{control.removesuffix('-ts-control')}-ts-dropdown [role=option]")
    option.first.wait_for()
    assert option.count() == 1 and expected in option.first.inner_text()
    _assert_no_axe_violations_with_the_list_open(web)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def _assert_no_axe_violations_with_the_list_open(web):
    from tests.browser.conftest import _assert_no_violations

    _assert_no_violations(web.page, "he")


def test_the_manager_picks_people_by_keyboard_and_searches_the_town(a11y, manager, municipality):
    committee = CommitteeFactory(municipality=municipality, name="צוות חינוך")
    meeting = MeetingFactory(committee=committee, title="מפגש פתיחה")
    PersonFactory.create_batch(30, municipality=municipality)
    rotem = PersonFactory(municipality=municipality, full_name="רותם שקד", title="מורה")
    yael = PersonFactory(municipality=municipality, full_name="יעל גפני", title="רכזת")
    web = a11y()
    web.login(manager)

    page = web.goto(f"/m/{municipality.slug}/committees/meetings/{meeting.pk}/")
    # The picker holds no option per person: the page stays small however many people there are.
    assert page.locator("#id_invite_person option").count() == 1
    # The box for typing a name without JavaScript goes once the combobox is set up.
    assert page.locator("#id_invite_person-find").count() == 0
    _pick(web, "#id_invite_person-ts-control", "רותם", "רותם שקד")
    web.tab_to("#invite-submit")
    page.keyboard.press("Enter")
    page.wait_for_selector(".alert-success")
    web.check()
    assert Invitation.objects.filter(meeting=meeting, person=rotem).exists()

    page = web.goto(f"/m/{municipality.slug}/committees/{committee.pk}/members/add/")
    _pick(web, "#id_person-ts-control", "גפני", "יעל גפני")
    web.tab_to("button[type=submit].btn-primary")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/committees/{committee.pk}/$"))
    web.check()
    assert CommitteeMember.objects.filter(committee=committee, person=yael).exists()

    web.tab_to("#navbar-search")
    page.keyboard.type("מפגש")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    web.check()
    assert page.locator("#results-committees\\.meetings a", has_text="מפגש פתיחה").count() == 1
    web.assert_all_checked()
