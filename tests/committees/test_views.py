from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from committees import links, services
from committees.models import (
    ActionItem,
    AgendaItem,
    Application,
    CommitteeMember,
    CompositionTarget,
    Invitation,
    Meeting,
)
from kehila.permissions import SYSTEM
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

TZ = ZoneInfo("Asia/Jerusalem")
pytestmark = pytest.mark.django_db


def url(name, municipality, **kwargs):
    return reverse(f"committees:{name}", kwargs={"slug": municipality.slug, **kwargs})


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 200),
        ("team", 200),
        ("mayor_office", 200),
        ("track_lead", 200),
        ("committee_member", 200),
        ("hq", 200),
        ("outsider", 404),
    ],
)
def test_every_member_role_sees_the_committees_list(
    role, status, users_by_role, client_for, municipality
):
    CommitteeFactory(municipality=municipality, name="ועדת היגוי לדוגמה", kind="steering")
    response = client_for(users_by_role[role]).get(url("list", municipality))
    assert response.status_code == status
    if status == 200:
        assert "ועדת היגוי לדוגמה" in response.content.decode()


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


def test_adding_a_member_from_another_municipality_is_a_form_error(
    manager, client_for, municipality, other_municipality
):
    committee = CommitteeFactory(municipality=municipality)
    stranger = PersonFactory(municipality=other_municipality)
    response = client_for(manager).post(
        url("member_add", municipality, committee_id=committee.pk),
        {"person": stranger.pk, "role": "member"},
    )
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not CommitteeMember.objects.exists()


