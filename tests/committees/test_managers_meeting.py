"""The all-managers meeting as the guidance runs it (issue 15 §7): the list from the mapping under the
mayor's patronage, one step to invite them all, RSVP counts, the note-taker named before anything is
recorded, the challenges where participants see them, and the summary e-mail once to every participant
in their language, whose follow-up items the manager watches."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import links, services
from committees import managers_meeting as mm
from committees.models import ActionItem, Challenge, Invitation, ManagersMeeting
from kehila.models import AuditLog, SentMessage
from partners.models import Affiliation, Organisation, Person
from tests.helpers import assert_nothing_changed

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Jerusalem")
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=TZ)
STARTS = datetime(2027, 3, 10, 17, 0, tzinfo=TZ)


def _person(municipality, name, email, **kwargs):
    return Person.objects.create(municipality=municipality, full_name=name, email=email, **kwargs)


@pytest.fixture
def mapping(municipality):
    """A mayor, a director general, a department head by affiliation, an English-speaking company
    head, a resident who is no manager, and a department nobody heads."""
    mayor = _person(municipality, "רות המנהיגה", "mayor@example.org", municipal_role="mayor")
    dg = _person(municipality, "דן המנכ״ל", "dg@example.org", municipal_role="director_general")
    welfare = Organisation.objects.create(
        municipality=municipality, name="אגף הרווחה", kind=Organisation.Kind.DEPARTMENT
    )
    head = _person(municipality, "מיכל הרווחה", "welfare@example.org")
    Affiliation.objects.create(
        municipality=municipality, person=head, organisation=welfare, is_head=True
    )
    company = _person(
        municipality,
        "Sam Company",
        "company@example.org",
        municipal_role="company_head",
        language="en",
    )
    Organisation.objects.create(
        municipality=municipality, name="אגף החינוך", kind=Organisation.Kind.DEPARTMENT
    )
    resident = _person(municipality, "תושב מהשכונה", "resident@example.org")
    return {"mayor": mayor, "dg": dg, "head": head, "company": company, "resident": resident}


def _create(municipality, actor, **kwargs):
    values = {
        "title": "מפגש כל המנהלים",
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=2),
        "place": "לשכת ראש העיר",
    }
    values.update(kwargs)
    with time_machine.travel(NOW, tick=False):
        return mm.managers_meeting_create(municipality=municipality, actor=actor, **values)


def _answer(managers_meeting, person, response):
    invitation = Invitation.objects.get(meeting=managers_meeting.meeting, person=person)
    with time_machine.travel(NOW, tick=False):
        services.rsvp_record(invitation=invitation, response=response)


# --- services ---------------------------------------------------------------------------------


def test_the_meeting_invites_every_manager_of_the_mapping_under_the_mayors_patronage(
    municipality, manager, mapping
):
    managers_meeting = _create(municipality, manager)
    invited = set(
        Invitation.objects.filter(meeting=managers_meeting.meeting).values_list(
            "person__full_name", flat=True
        )
    )
    assert invited == {"רות המנהיגה", "דן המנכ״ל", "מיכל הרווחה", "Sam Company"}
    assert managers_meeting.patron == mapping["mayor"]
    assert managers_meeting.meeting.committee.kind == "gathering"
    # The manager looks at the list first: nothing was e-mailed on creation.
    assert not SentMessage.objects.exists()
    assert AuditLog.objects.filter(action="committees.managers_meeting_create").exists()


def test_inviting_them_all_queues_one_invitation_each_naming_the_patron_in_their_language(
    municipality, manager, mapping, mailoutbox
):
    managers_meeting = _create(municipality, manager)
    with time_machine.travel(NOW, tick=False):
        assert mm.managers_meeting_invite(managers_meeting=managers_meeting, actor=manager) == 4
        # A manager mapped since is added and invited; nobody else gets a second copy.
        late = _person(municipality, "סגן חדש", "deputy@example.org", municipal_role="deputy_mayor")
        assert mm.managers_meeting_invite(managers_meeting=managers_meeting, actor=manager) == 1
        assert mm.managers_meeting_invite(managers_meeting=managers_meeting, actor=manager) == 0
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {
        "mayor@example.org",
        "dg@example.org",
        "welfare@example.org",
        "company@example.org",
        late.email,
    }
    assert (
        "Under the patronage of the mayor, רות המנהיגה." in by_address["company@example.org"].body
    )
    assert "בחסות ראש העיר, רות המנהיגה." in by_address["dg@example.org"].body
    managers_meeting.meeting.refresh_from_db()
    assert managers_meeting.meeting.status == "invited"


def test_an_ordinary_committee_invitation_names_no_patron(municipality, manager, mailoutbox):
    from tests.committees.factories import MeetingFactory, MemberFactory

    meeting = MeetingFactory(committee__municipality=municipality)
    MemberFactory(committee=meeting.committee, person__email="member@example.org")
    services.invitations_send(meeting=meeting, actor=manager)
    assert "patronage" not in mailoutbox[0].body and "בחסות" not in mailoutbox[0].body


def test_nothing_is_recorded_before_a_note_taker_is_named(municipality, manager, mapping):
    managers_meeting = _create(municipality, manager)
    with assert_nothing_changed():
        with pytest.raises(ValidationError, match="יש למנות תחילה רושם"):
            mm.challenge_record(
                managers_meeting=managers_meeting, text="אין תיאום בין האגפים", actor=manager
            )
        with pytest.raises(ValidationError, match="יש למנות תחילה רושם"):
            mm.follow_up_add(
                managers_meeting=managers_meeting,
                title="מיפוי שירותים",
                owner=mapping["dg"],
                actor=manager,
            )
        with pytest.raises(ValidationError, match="יש למנות תחילה רושם"):
            with time_machine.travel(STARTS + timedelta(hours=3), tick=False):
                mm.summary_send(managers_meeting=managers_meeting, summary="תודה", actor=manager)
    mm.managers_meeting_name_note_taker(
        managers_meeting=managers_meeting, person=mapping["head"], actor=manager
    )
    challenge = mm.challenge_record(
        managers_meeting=managers_meeting, text="אין תיאום בין האגפים", actor=manager
    )
    assert list(ManagersMeeting.objects.get().challenges.all()) == [challenge]


def test_a_note_taker_from_another_municipality_is_refused(
    municipality, other_municipality, manager, mapping
):
    managers_meeting = _create(municipality, manager)
    stranger = _person(other_municipality, "זר", "stranger@example.org")
    with assert_nothing_changed(), pytest.raises(ValidationError):
        mm.managers_meeting_name_note_taker(
            managers_meeting=managers_meeting, person=stranger, actor=manager
        )


def _ready(municipality, manager, mapping):
    """A meeting after its discussion: invited, three answers, a note-taker, a challenge, two
    follow-up items with owners."""
    managers_meeting = _create(municipality, manager)
    with time_machine.travel(NOW, tick=False):
        mm.managers_meeting_invite(managers_meeting=managers_meeting, actor=manager)
    _answer(managers_meeting, mapping["dg"], "yes")
    _answer(managers_meeting, mapping["company"], "yes")
    _answer(managers_meeting, mapping["head"], "no")
    mm.managers_meeting_name_note_taker(
        managers_meeting=managers_meeting, person=mapping["dg"], actor=manager
    )
    mm.challenge_record(
        managers_meeting=managers_meeting, text="אין תיאום בין האגפים", actor=manager
    )
    mm.follow_up_add(
        managers_meeting=managers_meeting,
        title="מיפוי שירותי הרווחה",
        owner=mapping["head"],
        due_on=STARTS.date() + timedelta(days=30),
        actor=manager,
    )
    mm.follow_up_add(
        managers_meeting=managers_meeting,
        title="Joint budget proposal",
        owner=mapping["company"],
        actor=manager,
    )
    return managers_meeting


def test_the_summary_goes_once_to_every_participant_in_their_language(
    municipality, manager, mapping, mailoutbox
):
    managers_meeting = _ready(municipality, manager, mapping)
    len(mailoutbox)  # the invitations leave the outbox first
    mailoutbox.clear()
    after = STARTS + timedelta(hours=3)
    with time_machine.travel(after, tick=False):
        sent = mm.summary_send(
            managers_meeting=managers_meeting, summary="דיברנו על תיאום.", actor=manager
        )
    assert sent == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    # Those who came (no attendance was taken: those whose 'yes' held a place); not the 'no'.
    assert set(by_address) == {"dg@example.org", "company@example.org"}
    english = by_address["company@example.org"]
    assert english.subject.startswith("Thank you for taking part")
    assert "דיברנו על תיאום." in english.body
    assert "Joint budget proposal · Sam Company" in english.body
    assert "מיפוי שירותי הרווחה · מיכל הרווחה · 9.4.2027" in english.body
    assert "אין תיאום בין האגפים" in english.body
    hebrew = by_address["dg@example.org"]
    assert "תודה" in hebrew.subject and "מה הלאה" in hebrew.body
    managers_meeting.refresh_from_db()
    assert managers_meeting.summary_sent_at == after

    # Once: a second press is refused and changes nothing.
    with assert_nothing_changed(), time_machine.travel(after + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="כבר נשלח"):
            mm.summary_send(managers_meeting=managers_meeting, summary="שוב", actor=manager)
    assert len(mailoutbox) == 2


def test_the_summary_key_sends_nothing_twice_even_when_the_sent_mark_is_lost(
    municipality, manager, mapping, mailoutbox
):
    managers_meeting = _ready(municipality, manager, mapping)
    len(mailoutbox)  # the invitations leave the outbox first
    mailoutbox.clear()
    with time_machine.travel(STARTS + timedelta(hours=3), tick=False):
        assert mm.summary_send(managers_meeting=managers_meeting, summary="א", actor=manager) == 2
        ManagersMeeting.objects.filter(pk=managers_meeting.pk).update(summary_sent_at=None)
        managers_meeting.refresh_from_db()
        assert mm.summary_send(managers_meeting=managers_meeting, summary="א", actor=manager) == 0
    assert len(mailoutbox) == 2


def test_the_summary_is_refused_before_the_meeting_starts(municipality, manager, mapping):
    managers_meeting = _ready(municipality, manager, mapping)
    with assert_nothing_changed(), time_machine.travel(STARTS - timedelta(minutes=5)):
        with pytest.raises(ValidationError, match="אחרי המפגש"):
            mm.summary_send(managers_meeting=managers_meeting, summary="מוקדם", actor=manager)


def test_where_attendance_was_taken_the_participants_are_those_who_came(
    municipality, manager, mapping, mailoutbox
):
    managers_meeting = _ready(municipality, manager, mapping)
    meeting = managers_meeting.meeting
    came = Invitation.objects.get(meeting=meeting, person=mapping["head"])  # said no, came anyway
    with time_machine.travel(STARTS + timedelta(minutes=10), tick=False):
        services.attendance_record(meeting=meeting, attended_ids={came.pk}, actor=manager)
    len(mailoutbox)  # the invitations leave the outbox first
    mailoutbox.clear()
    with time_machine.travel(STARTS + timedelta(hours=3), tick=False):
        assert mm.summary_send(managers_meeting=managers_meeting, summary="א", actor=manager) == 1
    assert [m.to for m in mailoutbox] == [["welfare@example.org"]]


def test_the_challenges_are_on_the_personal_page_of_every_invitee_and_no_one_else(
    client, municipality, manager, mapping
):
    _ready(municipality, manager, mapping)
    with time_machine.travel(NOW, tick=False):
        invitee_page = client.get(links.member_url(mapping["head"], absolute=False))
        resident_page = client.get(links.member_url(mapping["resident"], absolute=False))
    assert "אין תיאום בין האגפים" in invitee_page.content.decode()
    assert "אין תיאום בין האגפים" not in resident_page.content.decode()


# --- pages ------------------------------------------------------------------------------------


def _url(municipality, name, managers_meeting=None):
    kwargs = {"slug": municipality.slug}
    if managers_meeting is not None:
        kwargs["managers_meeting_id"] = managers_meeting.pk
    return reverse(f"committees:{name}", kwargs=kwargs)


def test_the_manager_runs_the_meeting_from_the_partners_list_to_the_follow_ups(
    client_for, municipality, manager, mapping, mailoutbox
):
    with time_machine.travel(NOW, tick=False):
        client = client_for(manager)
        listing = client.get(
            reverse("partners:managers_meeting", kwargs={"slug": municipality.slug})
        )
        assert _url(municipality, "managers_meeting_create") in listing.content.decode()
        response = client.post(
            _url(municipality, "managers_meeting_create"),
            {
                "title": "מפגש כל המנהלים",
                "starts_at": "2027-03-10T17:00",
                "ends_at": "2027-03-10T19:00",
                "place": "לשכת ראש העיר",
            },
        )
        managers_meeting = ManagersMeeting.objects.get()
        page_url = _url(municipality, "managers_meeting", managers_meeting)
        assert response["Location"] == page_url
        page = client.get(page_url).content.decode()
        assert "4 מנהלים ברשימת המוזמנים" in page
        assert "אגף החינוך" in page  # the unit nobody heads, so nobody from it is invited
        assert "רות המנהיגה" in page
        assert "יש למנות תחילה רושם" in page
        client.post(_url(municipality, "managers_meeting_invite", managers_meeting))
        assert len(mailoutbox) == 4
    _answer(managers_meeting, mapping["company"], "yes")
    with time_machine.travel(STARTS + timedelta(hours=1), tick=False):
        client.logout()  # ten days on: a fresh sign-in, as the manager would
        client = client_for(manager)
        page = client.get(page_url).content.decode()
        assert '<span data-count="yes">1</span>' in page
        client.post(
            _url(municipality, "managers_meeting_note_taker", managers_meeting),
            {"person": mapping["dg"].pk},
        )
        client.post(
            _url(municipality, "managers_meeting_challenge", managers_meeting),
            {"text": "אין תיאום בין האגפים", "raised_by": "מיכל"},
        )
        client.post(
            _url(municipality, "managers_meeting_follow_up", managers_meeting),
            {"title": "מיפוי שירותים", "owner": mapping["company"].pk, "due_on": "2027-04-01"},
        )
        client.post(
            _url(municipality, "managers_meeting_summary", managers_meeting),
            {"summary": "תודה לכולם."},
        )
    managers_meeting.refresh_from_db()
    assert managers_meeting.note_taker == mapping["dg"]
    assert list(Challenge.objects.values_list("text", flat=True)) == ["אין תיאום בין האגפים"]
    assert managers_meeting.summary_sent_at is not None
    assert [m.to for m in mailoutbox[4:]] == [["company@example.org"]]
    ActionItem.objects.update(status=ActionItem.Status.DONE)
    follow_ups = client.get(_url(municipality, "managers_meeting_follow_ups", managers_meeting))
    text = follow_ups.content.decode()
    assert "1 מתוך משימת המשך אחת בוצעה." in text and "מיפוי שירותים" in text


@pytest.mark.parametrize(
    "name, data",
    [
        ("managers_meeting_invite", {}),
        ("managers_meeting_note_taker", {"person": "dg"}),
        ("managers_meeting_challenge", {"text": "אתגר"}),
        ("managers_meeting_follow_up", {"title": "משימה", "owner": "dg"}),
        ("managers_meeting_summary", {"summary": "סיכום"}),
    ],
)
def test_a_committee_member_or_the_mayors_office_cannot_run_the_meeting(
    client_for, municipality, manager, committee_member, mayor_office, mapping, name, data
):
    managers_meeting = _ready(municipality, manager, mapping)
    data = {k: (mapping[v].pk if v in mapping else v) for k, v in data.items()}
    for user in (committee_member, mayor_office):
        client = client_for(user)
        with assert_nothing_changed():
            response = client.post(_url(municipality, name, managers_meeting), data)
        assert response.status_code == 403


def test_another_municipalitys_manager_gets_404_and_changes_nothing(
    client_for, municipality, manager, outsider, mapping
):
    managers_meeting = _ready(municipality, manager, mapping)
    client = client_for(outsider)
    with assert_nothing_changed():
        response = client.post(
            _url(municipality, "managers_meeting_summary", managers_meeting), {"summary": "א"}
        )
    assert response.status_code == 404


def test_the_page_shows_the_refusal_and_a_post_before_the_note_taker_changes_nothing(
    client_for, municipality, manager, mapping
):
    managers_meeting = _create(municipality, manager)
    client = client_for(manager)
    client.get(_url(municipality, "managers_meeting", managers_meeting))  # session settled
    with assert_nothing_changed():
        response = client.post(
            _url(municipality, "managers_meeting_challenge", managers_meeting),
            {"text": "אתגר"},
            follow=True,
        )
    assert "יש למנות תחילה רושם" in response.content.decode()


def test_the_meetings_minutes_are_refused_until_the_note_taker_is_named(
    municipality, manager, mapping
):
    managers_meeting = _create(municipality, manager)
    meeting = managers_meeting.meeting
    with assert_nothing_changed(), pytest.raises(ValidationError, match="יש למנות תחילה רושם"):
        services.minutes_save(meeting=meeting, note_taker="מישהו", summary="סיכום", actor=manager)
    mm.managers_meeting_name_note_taker(
        managers_meeting=managers_meeting, person=mapping["dg"], actor=manager
    )
    # Minutes are recorded once the meeting has started (the minutes gate).
    with time_machine.travel(meeting.starts_at + timedelta(minutes=5), tick=False):
        minutes = services.minutes_save(
            meeting=meeting, note_taker="דן המנכ״ל", summary="סיכום", actor=manager
        )
    assert minutes.summary == "סיכום"
