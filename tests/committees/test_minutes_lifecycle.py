"""Minutes as people use them (issue 15 §1 and §6): recorded only once the meeting started (the gate, with
the manager's override), draft -> circulated to the attendees -> corrections within the committee's window
(kept, with who and when) -> approved at the body's next meeting once it started -> locked."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from committees import links, services
from committees.models import ActionItem, Invitation, Meeting, Minutes, MinutesCorrection
from kehila import gates
from kehila.models import AuditLog
from kehila.permissions import PermissionDenied
from tests.helpers import assert_nothing_changed

from .factories import CommitteeFactory, InvitationFactory, MeetingFactory, PersonFactory

TZ = ZoneInfo("Asia/Jerusalem")
pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=TZ)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def held(municipality, frozen):
    """A meeting held this morning with two attendees and one who did not come, and the next meeting of
    the same body in two weeks."""
    committee = CommitteeFactory(municipality=municipality)
    meeting = MeetingFactory(
        committee=committee, starts_at=NOW - timedelta(hours=3), ends_at=NOW - timedelta(hours=1)
    )
    came = [
        InvitationFactory(meeting=meeting, person__municipality=municipality, attended=True)
        for _ in range(2)
    ]
    InvitationFactory(meeting=meeting, person__municipality=municipality, attended=False)
    following = MeetingFactory(
        committee=committee,
        starts_at=NOW + timedelta(days=14),
        ends_at=NOW + timedelta(days=14, hours=2),
    )
    return meeting, came, following


def _draft(meeting, actor):
    return services.minutes_save(
        meeting=meeting, actor=actor, note_taker="יוסי", summary="דנו באתגרים"
    )


# --- the gate: minutes and attendance once the meeting started ----------------------------------


def test_minutes_of_a_meeting_that_has_not_started_are_refused_with_what_is_missing(
    municipality, manager, frozen
):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW + timedelta(days=2)
    )
    with assert_nothing_changed(), pytest.raises(gates.GateClosed) as refused:
        _draft(meeting, manager)
    assert refused.value.gate == "minutes_record"
    assert "12.3.2026" in refused.value.messages[0]
    assert (
        refused.value.missing[0].url == f"/m/{municipality.slug}/committees/meetings/{meeting.pk}/"
    )


def test_attendance_of_a_meeting_that_has_not_started_is_refused(municipality, manager, frozen):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW + timedelta(days=2)
    )
    invitation = InvitationFactory(meeting=meeting, person__municipality=municipality)
    with assert_nothing_changed(), pytest.raises(gates.GateClosed):
        services.attendance_record(meeting=meeting, attended_ids={invitation.pk}, actor=manager)


def test_the_manager_opens_the_minutes_gate_with_a_reason_and_the_minutes_are_recorded(
    municipality, manager, frozen
):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW + timedelta(hours=2)
    )
    gates.gate_override(
        actor=manager, gate="minutes_record", obj=meeting, reason="The meeting was brought forward"
    )
    minutes = _draft(meeting, manager)
    assert minutes.state == Minutes.State.DRAFT
    assert gates.overrides_on(meeting)[0].reason == "The meeting was brought forward"


def test_the_team_cannot_open_the_minutes_gate(municipality, team_member, frozen):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW + timedelta(days=2)
    )
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        gates.gate_override(actor=team_member, gate="minutes_record", obj=meeting, reason="x")


def test_minutes_are_recorded_once_the_meeting_started(held, manager):
    meeting, _came, _following = held
    minutes = _draft(meeting, manager)
    assert minutes.state == Minutes.State.DRAFT
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTED


# --- circulation ----------------------------------------------------------------------------------


def test_circulating_mails_each_attendee_once_with_their_link_and_opens_the_window(
    held, manager, django_capture_on_commit_callbacks
):
    meeting, came, _following = held
    meeting.committee.corrections_days = 5
    meeting.committee.save()
    minutes = _draft(meeting, manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_circulate(minutes=minutes, actor=manager) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_circulate(minutes=minutes, actor=manager) == 0
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.CIRCULATED
    assert minutes.corrections_until == NOW.date() + timedelta(days=5)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.person.email for i in came)
    assert links.member_url(came[0].person) in next(
        m.body for m in mail.outbox if m.to[0] == came[0].person.email
    )
    assert "15.3.2026" in mail.outbox[0].body


def test_circulating_without_attendance_is_refused(municipality, manager, frozen):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW - timedelta(hours=3)
    )
    InvitationFactory(meeting=meeting, person__municipality=municipality)
    minutes = _draft(meeting, manager)
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.minutes_circulate(minutes=minutes, actor=manager)


def test_a_committee_member_cannot_circulate(held, manager, committee_member):
    meeting, _came, _following = held
    minutes = _draft(meeting, manager)
    with assert_nothing_changed(), pytest.raises(PermissionDenied):
        services.minutes_circulate(minutes=minutes, actor=committee_member)


# --- corrections ----------------------------------------------------------------------------------


def test_an_attendee_corrects_by_their_link_and_the_correction_is_kept_with_who_and_when(
    held, manager
):
    meeting, came, _following = held
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    correction = services.minutes_correct(
        minutes=minutes, text="  שכחתם את ההחלטה על התקציב ", person=came[0].person
    )
    assert correction.text == "שכחתם את ההחלטה על התקציב"
    assert correction.author_name == came[0].person.full_name
    assert correction.created_at == NOW
    assert AuditLog.objects.filter(action="committees.minutes_correct").count() == 1


def test_an_account_holder_who_attended_corrects(held, manager, committee_member):
    meeting, came, _following = held
    came[1].person.user = committee_member
    came[1].person.save()
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    correction = services.minutes_correct(minutes=minutes, text="תיקון", user=committee_member)
    assert correction.person == came[1].person and correction.user == committee_member


def test_someone_who_did_not_attend_cannot_correct(held, manager, municipality):
    meeting, _came, _following = held
    absent = Invitation.objects.get(meeting=meeting, attended=False).person
    stranger = PersonFactory(municipality=municipality)
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    for person in (absent, stranger):
        with assert_nothing_changed(), pytest.raises(PermissionDenied):
            services.minutes_correct(minutes=minutes, text="תיקון", person=person)


def test_a_draft_takes_no_corrections(held, manager):
    meeting, came, _following = held
    minutes = _draft(meeting, manager)
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.minutes_correct(minutes=minutes, text="תיקון", person=came[0].person)


def test_corrections_close_after_the_committees_window(held, manager, frozen):
    meeting, came, _following = held
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    frozen.move_to(NOW + timedelta(days=7))
    services.minutes_correct(minutes=minutes, text="ביום האחרון", person=came[0].person)
    frozen.move_to(NOW + timedelta(days=8))
    with assert_nothing_changed(), pytest.raises(ValidationError) as refused:
        services.minutes_correct(minutes=minutes, text="מאוחר", person=came[0].person)
    assert "17.3.2026" in refused.value.messages[0]


# --- approval at the next meeting, then locked ----------------------------------------------------


def test_approval_waits_for_the_next_meeting_to_start(held, manager):
    meeting, _came, following = held
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    with assert_nothing_changed(), pytest.raises(gates.GateClosed) as refused:
        services.minutes_approve(minutes=minutes, actor=manager)
    assert refused.value.gate == "minutes_approve"
    assert "24.3.2026" in refused.value.messages[0]


def test_approval_without_a_next_meeting_says_so(municipality, manager, frozen):
    meeting = MeetingFactory(
        committee__municipality=municipality, starts_at=NOW - timedelta(hours=3)
    )
    InvitationFactory(meeting=meeting, person__municipality=municipality, attended=True)
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    with (
        translation.override("en"),
        assert_nothing_changed(),
        pytest.raises(gates.GateClosed) as refused,
    ):
        services.minutes_approve(minutes=minutes, actor=manager)
    assert "not scheduled" in refused.value.messages[0]
    assert refused.value.missing[0].url.endswith(f"/committees/{meeting.committee_id}/")


def test_a_draft_is_not_approved(held, manager, frozen):
    meeting, _came, _following = held
    minutes = _draft(meeting, manager)
    frozen.move_to(NOW + timedelta(days=14, minutes=5))
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.minutes_approve(minutes=minutes, actor=manager)


def test_the_team_approves_at_the_next_meeting_and_the_minutes_lock_with_their_corrections(
    held, team_member, frozen
):
    meeting, came, following = held
    minutes = _draft(meeting, team_member)
    services.minutes_circulate(minutes=minutes, actor=team_member)
    services.minutes_correct(minutes=minutes, text="תיקון", person=came[0].person)
    frozen.move_to(NOW + timedelta(days=14, minutes=5))
    services.minutes_approve(minutes=minutes, actor=team_member)
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.APPROVED
    assert minutes.approved_at_meeting == following and minutes.approved_by == team_member
    assert MinutesCorrection.objects.filter(minutes=minutes).count() == 1
    # Locked: the service refuses, and so does the model, whoever writes.
    with assert_nothing_changed(), pytest.raises(ValidationError):
        _draft(meeting, team_member)
    minutes.summary = "נכתב מחדש"
    with assert_nothing_changed(), pytest.raises(ValidationError):
        minutes.save()
    with assert_nothing_changed(), pytest.raises(ValidationError):
        services.minutes_correct(minutes=minutes, text="מאוחר", person=came[0].person)


def test_approval_by_exception_when_the_body_will_not_meet_again(held, manager):
    meeting, _came, following = held
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    gates.gate_override(
        actor=manager,
        gate="minutes_approve",
        obj=minutes,
        reason="The committee approved by e-mail",
    )
    services.minutes_approve(minutes=minutes, actor=manager)
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.APPROVED and minutes.approved_at_meeting is None


# --- action items -------------------------------------------------------------------------------


def test_action_items_remember_who_created_them(held, manager):
    meeting, came, _following = held
    services.minutes_save(
        meeting=meeting,
        actor=manager,
        note_taker="יוסי",
        summary="סיכום",
        action_items=[services.ActionItemInput(title="לאסוף נתונים", owner=came[0].person)],
    )
    assert ActionItem.objects.get().created_by == manager


def test_an_erased_persons_correction_stays_in_the_record_without_their_name(held, manager):
    from kehila.privacy import person_erase_everywhere, person_sections, subject_of

    meeting, came, _following = held
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    services.minutes_correct(minutes=minutes, text="תיקון שלי", person=came[0].person)
    subject = subject_of(came[0].person)
    assert any("תיקון שלי" in str(section.__dict__) for section in person_sections(subject))
    person_erase_everywhere(subject, "נמחק.ה")
    correction = MinutesCorrection.objects.get()
    assert correction.author_name == "נמחק.ה" and correction.text == "תיקון שלי"


def test_the_admin_shows_approved_minutes_read_only(
    held, manager, client, django_user_model, frozen
):
    from django.urls import reverse

    meeting, _came, _following = held
    minutes = _draft(meeting, manager)
    services.minutes_circulate(minutes=minutes, actor=manager)
    frozen.move_to(NOW + timedelta(days=14, minutes=5))
    services.minutes_approve(minutes=minutes, actor=manager)
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x"))
    admin_client = client
    change = reverse("admin:committees_minutes_change", args=[minutes.pk])
    assert admin_client.get(change).status_code == 200
    with assert_nothing_changed():
        response = admin_client.post(change, {"note_taker": "x", "summary": "נכתב מחדש"})
    assert response.status_code == 403
