"""The daily tick's cost does not grow with the people it writes to (issue 9: all 257 programs in a minute).

The tick queues its e-mails in the outbox with one INSERT per batch; what it does for a program is a
fixed number of queries, however many members a committee has and however many milestones are overdue.
The drain then pays one UPDATE per e-mail (marked sent on its own, so that a crash loses no record of
what went out) and one claim per batch.
"""

from datetime import datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committees import ical
from committees import services as committees
from committees.models import Meeting
from kehila import scheduling
from kehila import timeline as engine
from kehila.mail import Outgoing, outbox_drain, send_many
from kehila.models import Milestone, Role, SentMessage
from kehila.permissions import SYSTEM
from kehila.tasks import program_tick
from partners.models import Person
from tests.factories import MunicipalityFactory, member
from tests.kehila.timeline_factories import milestone, plan_program

pytestmark = pytest.mark.django_db

TRANSACTION = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "SET LOCAL")
QUEUE = ('INSERT INTO "kehila_sentmessage"', 'INSERT OR IGNORE INTO "kehila_sentmessage"')
BATCH = 20


def _is_mark(sql: str) -> bool:
    return sql.startswith('UPDATE "kehila_sentmessage" SET "state" = ') and '"sent_at" =' in sql


def _program_with_design_members(count: int):
    # On the state's calendar alone (no eves, Chol HaMoed or memorial days avoided): the days these
    # tests pick were chosen against that plan (three months late must not land in a reminder window).
    municipality = MunicipalityFactory(**dict.fromkeys(scheduling.AVOID_FIELDS, False))
    member(municipality, Role.MANAGER)
    program = plan_program(municipality)
    design = committees.committee_for_kind(municipality=municipality, kind="design")
    for i in range(count):
        person = Person.objects.create(
            municipality=municipality,
            full_name=f"חבר.ת ועדה {i}",
            email=f"{municipality.slug}-{i}@example.org",
            language="he" if i % 2 else "en",
        )
        committees.member_add(
            committee=design,
            person=person,
            starts_on=program.scope_decision_date,
            actor=SYSTEM,
        )
    return program


