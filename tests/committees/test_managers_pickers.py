"""The all-managers meeting's note-taker and follow-up owners are pickers over the meeting's invitees
(kehila.widgets, issue 17 §5): the page holds no option per person, the endpoint answers only from the
room, and without JavaScript a typed name chooses."""

import re

import pytest
import time_machine

from committees.models import ActionItem, ManagersMeeting
from tests.committees import test_managers_meeting as base
from tests.helpers import assert_nothing_changed
from tests.partners.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOW, _create, _url = base.NOW, base._create, base._url
mapping = base.mapping  # the fixture: a mayor, managers and a resident who is no manager


@pytest.fixture
def managers_meeting(municipality, manager, mapping):
    return _create(municipality, manager)


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)


def test_the_page_draws_pickers_not_a_select_of_every_person(
    client_for,
    municipality,
    manager,
    mapping,
    managers_meeting,
):
    PersonFactory.create_batch(30, municipality=municipality)
    ManagersMeeting.objects.filter(pk=managers_meeting.pk).update(note_taker=mapping["dg"])
    with time_machine.travel(NOW, tick=False):
        html = client_for(manager).get(_url(municipality, "managers_meeting", managers_meeting))
    html = html.content.decode()
    search = _url(municipality, "managers_meeting_invitees_search", managers_meeting)
    note_taker, owner = _select(html, "person"), _select(html, "owner")
    assert f'data-search-url="{search}"' in note_taker and f'data-search-url="{search}"' in owner
    assert note_taker.count("<option") == 2  # nobody chosen, and the note-taker already named
    assert f'<option value="{mapping["dg"].pk}" selected>דן המנכ״ל</option>' in note_taker
    assert owner.count("<option") == 1
    assert "js/picker.js" in html


def test_the_endpoint_answers_from_the_meetings_invitees_only(
    client_for,
    municipality,
    manager,
    mapping,
    managers_meeting,
):
    url = _url(municipality, "managers_meeting_invitees_search", managers_meeting)
    client = client_for(manager)
    assert client.get(url + "?q=דן").json() == [
        {"value": str(mapping["dg"].pk), "text": "דן המנכ״ל"}
    ]
    assert client.get(url + "?q=תושב").json() == []  # in the mapping, not invited
    assert client.get(url + "?q=").json() == []


@pytest.mark.parametrize("who, status", [("committee_member", 403), ("outsider", 404)])
def test_who_does_not_run_the_meeting_gets_nothing_from_the_endpoint(
    users_by_role, client_for, municipality, managers_meeting, who, status
):
    url = _url(municipality, "managers_meeting_invitees_search", managers_meeting)
    assert client_for(users_by_role[who]).get(url + "?q=דן").status_code == status


def test_without_javascript_a_typed_name_names_the_note_taker_and_the_owner(
    client_for,
    municipality,
    manager,
    mapping,
    managers_meeting,
):
    with time_machine.travel(NOW, tick=False):
        client = client_for(manager)  # signed in at the meeting's time, or the idle timeout ends it
        response = client.post(
            _url(municipality, "managers_meeting_note_taker", managers_meeting),
            {"person": "", "person__find": "דן"},
        )
        assert response.status_code == 302
        response = client.post(
            _url(municipality, "managers_meeting_follow_up", managers_meeting),
            {"title": "מיפוי שירותים", "owner__find": "Sam"},
        )
    assert response.status_code == 302
    managers_meeting.refresh_from_db()
    assert managers_meeting.note_taker == mapping["dg"]
    assert ActionItem.objects.get().owner == mapping["company"]


def test_a_name_from_outside_the_room_is_refused_on_the_page_itself(
    client_for,
    municipality,
    manager,
    mapping,
    managers_meeting,
    in_english,
):
    with time_machine.travel(NOW, tick=False):
        client = client_for(manager)
        client.post(
            _url(municipality, "managers_meeting_note_taker", managers_meeting),
            {"person": mapping["dg"].pk},
        )
        client.get(_url(municipality, "managers_meeting", managers_meeting))
        with assert_nothing_changed():
            response = client.post(
                _url(municipality, "managers_meeting_follow_up", managers_meeting),
                {"title": "מיפוי שירותים", "owner__find": "תושב מהשכונה"},
            )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing matches “תושב מהשכונה”." in html
    # the form keeps what was written, so only the owner is to be typed again
    assert 'value="מיפוי שירותים"' in html
