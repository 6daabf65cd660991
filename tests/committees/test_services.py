from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from committees import services
from committees.models import Committee, Invitation, Meeting
from kehila.models import SentMessage
from kehila.permissions import SYSTEM

from .factories import (
    CommitteeFactory,
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
)

TZ = ZoneInfo("Asia/Jerusalem")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=TZ)


def test_committee_for_kind_creates_once_with_a_hebrew_default_name(municipality):
    first = services.committee_for_kind(municipality=municipality, kind="steering")
    again = services.committee_for_kind(municipality=municipality, kind="steering")
    assert first == again
    assert first.name == "ועדת היגוי"
    team = services.committee_for_kind(municipality=municipality, kind="team", track="social")
    assert team.name == "צוות עבודה – אפיק חברתי"
    assert (
        services.committee_for_kind(municipality=municipality, kind="design").name == "ועדה מעצבת"
    )
    assert Committee.objects.filter(municipality=municipality).count() == 3


def test_committee_for_kind_refuses_an_unknown_kind(municipality):
    with pytest.raises(ValidationError):
        services.committee_for_kind(municipality=municipality, kind="club")


def test_meeting_schedule_with_the_same_key_returns_the_first_meeting(municipality):
    committee = services.committee_for_kind(municipality=municipality, kind="design")
    kwargs = dict(
        committee=committee,
        title="מפגש 1",
        starts_at=at(2027, 1, 5, 17),
        ends_at=at(2027, 1, 5, 19, 30),
        idempotency_key="timeline:design_1",
        place="מתנ״ס",
        actor=SYSTEM,
    )
    first = services.meeting_schedule(**kwargs)
    second = services.meeting_schedule(**kwargs)
    assert first == second
    assert first.status == Meeting.Status.PLANNED
    assert first.place == "מתנ״ס"
    assert Meeting.objects.count() == 1


def test_meeting_schedule_refuses_an_end_before_the_start_and_overlaps(municipality):
    committee = CommitteeFactory(municipality=municipality)
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            committee=committee,
            title="x",
            starts_at=at(2027, 1, 5, 17),
            ends_at=at(2027, 1, 5, 16),
            actor=SYSTEM,
        )
    assert "ends_at" in error.value.error_dict
    services.meeting_schedule(
        committee=committee,
        title="a",
        starts_at=at(2027, 1, 5, 17),
        ends_at=at(2027, 1, 5, 19),
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            committee=committee,
            title="b",
            starts_at=at(2027, 1, 5, 18),
            ends_at=at(2027, 1, 5, 20),
            actor=SYSTEM,
        )
    assert "starts_at" in error.value.error_dict
    # Another committee may meet at the same time.
    services.meeting_schedule(
        committee=CommitteeFactory(municipality=municipality, kind="steering"),
        title="c",
        starts_at=at(2027, 1, 5, 18),
        ends_at=at(2027, 1, 5, 20),
        actor=SYSTEM,
    )