def test_the_committee_page_warns_when_short_of_the_residents_target_and_team_size(
    manager, client_for, municipality
):
    committee = CommitteeFactory(municipality=municipality, kind="team", track="social")
    CompositionTarget.objects.create(
        municipality=municipality, committee_kind="team", sector="residents", percent=50
    )
    MemberFactory(committee=committee, sector="business")
    MemberFactory(committee=committee, sector="public")
    MemberFactory(committee=committee, person__is_resident=True)
    response = client_for(manager).get(url("detail", municipality, committee_id=committee.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="size-warning"' in body
    assert "33%" in body
    assert "composition-warning" in body


def test_the_manager_adds_a_member_and_the_page_shows_them(manager, client_for, municipality):
    committee = CommitteeFactory(municipality=municipality)
    person = PersonFactory(municipality=municipality, full_name="שרה לוי")
    client = client_for(manager)
    response = client.post(
        url("member_add", municipality, committee_id=committee.pk),
        {"person": person.pk, "role": "chair", "sector": "public", "has_vote": "on"},
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get()
    assert (member.role, member.sector, member.has_vote) == ("chair", "public", True)
    assert (
        "שרה לוי"
        in client.get(url("detail", municipality, committee_id=committee.pk)).content.decode()
    )


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


def test_the_team_writes_minutes_with_action_items_that_show_on_the_dashboard(
    team_member, client_for, municipality
):
    meeting = MeetingFactory(committee__municipality=municipality, started=True)
    owner = PersonFactory(municipality=municipality, full_name="דני")
    client = client_for(team_member)
    response = client.post(
        url("meeting_minutes", municipality, meeting_id=meeting.pk),
        {
            "note_taker": "יוסי",
            "summary": "סיכום",
            "actions-TOTAL_FORMS": "3",
            "actions-INITIAL_FORMS": "0",
            "actions-0-title": "להכין מצגת",
            "actions-0-owner": owner.pk,
            "actions-0-due_on": "2027-04-01",
            "actions-1-title": "לתאם חדר",
            "actions-2-title": "",
        },
    )
    assert response.status_code == 302
    assert ActionItem.objects.count() == 2
    dashboard = client.get(f"/m/{municipality.slug}/").content.decode()
    assert "להכין מצגת" in dashboard and "לתאם חדר" in dashboard
    item = ActionItem.objects.get(title="לתאם חדר")
    client.post(url("action_status", municipality, action_id=item.pk), {"status": "done"})
    assert "לתאם חדר" not in client.get(f"/m/{municipality.slug}/").content.decode()


def test_a_committee_member_cannot_write_minutes(committee_member, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    client = client_for(committee_member)
    minutes_url = url("meeting_minutes", municipality, meeting_id=meeting.pk)
    assert client.get(minutes_url).status_code == 403
    with assert_nothing_changed():
        response = client.post(minutes_url, {"body": "פרוטוקול", "publish": "on"})
    assert response.status_code == 403


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


# --- member page and feeds ------------------------------------------------------------------


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


# --- open call ------------------------------------------------------------------------------

APPLY = {
    "full_name": "רונית כהן",
    "email": "ronit@example.org",
    "sector": "residents",
    "is_resident": "on",
    "motivation": "אני פעילה בשכונה",
}


def test_the_open_call_takes_an_application_and_the_manager_accepts_it(
    client, manager, client_for, municipality, django_capture_on_commit_callbacks
):
    cache.clear()
    apply_url = reverse("committees_public:apply", kwargs={"slug": municipality.slug})
    assert client.get(apply_url).status_code == 200
    response = client.post(apply_url, APPLY)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.committee.kind == "design"
    manager_client = client_for(manager)
    assert "רונית כהן" in manager_client.get(url("applications", municipality)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            url("application_decide", municipality, application_id=application.pk),
            {"decision": "accept"},
        )
    member = CommitteeMember.objects.get()
    assert member.person.full_name == "רונית כהן"
    assert member.person.municipality == municipality
    assert mail.outbox[0].to == ["ronit@example.org"]


def test_a_declined_applicant_gets_an_email(
    manager, client_for, municipality, django_capture_on_commit_callbacks
):
    application = services.application_submit(
        municipality=municipality,
        full_name="א",
        email="a@example.org",
        sector="business",
        motivation="x",
    ).application
    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(
            url("application_decide", municipality, application_id=application.pk),
            {"decision": "decline"},
        )
    application.refresh_from_db()
    assert application.status == "declined"
    assert len(mail.outbox) == 1
    assert not CommitteeMember.objects.exists()


def test_the_honeypot_stores_nothing(client, municipality):
    cache.clear()
    apply_url = reverse("committees_public:apply", kwargs={"slug": municipality.slug})
    response = client.post(apply_url, {**APPLY, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_the_open_call_is_rate_limited(client, municipality):
    cache.clear()
    apply_url = reverse("committees_public:apply", kwargs={"slug": municipality.slug})
    for _ in range(5):
        client.post(apply_url, {**APPLY, "email": "bad"})
    response = client.post(apply_url, APPLY)
    assert response.status_code == 429
    assert not Application.objects.exists()


def test_a_member_of_the_committee_role_cannot_review_applications(
    committee_member, client_for, municipality
):
    from tests.committees.tenancy_samples import SAMPLES

    application_id = SAMPLES["application_id"](municipality)
    client = client_for(committee_member)
    assert client.get(url("applications", municipality)).status_code == 403
    decide = url("application_decide", municipality, application_id=application_id)
    with assert_nothing_changed():
        assert client.post(decide, {"decision": "accept"}).status_code == 403


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


def test_the_counts_endpoint_answers_json(manager, committee_member, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    InvitationFactory(meeting=meeting, response="maybe")
    counts = url("meeting_counts", municipality, meeting_id=meeting.pk)
    data = client_for(manager).get(counts).json()
    assert data["maybe"] == 1 and data["yes"] == 0
    # A member is told how many are coming, not how many hesitate (tests/committees/test_rsvp_privacy.py).
    assert "maybe" not in client_for(committee_member).get(counts).json()


def test_the_manager_saves_composition_targets(manager, client_for, municipality):
    response = client_for(manager).post(
        url("targets", municipality), {"kind": "design", "residents": "45", "business": "10"}
    )
    assert response.status_code == 302
    assert dict(CompositionTarget.objects.values_list("sector", "percent")) == {
        "residents": 45,
        "business": 10,
    }


def test_ending_a_membership_removes_the_member_from_the_next_invitations(
    manager, client_for, municipality
):
    member = MemberFactory(committee__municipality=municipality)
    client_for(manager).post(url("member_end", municipality, member_id=member.pk))
    member.refresh_from_db()
    assert member.ends_on is not None


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


def test_the_rsvp_page_of_a_cancelled_meeting_explains_and_offers_no_form(client, municipality):
    invitation = InvitationFactory(
        meeting__committee__municipality=municipality, meeting__status="cancelled"
    )
    response = client.get(links.rsvp_url(invitation, absolute=False))
    body = response.content.decode()
    assert 'id="rsvp-closed"' in body
    assert 'id="rsvp-submit"' not in body


def test_a_committee_member_cannot_send_invitations(committee_member, client_for, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    client = client_for(committee_member)
    with assert_nothing_changed():
        response = client.post(url("meeting_invite", municipality, meeting_id=meeting.pk))
    assert response.status_code == 403


def test_published_minutes_reach_the_member_page_and_unpublished_do_not(
    client, municipality, manager
):
    member = MemberFactory(committee__municipality=municipality)
    published = MeetingFactory(committee=member.committee, started=True)
    draft = MeetingFactory(committee=member.committee, started=True)
    services.minutes_save(meeting=published, note_taker="א", summary="סיכום שפורסם", actor=manager)
    services.minutes_publish(minutes=published.minutes, actor=manager)
    services.minutes_save(meeting=draft, note_taker="א", summary="טיוטה פנימית", actor=manager)
    body = client.get(links.member_url(member.person, absolute=False)).content.decode()
    assert "סיכום שפורסם" in body
    assert "טיוטה פנימית" not in body


def test_the_manager_removes_an_agenda_item(manager, client_for, municipality):
    item = AgendaItemFactory(meeting__committee__municipality=municipality)
    response = client_for(manager).post(url("agenda_delete", municipality, item_id=item.pk))
    assert response.status_code == 302
    assert not AgendaItem.objects.exists()


def test_the_dashboard_panel_uses_a_fixed_number_of_queries(
    manager, municipality, rf, django_assert_num_queries
):
    from committees.dashboard import panel

    def render_panel():
        request = rf.get("/")
        request.user = manager
        request.municipality = municipality
        return panel(request)

    render_panel()  # loads the user's memberships once
    meeting = MeetingFactory(committee__municipality=municipality)
    for i in range(12):
        ActionItem.objects.create(municipality=municipality, meeting=meeting, title=f"משימה {i}")
    request = rf.get("/")
    request.user = manager
    request.municipality = municipality
    # next meetings, open action items with the count of all (memberships are cached on the user)
    with django_assert_num_queries(2):
        result = panel(request)
    assert len(result["context"]["action_items"]) == 8
    assert result["context"]["more"] == 4


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
