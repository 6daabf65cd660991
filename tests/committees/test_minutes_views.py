"""The minutes' pages (issue 15 §1, §6): the gate shown with what is missing and the manager's override on
the meeting page; circulate, correct (by account and by personal link) and approve with their permissions;
the action items list with its filters in a fixed number of queries; the member page's open items."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from committees import links, services
from committees.models import ActionItem, Minutes, MinutesCorrection
from kehila.models import GateOverride
from tests.helpers import assert_nothing_changed
from tests.querycount import assert_constant_queries

from .factories import CommitteeFactory, InvitationFactory, MeetingFactory, PersonFactory

TZ = ZoneInfo("Asia/Jerusalem")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=TZ)
pytestmark = pytest.mark.django_db


def url(name, municipality, **kwargs):
    return reverse(f"committees:{name}", kwargs={"slug": municipality.slug, **kwargs})


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def circulated(municipality, manager, frozen):
    committee = CommitteeFactory(municipality=municipality)
    meeting = MeetingFactory(committee=committee, starts_at=NOW - timedelta(hours=3))
    attendee = InvitationFactory(meeting=meeting, person__municipality=municipality, attended=True)
    MeetingFactory(committee=committee, starts_at=NOW + timedelta(days=14))
    minutes = services.minutes_save(meeting=meeting, actor=manager, note_taker="י", summary="ס")
    services.minutes_circulate(minutes=minutes, actor=manager)
    return minutes, attendee.person


def test_the_meeting_page_says_why_minutes_wait_and_the_manager_opens_the_gate(
    municipality, manager, client_for, frozen
):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW + timedelta(days=2)
    )
    client = client_for(manager)
    page = client.get(url("meeting", municipality, meeting_id=meeting.pk)).content.decode()
    assert "12.3.2026" in page and 'id="gate-minutes_record"' in page
    assert 'id="write-minutes"' not in page
    form_page = client.get(url("meeting_minutes", municipality, meeting_id=meeting.pk))
    assert "save-minutes" not in form_page.content.decode()
    client.post(
        url("minutes_gate_override", municipality, meeting_id=meeting.pk, gate="minutes_record"),
        {"reason": "המפגש הוקדם"},
    )
    page = client.get(url("meeting", municipality, meeting_id=meeting.pk)).content.decode()
    assert "המפגש הוקדם" in page and 'id="write-minutes"' in page
    form_page = client.get(url("meeting_minutes", municipality, meeting_id=meeting.pk))
    assert "save-minutes" in form_page.content.decode()


def test_the_team_cannot_open_the_gate_and_nothing_changes(
    municipality, team_member, client_for, frozen
):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW + timedelta(days=2)
    )
    client = client_for(team_member)
    with assert_nothing_changed():
        response = client.post(
            url(
                "minutes_gate_override", municipality, meeting_id=meeting.pk, gate="minutes_record"
            ),
            {"reason": "x"},
        )
    assert response.status_code == 403
    assert not GateOverride.objects.exists()


def test_attendance_posted_before_the_meeting_is_refused_and_said(
    municipality, manager, client_for, frozen
):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW + timedelta(days=2)
    )
    invitation = InvitationFactory(meeting=meeting, person__municipality=municipality)
    client = client_for(manager)
    with assert_nothing_changed():
        response = client.post(
            url("meeting_attendance", municipality, meeting_id=meeting.pk),
            {"attended": [invitation.pk]},
            follow=True,
        )
    assert "12.3.2026" in response.content.decode()


def test_a_committee_member_cannot_circulate_or_approve(
    municipality, manager, committee_member, client_for, frozen
):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW - timedelta(hours=3)
    )
    InvitationFactory(meeting=meeting, person__municipality=municipality, attended=True)
    services.minutes_save(meeting=meeting, actor=manager, note_taker="י", summary="ס")
    client = client_for(committee_member)
    for name in ("minutes_circulate", "minutes_approve"):
        with assert_nothing_changed():
            response = client.post(url(name, municipality, meeting_id=meeting.pk))
        assert response.status_code == 403


def test_the_meeting_page_shows_the_state_and_the_corrections(
    municipality, manager, client_for, circulated
):
    minutes, person = circulated
    services.minutes_correct(minutes=minutes, text="חסרה ההחלטה", person=person)
    page = client_for(manager).get(url("meeting", municipality, meeting_id=minutes.meeting_id))
    body = page.content.decode()
    assert "נשלח לתיקונים" in body or "Circulated for corrections" in body
    assert "חסרה ההחלטה" in body and person.full_name in body
    assert "17.3.2026" in body


def test_an_account_holder_who_attended_corrects_from_the_meeting_page(
    municipality, committee_member, client_for, circulated
):
    minutes, person = circulated
    person.user = committee_member
    person.save()
    client = client_for(committee_member)
    page = client.get(url("meeting", municipality, meeting_id=minutes.meeting_id)).content.decode()
    assert url("minutes_correct", municipality, meeting_id=minutes.meeting_id) in page
    client.post(
        url("minutes_correct", municipality, meeting_id=minutes.meeting_id), {"text": "תיקון"}
    )
    assert MinutesCorrection.objects.get().user == committee_member


def test_an_account_holder_who_did_not_attend_cannot_correct(
    municipality, committee_member, client_for, circulated
):
    minutes, _person = circulated
    client = client_for(committee_member)
    with assert_nothing_changed():
        response = client.post(
            url("minutes_correct", municipality, meeting_id=minutes.meeting_id), {"text": "תיקון"}
        )
    assert response.status_code == 403


def test_an_attendee_corrects_through_the_personal_link(client, circulated):
    minutes, person = circulated
    page = client.get(links.member_url(person, absolute=False)).content.decode()
    assert "corrections-heading" in page
    correct = reverse(
        "committees_public:member_correct",
        kwargs={"token": links.member_token(person), "minutes_id": minutes.pk},
    )
    response = client.post(correct, {"text": "השם שלי נכתב בטעות"})
    assert response.status_code == 302 and "correction=sent" in response["Location"]
    correction = MinutesCorrection.objects.get()
    assert correction.person == person and correction.user is None


def test_the_personal_link_of_someone_who_did_not_attend_corrects_nothing(
    client, municipality, circulated
):
    minutes, _person = circulated
    stranger = PersonFactory(municipality=municipality)
    correct = reverse(
        "committees_public:member_correct",
        kwargs={"token": links.member_token(stranger), "minutes_id": minutes.pk},
    )
    with assert_nothing_changed():
        assert client.post(correct, {"text": "x"}).status_code == 404
        bad = reverse(
            "committees_public:member_correct", kwargs={"token": "forged", "minutes_id": minutes.pk}
        )
        assert client.post(bad, {"text": "x"}).status_code == 400


def test_the_team_approves_when_the_next_meeting_started(
    municipality, team_member, client_for, circulated, frozen
):
    minutes, _person = circulated
    client = client_for(team_member)
    page = client.get(url("meeting", municipality, meeting_id=minutes.meeting_id)).content.decode()
    assert 'id="gate-minutes_approve"' in page and 'id="approve-minutes"' not in page
    frozen.move_to(NOW + timedelta(days=14, minutes=10))
    client = client_for(team_member)  # a new session: the old one went idle over two weeks
    page = client.get(url("meeting", municipality, meeting_id=minutes.meeting_id)).content.decode()
    assert 'id="approve-minutes"' in page
    client.post(url("minutes_approve", municipality, meeting_id=minutes.meeting_id))
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.APPROVED
    page = client.get(url("meeting", municipality, meeting_id=minutes.meeting_id)).content.decode()
    assert 'id="write-minutes"' not in page
    form_page = client.get(url("meeting_minutes", municipality, meeting_id=minutes.meeting_id))
    assert "save-minutes" not in form_page.content.decode()


# --- the action items list ----------------------------------------------------------------------


def _item(municipality, meeting, title, *, owner=None, created_by=None, status="open"):
    return ActionItem.objects.create(
        municipality=municipality,
        meeting=meeting,
        title=title,
        owner=owner,
        created_by=created_by,
        status=status,
        due_on=date(2026, 4, 1),
    )


def test_action_items_assigned_to_me_created_by_me_open_and_done(
    municipality, manager, committee_member, client_for
):
    meeting = MeetingFactory(committee__municipality=municipality)
    mine = PersonFactory(municipality=municipality, user=committee_member)
    _item(municipality, meeting, "שלי פתוחה", owner=mine)
    _item(municipality, meeting, "שלי גמורה", owner=mine, status="done")
    _item(municipality, meeting, "שכתבתי", created_by=manager)
    _item(municipality, meeting, "של אחר", owner=PersonFactory(municipality=municipality))

    def titles(client, **params):
        response = client.get(url("action_items", municipality), params)
        return {i.title for i in response.context["items"]}

    member = client_for(committee_member)
    assert titles(member) == {"שלי פתוחה"}
    assert titles(member, state="done") == {"שלי גמורה"}
    assert titles(member, state="all") == {"שלי פתוחה", "שלי גמורה"}
    # A member asking for everyone's sees their own, and may update it from the list.
    assert titles(member, who="all") == {"שלי פתוחה"}
    own = ActionItem.objects.get(title="שלי פתוחה")
    page = member.get(url("action_items", municipality)).content.decode()
    assert url("action_status", municipality, action_id=own.pk) in page
    manager_client = client_for(manager)
    assert titles(manager_client, who="created") == {"שכתבתי"}
    assert titles(manager_client) == {"שלי פתוחה", "שכתבתי", "של אחר"}


def test_the_action_items_list_has_a_fixed_query_count(municipality, manager, client_for):
    meeting = MeetingFactory(committee__municipality=municipality)

    def grow():
        for n in range(20):
            other = MeetingFactory(committee__municipality=municipality)
            _item(
                municipality,
                other if n % 2 else meeting,
                f"משימה {n}",
                owner=PersonFactory(municipality=municipality),
                created_by=manager,
            )

    _item(municipality, meeting, "ראשונה", owner=PersonFactory(municipality=municipality))
    assert_constant_queries(client_for(manager), url("action_items", municipality), grow)


def test_the_members_action_items_list_has_a_fixed_query_count(
    municipality, committee_member, client_for
):
    meeting = MeetingFactory(committee__municipality=municipality)
    mine = PersonFactory(municipality=municipality, user=committee_member)
    _item(municipality, meeting, "ראשונה", owner=mine)

    def grow():
        for n in range(20):
            _item(municipality, meeting, f"משימה {n}", owner=mine)

    assert_constant_queries(
        client_for(committee_member), url("action_items", municipality) + "?state=all", grow
    )


def test_the_member_page_lists_the_persons_open_items(client, municipality):
    meeting = MeetingFactory(committee__municipality=municipality)
    person = PersonFactory(municipality=municipality)
    _item(municipality, meeting, "לפתוח קבוצה", owner=person)
    _item(municipality, meeting, "כבר נעשה", owner=person, status="done")
    body = client.get(links.member_url(person, absolute=False)).content.decode()
    assert "לפתוח קבוצה" in body and "כבר נעשה" not in body
