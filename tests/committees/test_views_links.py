"""The pages a personal link opens: the RSVP, the member page and the calendar feeds; and my page
with an account."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from committees import links, services
from committees.models import ActionItem, Invitation
from kehila.permissions import SYSTEM

from .factories import (
    AgendaItemFactory,
    CommitteeFactory,
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
)
from .view_helpers import TZ, url

pytestmark = pytest.mark.django_db


# --- RSVP by personal link ----------------------------------------------------------------


def test_rsvp_by_link_records_and_changes_the_answer(client, municipality):
    invitation = InvitationFactory(meeting__committee__municipality=municipality)
    path = links.rsvp_url(invitation, absolute=False)
    response = client.get(path)
    assert response.status_code == 200
    assert invitation.meeting.title in response.content.decode()
    response = client.post(path, {"response": "yes", "note": ""})
    assert response.status_code == 302
    response = client.post(path, {"response": "no", "note": "בחו״ל"}, follow=True)
    assert 'id="rsvp-saved"' in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.response, invitation.note) == ("no", "בחו״ל")
    assert Invitation.objects.count() == 1


def test_a_tampered_rsvp_link_shows_a_clear_page_and_changes_nothing(client, municipality):
    invitation = InvitationFactory(meeting__committee__municipality=municipality)
    path = links.rsvp_url(invitation, absolute=False).rstrip("/") + "x/"
    response = client.post(path, {"response": "yes"})
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode() or "הקישור" in (
        response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.response == ""


def test_an_expired_rsvp_link_answers_410(client, municipality):
    invitation = InvitationFactory(meeting__committee__municipality=municipality)
    with time_machine.travel(datetime.now(tz=TZ) - timedelta(days=400)):
        path = links.rsvp_url(invitation, absolute=False)
    response = client.get(path)
    assert response.status_code == 410


# The link is made on a fixed day: made on the day the suite runs, it would be more than half a year
# (links.LINK_MAX_AGE) older than the meeting whenever the suite runs before November 2026, and the
# page would answer "expired" (410) instead of "closed" (409).
@time_machine.travel(datetime(2027, 4, 20, 10, tzinfo=TZ), tick=False)
def test_an_rsvp_after_the_start_is_refused_with_a_reason(client, municipality):
    meeting = MeetingFactory(
        committee__municipality=municipality,
        starts_at=datetime(2027, 5, 4, 17, tzinfo=TZ),
        ends_at=datetime(2027, 5, 4, 19, tzinfo=TZ),
    )
    invitation = InvitationFactory(meeting=meeting, response="maybe")
    path = links.rsvp_url(invitation, absolute=False)
    with time_machine.travel(datetime(2027, 5, 4, 17, 30, tzinfo=TZ)):
        response = client.post(path, {"response": "yes"})
    assert response.status_code == 409
    assert 'id="rsvp-closed"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == "maybe"


def test_an_rsvp_link_cannot_open_a_member_page(client, municipality):
    invitation = InvitationFactory(meeting__committee__municipality=municipality)
    token = links.rsvp_token(invitation)
    response = client.get(reverse("committees_public:member", kwargs={"token": token}))
    assert response.status_code == 400


def test_the_rsvp_page_of_a_cancelled_meeting_explains_and_offers_no_form(client, municipality):
    invitation = InvitationFactory(
        meeting__committee__municipality=municipality, meeting__status="cancelled"
    )
    response = client.get(links.rsvp_url(invitation, absolute=False))
    body = response.content.decode()
    assert 'id="rsvp-closed"' in body
    assert 'id="rsvp-submit"' not in body


# --- member page and feeds ----------------------------------------------------------------


def test_the_member_page_by_link_shows_my_meetings_answer_and_tasks(client, municipality):
    invitation = InvitationFactory(meeting__committee__municipality=municipality, response="yes")
    AgendaItemFactory(meeting=invitation.meeting, title="הצגת המיפוי")
    ActionItem.objects.create(
        municipality=municipality,
        meeting=invitation.meeting,
        title="לשלוח סקר",
        owner=invitation.person,
    )
    other = InvitationFactory(meeting=invitation.meeting)
    response = client.get(links.member_url(invitation.person, absolute=False))
    body = response.content.decode()
    assert response.status_code == 200
    assert invitation.meeting.title in body
    assert "הצגת המיפוי" in body
    assert "לשלוח סקר" in body
    assert other.person.full_name not in body


def test_the_member_feed_follows_changes_and_can_be_revoked(
    client, municipality, django_capture_on_commit_callbacks
):
    member = MemberFactory(committee__municipality=municipality)
    meeting = MeetingFactory(committee=member.committee)
    calendar = services.member_calendar_for(person=member.person)
    feed = reverse("committees_public:member_feed", kwargs={"token": calendar.token})
    event = Calendar.from_ical(client.get(feed).content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Asia/Jerusalem"
    uid = str(event["UID"])
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, place="מקום חדש", actor=SYSTEM)
        services.meeting_cancel(meeting=meeting, actor=SYSTEM)
    event = Calendar.from_ical(client.get(feed).content).walk("VEVENT")[0]
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] == 2
    assert event["STATUS"] == "CANCELLED"
    client.post(
        reverse(
            "committees_public:member_feed_revoke",
            kwargs={"token": links.member_token(member.person)},
        )
    )
    assert client.get(feed).status_code == 404


def test_the_committee_feed_lists_its_meetings(client, municipality):
    committee = CommitteeFactory(municipality=municipality)
    MeetingFactory.create_batch(2, committee=committee)
    token = services.committee_feed_token(committee=committee)
    response = client.get(reverse("committees_public:committee_feed", kwargs={"token": token}))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 2
    assert (
        client.get(
            reverse("committees_public:committee_feed", kwargs={"token": "nope"})
        ).status_code
        == 404
    )


def test_my_page_with_an_account_finds_my_person(committee_member, client_for, municipality):
    person = PersonFactory(municipality=municipality, user=committee_member)
    InvitationFactory(person=person, meeting__committee__municipality=municipality)
    response = client_for(committee_member).get(url("me", municipality))
    assert response.status_code == 200
    assert len(response.context["invitations"]) == 1


def test_the_member_page_lists_my_committees_of_today_only(
    committee_member, client_for, municipality
):
    from django.utils import timezone

    person = PersonFactory(municipality=municipality, user=committee_member)
    MemberFactory(committee__municipality=municipality, committee__name="ועדת היגוי", person=person)
    MemberFactory(
        committee__municipality=municipality,
        committee__name="צוות שהסתיים",
        person=person,
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    page = client_for(committee_member).get(
        reverse("committees:me", kwargs={"slug": municipality.slug})
    )
    assert [m.committee.name for m in page.context["memberships"]] == ["ועדת היגוי"]
    html = page.content.decode()
    assert "ועדת היגוי" in html.split('id="my-committees"', 1)[1]
    assert "צוות שהסתיים" not in html
