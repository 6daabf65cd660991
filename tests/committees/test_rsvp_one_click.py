"""The invitation promises one click (issue 17 §4): each answer is one button that records it at once; the
note is optional, after, and an answer alone keeps the note written before; a double click does one thing."""

import pytest

from committees import links
from committees.models import Invitation

from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(municipality):
    return InvitationFactory(meeting__committee__municipality=municipality)


def test_the_page_offers_one_button_per_answer_and_no_note_before_an_answer(client, invitation):
    body = client.get(links.rsvp_url(invitation, absolute=False)).content.decode()
    for value in ("yes", "no", "maybe"):
        assert f'<button type="submit" name="response" value="{value}" id="rsvp-{value}"' in body
    assert 'name="note"' not in body


def test_one_click_records_the_answer_and_keeps_the_note(client, invitation):
    invitation.note = "אגיע מאוחר"
    invitation.response = "yes"
    invitation.save()
    url = links.rsvp_url(invitation, absolute=False)
    response = client.post(url, {"response": "maybe"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.response, invitation.note) == ("maybe", "אגיע מאוחר")
    page = client.get(response["Location"]).content.decode()
    assert 'id="rsvp-saved"' in page and 'id="rsvp-note-form"' in page


def test_the_note_comes_after_and_a_double_click_does_one_thing(client, invitation):
    url = links.rsvp_url(invitation, absolute=False)
    client.post(url, {"response": "no"})
    first = Invitation.objects.get(pk=invitation.pk)
    client.post(url, {"response": "no"})
    again = Invitation.objects.get(pk=invitation.pk)
    assert (again.response, again.waitlisted, again.note) == ("no", False, "")
    assert Invitation.objects.filter(meeting=invitation.meeting).count() == 1
    assert first.response == again.response
    client.post(url, {"response": "no", "note": "חופשה משפחתית"})
    invitation.refresh_from_db()
    assert (invitation.response, invitation.note) == ("no", "חופשה משפחתית")