def _tick(program, day, capture_on_commit) -> tuple[int, int, int]:
    """(fixed queries, queue INSERTs, e-mails sent) of one tick and the drain after it."""
    outbox = len(mail.outbox)
    with CaptureQueriesContext(connection) as queries:
        with capture_on_commit(execute=False):
            program_tick(program.pk, day.isoformat())
    sql = [q["sql"] for q in queries.captured_queries]
    queued = sum(s.startswith(QUEUE) for s in sql)
    fixed = sum(not s.startswith((*QUEUE, *TRANSACTION)) for s in sql)
    with CaptureQueriesContext(connection) as drain:
        sent, _more = outbox_drain(batch=BATCH)
    drained = [q["sql"] for q in drain.captured_queries if not q["sql"].startswith(TRANSACTION)]
    marks = sum(_is_mark(s) for s in drained)
    assert marks == sent == len(mail.outbox) - outbox
    # a claim is a SELECT, an UPDATE and a SELECT per batch, and one more SELECT finds nothing left
    assert len(drained) - marks <= 3 * -(-sent // BATCH) + 1, drained
    return fixed, queued, sent


def test_inviting_and_reminding_costs_the_same_queries_for_3_or_30_members(
    django_capture_on_commit_callbacks, monkeypatch
):
    made = []
    real_ics = ical.meeting_ics
    monkeypatch.setattr(
        ical, "meeting_ics", lambda meeting: made.append(meeting.pk) or real_ics(meeting)
    )
    small, large = _program_with_design_members(3), _program_with_design_members(30)
    warm = _program_with_design_members(1)  # fills the process caches (content types) for both
    design_1 = milestone(small, "design_1").planned
    assert milestone(large, "design_1").planned == design_1
    for days_before in (21, 2):  # the invitation, then the reminder to those who did not answer
        day = design_1 - timedelta(days=days_before)
        _tick(warm, day, django_capture_on_commit_callbacks)
        made.clear()
        fixed_small, queued_small, sent_small = _tick(
            small, day, django_capture_on_commit_callbacks
        )
        fixed_large, queued_large, sent_large = _tick(
            large, day, django_capture_on_commit_callbacks
        )
        # the calendar file is made once per meeting mailed, not once per invitee
        assert made and len(made) == len(set(made)), made
        meetings = len(made) // 2
        # the manager's e-mails alike in both; every member gets one per meeting
        assert sent_large - sent_small == 27 * meetings, (days_before, sent_small, sent_large)
        assert queued_small == queued_large <= 3, (queued_small, queued_large)
        assert fixed_small == fixed_large, (days_before, fixed_small, fixed_large)
        assert fixed_large <= 40, fixed_large


def test_overdue_milestones_already_reported_cost_one_query_whatever_their_number(
    django_capture_on_commit_callbacks,
):
    program = _program_with_design_members(0)
    design_1 = milestone(program, "design_1").planned
    # A week late: only design_1 is overdue. Three months late: many milestones are.
    few, many = design_1 + timedelta(days=7), design_1 + timedelta(days=95)
    counts = []
    for day in (few, many):
        _tick(program, day, django_capture_on_commit_callbacks)  # the warnings go out once
        fixed, queued, sent = _tick(program, day, django_capture_on_commit_callbacks)
        assert (queued, sent) == (0, 0)
        counts.append(fixed)
    assert counts[0] == counts[1], counts


class FakeSMTP:
    """Stands in for smtplib.SMTP: counts logins (connections) and messages."""

    connections = 0
    messages = 0

    def __init__(self, *args, **kwargs):
        FakeSMTP.connections += 1

    def ehlo(self, *args):
        return 250, b"ok"

    def sendmail(self, *args, **kwargs):
        FakeSMTP.messages += 1
        return {}

    def quit(self):
        pass

    def close(self):
        pass


def test_a_batch_of_emails_goes_out_over_one_smtp_connection(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    messages = [
        Outgoing(
            key=f"k{i}",
            to=f"r{i}@example.org",
            subject_template="registration/password_reset_subject.txt",
            body_template="registration/password_reset_email.html",
            context={"protocol": "https", "domain": "x", "uid": "MQ", "token": "t-t"},
        )
        for i in range(5)
    ]
    assert send_many(messages) == 5
    assert outbox_drain() == (5, False)
    assert (FakeSMTP.connections, FakeSMTP.messages) == (1, 5)
    assert send_many(messages) == 0  # every key taken: nothing queued, not even a connection
    assert outbox_drain() == (0, False)
    assert FakeSMTP.connections == 1
    assert SentMessage.objects.count() == 5


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SELECT", *TRANSACTION))
    ]


def test_a_replan_with_nothing_to_do_only_reads(municipality):
    program = plan_program(municipality)
    with CaptureQueriesContext(connection) as queries:
        assert scheduling.timeline_replan(program=program) == []
    assert _writes(queries) == []
    assert (
        len(queries.captured_queries)
        - sum(q["sql"].startswith(TRANSACTION) for q in queries.captured_queries)
        == 3
    )  # the program, its milestones, its offsets


def test_a_slip_that_moves_many_milestones_is_written_in_one_update(municipality):
    program = plan_program(municipality)
    Milestone.objects.filter(program=program, key="design_1").update(
        pinned=milestone(program, "design_1").planned + timedelta(days=30)
    )
    with CaptureQueriesContext(connection) as queries:
        moved = scheduling.timeline_replan(program=program)
    assert len(moved) > 10
    # (deleting vanished rows also clears any meeting's link to them: not a milestone write)
    assert len([w for w in _writes(queries) if w.startswith('UPDATE "kehila_milestone"')]) == 1
    assert milestone(program, "design_2").planned == engine.next_working_day(
        milestone(program, "design_1").planned + relativedelta(months=3)
    )


def test_every_calendar_file_carries_the_time_zone_built_once(municipality):
    """The VTIMEZONE (decades of transitions) is built once per process and goes into every file."""
    from icalendar import Calendar

    committee = committees.committee_for_kind(municipality=municipality, kind="design")
    starts = [timezone.make_aware(datetime(2027, 2, d, 17)) for d in (7, 14)]
    files = [
        ical.meeting_ics(
            committees.meeting_schedule(
                committee=committee,
                title="מפגש",
                starts_at=s,
                ends_at=s + timedelta(hours=2),
                actor=SYSTEM,
            )
        )
        for s in starts
    ]
    for data in files:
        zones = Calendar.from_ical(data).walk("VTIMEZONE")
        assert [z["TZID"] for z in zones] == ["Asia/Jerusalem"]
    assert files[0].count(b"BEGIN:VTIMEZONE") == files[1].count(b"BEGIN:VTIMEZONE") == 1
    assert ical._timezone.cache_info().hits >= 1


def test_a_meeting_that_cannot_be_created_leaves_the_others_of_the_same_tick(municipality):
    program = plan_program(municipality)
    design_1 = milestone(program, "design_1")
    design = committees.committee_for_kind(municipality=municipality, kind="design")
    starts_at, ends_at = scheduling.meeting_times("design_1", design_1.planned)
    taken = committees.meeting_schedule(
        committee=design,
        title="נקבע ביד",
        starts_at=starts_at,
        ends_at=ends_at,
        actor=SYSTEM,
    )
    program_tick(program.pk, (design_1.planned - timedelta(days=20)).isoformat())
    # the committee meets then already
    assert not Meeting.objects.filter(milestone=milestone(program, "design_1")).exists()
    assert Meeting.objects.filter(milestone=milestone(program, "design_regular_2027_02")).exists()
    assert Meeting.objects.filter(committee=design).exclude(pk=taken.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_batch_outside_any_transaction_is_queued_and_drained_at_once():
    """Outside a transaction the rows commit at once and the drain is queued at once (eager here);
    a key queued once is never queued again."""
    messages = [
        Outgoing(
            key=f"own-{i}",
            to=f"r{i}@example.org",
            subject_template="registration/password_reset_subject.txt",
            body_template="registration/password_reset_email.html",
            context={"protocol": "https", "domain": "x", "uid": "MQ", "token": "t-t"},
        )
        for i in range(3)
    ]
    assert not connection.in_atomic_block
    assert send_many(messages) == 3
    assert send_many([*messages, messages[0]]) == 0
    assert sorted(SentMessage.objects.values_list("idempotency_key", flat=True)) == [
        "own-0",
        "own-1",
        "own-2",
    ]
    assert len(mail.outbox) == 3


def test_each_invitee_reads_the_meeting_details_in_their_own_language(
    municipality, django_capture_on_commit_callbacks
):
    """The details are rendered once per meeting and language, never one language for all."""
    from tests.committees.factories import AgendaItemFactory, MeetingFactory, MemberFactory

    meeting = MeetingFactory(
        committee__municipality=municipality,
        starts_at=timezone.make_aware(datetime(2027, 2, 7, 17)),
        ends_at=timezone.make_aware(datetime(2027, 2, 7, 19)),
    )
    AgendaItemFactory(meeting=meeting, title="סקירת המיפוי")
    for language in ("he", "en", "he"):
        MemberFactory(committee=meeting.committee, person__language=language)
    with django_capture_on_commit_callbacks(execute=True):
        assert committees.invitations_send(meeting=meeting, actor=SYSTEM) == 3
    bodies = {m.to[0]: m.body for m in mail.outbox}
    by_language = {
        p.language: bodies[p.email] for p in Person.objects.filter(municipality=municipality)
    }
    assert "When: Sunday, 7 February 2027, 17:00–19:00" in by_language["en"]
    assert "מתי: יום ראשון, 7 בפברואר 2027, 17:00–19:00" in by_language["he"]
    for body in bodies.values():
        assert "אולם המועצה" in body and "1. סקירת המיפוי" in body