def test_invitations_send_mails_each_member_once_with_the_ics(
    municipality, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(committee__municipality=municipality)
    MemberFactory.create_batch(3, committee=meeting.committee)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(meeting=meeting, actor=SYSTEM) == 3
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert "/public/committees/rsvp/" in message.body
    filename, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@kehila-metiva"
    assert event["DTSTART"].params["TZID"] == "Asia/Jerusalem"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITED
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(meeting=meeting, actor=SYSTEM) == 0
    assert len(mail.outbox) == 3
    assert Invitation.objects.filter(meeting=meeting).count() == 3


def test_invitations_skip_former_members(municipality, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(committee__municipality=municipality)
    MemberFactory(committee=meeting.committee)
    MemberFactory(
        committee=meeting.committee, ends_on=meeting.starts_at.date() - timedelta(days=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(meeting=meeting, actor=SYSTEM) == 1


def test_an_invitee_whose_account_turned_meeting_reminders_off_gets_none(
    municipality, django_capture_on_commit_callbacks
):
    from kehila.models import Profile
    from tests.factories import UserFactory

    meeting = MeetingFactory(committee__municipality=municipality, status="invited")
    quiet = InvitationFactory(meeting=meeting)
    told = InvitationFactory(meeting=meeting)
    Profile.objects.create(user=UserFactory(email=quiet.person.email), meeting_reminders=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(meeting=meeting, actor=SYSTEM) == 1
    assert [m.to for m in mail.outbox] == [[told.person.email]]


def test_the_tick_reminds_each_invitee_on_the_day_they_chose(
    municipality, django_capture_on_commit_callbacks
):
    from kehila.models import Profile
    from tests.factories import UserFactory

    tz = ZoneInfo("Asia/Jerusalem")
    meeting = MeetingFactory(
        committee__municipality=municipality,
        status="invited",
        starts_at=datetime(2027, 3, 10, 17, tzinfo=tz),
    )
    early = InvitationFactory(meeting=meeting)  # chose a week ahead on My account
    usual = InvitationFactory(meeting=meeting)  # no account: the portal's three days
    Profile.objects.create(user=UserFactory(email=early.person.email), reminder_days_before=7)

    def tick(day):
        with time_machine.travel(datetime(2027, 3, day, 6, tzinfo=tz), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                return services.reminders_send(meeting=meeting, actor=SYSTEM, as_each_chose=True)

    assert tick(2) == 0  # eight days ahead: nobody yet
    assert tick(3) == 1 and [m.to for m in mail.outbox] == [[early.person.email]]
    assert tick(6) == 0  # four days ahead: the usual invitee waits for three
    assert tick(7) == 1 and mail.outbox[-1].to == [usual.person.email]
    assert tick(8) == 0  # once each


def test_reminders_go_only_to_those_without_an_answer_and_only_once(
    municipality, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(committee__municipality=municipality, status="invited")
    answered = InvitationFactory(meeting=meeting, response="yes")
    silent = InvitationFactory(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(meeting=meeting, actor=SYSTEM) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(meeting=meeting, actor=SYSTEM) == 0
    assert [m.to for m in mail.outbox] == [[silent.person.email]]
    assert answered.person.email not in str([m.to for m in mail.outbox])
    assert (
        SentMessage.objects.filter(idempotency_key__startswith="committees:reminder").count() == 1
    )


def test_rsvp_last_answer_wins_and_closes_at_the_start(municipality):
    meeting = MeetingFactory(
        committee__municipality=municipality,
        starts_at=at(2027, 2, 1, 17),
        ends_at=at(2027, 2, 1, 19),
    )
    invitation = InvitationFactory(meeting=meeting)
    with time_machine.travel(at(2027, 1, 20, 10)):
        services.rsvp_record(invitation=invitation, response="yes")
        services.rsvp_record(invitation=invitation, response="no", note="חולה")
    invitation.refresh_from_db()
    assert (invitation.response, invitation.note) == ("no", "חולה")
    with time_machine.travel(at(2027, 2, 1, 17, 1)):
        with pytest.raises(services.RsvpRefused):
            services.rsvp_record(invitation=invitation, response="yes")
    invitation.refresh_from_db()
    assert invitation.response == "no"


def test_rsvp_to_a_cancelled_meeting_is_refused(municipality, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(meeting__committee__municipality=municipality)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=invitation.meeting, actor=SYSTEM)
    with pytest.raises(services.RsvpRefused) as refused:
        services.rsvp_record(invitation=invitation, response="yes")
    assert "cancel" in refused.value.reason.lower() or "בוטל" in refused.value.reason


def test_a_full_gathering_puts_a_yes_on_the_waiting_list_and_promotes_on_a_no(municipality):
    meeting = MeetingFactory(committee__municipality=municipality, capacity=1)
    first, second = InvitationFactory.create_batch(2, meeting=meeting)
    services.rsvp_record(invitation=first, response="yes")
    result = services.rsvp_record(invitation=second, response="yes")
    assert result.waitlisted
    result = services.rsvp_record(invitation=first, response="no")
    assert result.promoted == second
    second.refresh_from_db()
    assert not second.waitlisted


def test_cancelling_bumps_the_sequence_and_tells_the_invitees(
    municipality, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(meeting__committee__municipality=municipality)
    meeting = invitation.meeting
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, actor=SYSTEM)
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_members_must_belong_to_the_municipality(municipality, other_municipality):
    committee = CommitteeFactory(municipality=municipality)
    stranger = PersonFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as error:
        services.member_add(committee=committee, person=stranger, actor=SYSTEM)
    assert "person" in error.value.error_dict


def test_minutes_create_action_items_and_reach_the_members_only_once_approved(
    municipality, manager, django_capture_on_commit_callbacks
):
    member = MemberFactory(committee__municipality=municipality)
    meeting = MeetingFactory(committee=member.committee, started=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_save(
            meeting=meeting,
            actor=manager,
            note_taker="יוסי",
            summary="דנו באתגרים",
            action_items=[
                services.ActionItemInput(title="לאסוף נתונים", owner=member.person),
                services.ActionItemInput(title="לזמן את הצוות"),
            ],
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTED
    assert meeting.action_items.count() == 2
    assert len(mail.outbox) == 0  # a draft goes to the attendees (circulate), not to every member
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=meeting.minutes, actor=manager)
    assert len(mail.outbox) == 1
    assert "דנו באתגרים" in mail.outbox[0].body


def test_moving_an_invited_meeting_mails_an_update_with_a_higher_sequence(
    municipality, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(committee__municipality=municipality)
    MemberFactory(committee=meeting.committee)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meeting, actor=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            starts_at=meeting.starts_at + timedelta(days=1),
            ends_at=meeting.ends_at + timedelta(days=1),
            actor=SYSTEM,
        )
    assert len(mail.outbox) == 2
    event = Calendar.from_ical(mail.outbox[1].attachments[0][1]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    # The same change again is no change: nothing new is sent.
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, starts_at=meeting.starts_at, actor=SYSTEM)
    assert len(mail.outbox) == 2


def test_a_promoted_person_is_told_by_email(municipality, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(committee__municipality=municipality, capacity=1)
    first, second = InvitationFactory.create_batch(2, meeting=meeting)
    services.rsvp_record(invitation=first, response="yes")
    services.rsvp_record(invitation=second, response="yes")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_record(invitation=first, response="no")
    assert [m.to for m in mail.outbox] == [[second.person.email]]


def test_composition_targets_cannot_exceed_100_percent(municipality):
    with pytest.raises(ValidationError):
        services.composition_targets_set(
            municipality=municipality,
            committee_kind="design",
            percents={"residents": 70, "business": 40},
            actor=SYSTEM,
        )
