"""The meeting pages: scheduling, sending invitations, the meeting page, attendance, the agenda."""

from datetime import datetime

import pytest
from django.core import mail
from icalendar import Calendar

from committees.models import AgendaItem, Invitation, Meeting
from partners.models import Person
from tests.helpers import assert_nothing_changed
from tests.querycount import assert_constant_queries

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


# --- scheduling ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("team", 200), ("mayor_office", 403), ("committee_member", 403)],
)
def test_only_the_program_team_schedules_meetings(
    role, status, users_by_role, client_for, municipality
):
    committee = CommitteeFactory(municipality=municipality)
    client = client_for(users_by_role[role])
    meeting_create = url("meeting_create", municipality, committee_id=committee.pk)
    assert client.get(meeting_create).status_code == status
    if status == 403:
        with assert_nothing_changed():
            response = client.post(
                meeting_create,
                {"title": "מפגש", "starts_at": "2027-03-02T17:00", "ends_at": "2027-03-02T18:00"},
            )
        assert response.status_code == 403


def test_the_manager_schedules_a_meeting_and_a_bad_end_is_a_form_error(
    manager, client_for, municipality
):
    committee = CommitteeFactory(municipality=municipality)
    client = client_for(manager)
    data = {
        "title": "מפגש ראשון",
        "starts_at": "2027-03-02T17:00",
        "ends_at": "2027-03-02T16:00",
        "place": "מתנ״ס",
    }
    response = client.post(url("meeting_create", municipality, committee_id=committee.pk), data)
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode() or (
        "ends_at" in response.context["form"].errors
    )
    assert not Meeting.objects.exists()
    data["ends_at"] = "2027-03-02T19:30"
    response = client.post(url("meeting_create", municipality, committee_id=committee.pk), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == datetime(2027, 3, 2, 17, tzinfo=TZ)
    # Overlapping meeting of the same committee: a form error, nothing saved.
    data.update(title="חופף", starts_at="2027-03-02T18:00", ends_at="2027-03-02T20:00")
    response = client.post(url("meeting_create", municipality, committee_id=committee.pk), data)
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert Meeting.objects.count() == 1


def test_a_meeting_on_a_saturday_is_a_form_error_except_for_gatherings(
    manager, client_for, municipality
):
    committee = CommitteeFactory(municipality=municipality)
    data = {"title": "שבת", "starts_at": "2027-03-06T17:00", "ends_at": "2027-03-06T19:00"}
    client = client_for(manager)
    response = client.post(url("meeting_create", municipality, committee_id=committee.pk), data)
    assert "starts_at" in response.context["form"].errors
    assert not Meeting.objects.exists()
    gathering = CommitteeFactory(municipality=municipality, kind="gathering")
    response = client.post(url("meeting_create", municipality, committee_id=gathering.pk), data)
    assert response.status_code == 302


# --- invitations --------------------------------------------------------------------------


def test_sending_invitations_twice_from_the_page_sends_one_mail_each(
    manager, client_for, municipality, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(committee__municipality=municipality)
    MemberFactory.create_batch(2, committee=meeting.committee)
    client = client_for(manager)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("meeting_invite", municipality, meeting_id=meeting.pk))
        assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(meeting=meeting).count() == 2


def test_a_committee_member_cannot_send_invitations(committee_member, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    client = client_for(committee_member)
    with assert_nothing_changed():
        response = client.post(url("meeting_invite", municipality, meeting_id=meeting.pk))
    assert response.status_code == 403


def test_the_manager_invites_a_non_member_to_a_gathering(
    manager, client_for, municipality, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        committee__municipality=municipality, committee__kind="gathering", status="invited"
    )
    guest = PersonFactory(municipality=municipality)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(
            url("invitation_add", municipality, meeting_id=meeting.pk), {"person": guest.pk}
        )
    assert Invitation.objects.get().person == guest
    assert mail.outbox[0].to == [guest.email]


# --- the meeting page ---------------------------------------------------------------------


def test_the_meeting_page_keeps_its_queries_with_200_invitees(manager, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    AgendaItemFactory.create_batch(3, meeting=meeting)
    InvitationFactory.create_batch(2, meeting=meeting)

    def grow():
        people = Person.objects.bulk_create(
            [Person(municipality=municipality, full_name=f"מוזמן {i}") for i in range(198)]
        )
        Invitation.objects.bulk_create(
            [Invitation(municipality=municipality, meeting=meeting, person=p) for p in people]
        )
        AgendaItemFactory.create_batch(5, meeting=meeting)

    count = assert_constant_queries(
        client_for(manager), url("meeting", municipality, meeting_id=meeting.pk), grow
    )
    assert count <= 15


def test_the_meeting_page_shows_live_counts(manager, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    InvitationFactory(meeting=meeting, response="yes")
    InvitationFactory(meeting=meeting, response="no")
    InvitationFactory(meeting=meeting)
    response = client_for(manager).get(url("meeting", municipality, meeting_id=meeting.pk))
    counts = response.context["counts"]
    assert (counts.yes, counts.no, counts.none) == (1, 1, 1)
    assert 'data-count="yes">1<' in response.content.decode()


def test_the_counts_endpoint_answers_json(manager, committee_member, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    InvitationFactory(meeting=meeting, response="maybe")
    counts = url("meeting_counts", municipality, meeting_id=meeting.pk)
    data = client_for(manager).get(counts).json()
    assert data["maybe"] == 1 and data["yes"] == 0
    # A member is told how many are coming, not how many hesitate (tests/committees/test_rsvp_privacy.py).
    assert "maybe" not in client_for(committee_member).get(counts).json()


def test_the_meeting_ics_download_parses(manager, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality, place="בית העם")
    response = client_for(manager).get(url("meeting_ics", municipality, meeting_id=meeting.pk))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "בית העם"


def test_attendance_is_taken_apart_from_rsvp(manager, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality, started=True)
    came = InvitationFactory(meeting=meeting, response="no")
    absent = InvitationFactory(meeting=meeting, response="yes")
    client_for(manager).post(
        url("meeting_attendance", municipality, meeting_id=meeting.pk), {"attended": [came.pk]}
    )
    came.refresh_from_db()
    absent.refresh_from_db()
    assert (came.attended, came.response) == (True, "no")
    assert (absent.attended, absent.response) == (False, "yes")


# --- the agenda ---------------------------------------------------------------------------


def test_the_printable_agenda_lists_the_items_with_their_questions(
    committee_member, client_for, municipality
):
    item = AgendaItemFactory(
        meeting__committee__municipality=municipality, guiding_questions="שאלה א\nשאלה ב"
    )
    body = (
        client_for(committee_member)
        .get(url("agenda_print", municipality, meeting_id=item.meeting_id))
        .content.decode()
    )
    assert item.title in body and "שאלה ב" in body


def test_the_manager_removes_an_agenda_item(manager, client_for, municipality):
    item = AgendaItemFactory(meeting__committee__municipality=municipality)
    response = client_for(manager).post(url("agenda_delete", municipality, item_id=item.pk))
    assert response.status_code == 302
    assert not AgendaItem.objects.exists()


def test_an_agenda_attachment_downloads_through_the_municipality_only(
    client_for, manager, committee_member, outsider, municipality
):
    from django.core.files.base import ContentFile

    from tests.committees.factories import AgendaItemFactory

    item = AgendaItemFactory(meeting__committee__municipality=municipality)
    item.attachment.save("papers.pdf", ContentFile(b"%PDF-1.4 papers"), save=True)
    url = f"/m/{municipality.slug}/committees/agenda/{item.pk}/attachment/"
    meeting_page = client_for(manager).get(
        f"/m/{municipality.slug}/committees/meetings/{item.meeting_id}/"
    )
    assert url in meeting_page.content.decode()
    response = client_for(committee_member).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 papers"
    assert client_for(outsider).get(url).status_code == 404
