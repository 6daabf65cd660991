"""The outbox (kehila.mail): e-mail is queued in the caller's transaction and sent by the drain.

The drain is called directly here; tests/kehila/test_outbox_worker.py runs it in a real worker that is
killed mid-batch."""

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from kehila import mail as outbox
from kehila import tasks
from kehila.mail import Attachment, outbox_claim, outbox_drain, send_once
from kehila.models import SentMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _send(key="k1", language="he", to="resident@example.org", **extra):
    return send_once(
        key=key,
        to=to,
        subject_template="registration/password_reset_subject.txt",
        body_template="registration/password_reset_email.html",
        context={"protocol": "https", "domain": "x", "uid": "MQ", "token": "t-t"},
        language=language,
        **extra,
    )


def _raising(exceptions: dict):
    """EmailMultiAlternatives.send that raises exceptions[recipient] for the recipients listed."""
    real = outbox.EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        if self.to[0] in exceptions:
            raise exceptions[self.to[0]]
        return real(self, *args, **kwargs)

    return send


def test_an_email_with_the_same_key_is_queued_and_sent_once():
    assert _send() is True
    assert _send() is False
    row = SentMessage.objects.get()
    assert (row.idempotency_key, row.state, row.sent_at) == ("k1", "queued", None)
    assert outbox_drain() == (1, False)
    assert outbox_drain() == (0, False)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == "sent" and row.sent_at is not None and row.attempts == 1


def test_an_erased_or_empty_address_is_never_queued():
    assert _send(key="erased", to="erased-application-7@erased.invalid") is False
    assert _send(key="empty", to="") is False
    assert not SentMessage.objects.exists()
    assert _send(key="real") is True


def test_it_is_written_in_the_recipients_language_when_queued():
    _send(key="he")
    _send(key="en", language="en")
    rows = dict(SentMessage.objects.values_list("idempotency_key", "subject"))
    assert rows == {
        "he": "פורטל קהילה מיטיבה: בחירת סיסמה חדשה",
        "en": "Kehila Metiva portal: choose a new password",
    }
    assert sorted(m.subject for m in mail.outbox) == sorted(rows.values())


def test_attachments_are_stored_on_the_row_and_travel_with_the_message(municipality):
    _send(
        attachments=(
            Attachment("a.ics", "BEGIN:VCALENDAR", "text/calendar"),
            Attachment("b.bin", b"\x00\xff", "application/octet-stream"),
        ),
        municipality=municipality,
    )
    row = SentMessage.objects.get()
    assert row.municipality == municipality
    assert [a["filename"] for a in row.attachments] == ["a.ics", "b.bin"]
    sent = mail.outbox[0].attachments
    assert sent[0][:2] == ("a.ics", "BEGIN:VCALENDAR")
    assert sent[1][:2] == ("b.bin", b"\x00\xff")


def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_sent():
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        _send()
        assert SentMessage.objects.exists()
        raise Boom
    assert not SentMessage.objects.exists()
    assert len(mail.outbox) == 0


def test_the_drain_is_queued_once_per_transaction_after_it_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("kehila.tasks.outbox_drain.apply_async", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            _send(key="a")
            _send(key="b")
            assert queued == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert queued == [{"queue": None}]


def test_a_claim_whose_lease_ran_out_is_claimed_again_and_a_live_one_is_not(settings):
    settings.KEHILA_OUTBOX_LEASE_SECONDS = 60
    _send()
    with time_machine.travel(NOW, tick=False) as clock:
        first, rows = outbox_claim(limit=10)
        assert [r.idempotency_key for r in rows] == ["k1"]
        # The first sender died here, before sending. Within its lease nobody else takes the row.
        clock.shift(timedelta(seconds=59))
        assert outbox_claim(limit=10)[1] == []
        assert outbox_drain() == (0, False)
        clock.shift(timedelta(seconds=2))
        second, rows = outbox_claim(limit=10)
    assert [r.idempotency_key for r in rows] == ["k1"]
    assert second != first
    row = SentMessage.objects.get()
    assert (row.state, row.claim_token, row.attempts) == ("sending", second, 2)


def test_a_row_another_sender_claimed_after_this_one_read_it_is_not_taken_twice():
    """SQLite has no row locks: two senders may read the same candidates, only one UPDATE wins."""
    _send()
    with time_machine.travel(NOW, tick=False):
        token, rows = outbox_claim(limit=10)
        assert len(rows) == 1
        assert outbox._take([rows[0].pk], "late-sender", timezone.now()) == 0
    assert SentMessage.objects.get().claim_token == token


def test_a_dead_senders_late_mark_does_not_overwrite_the_new_claim(settings):
    """The first sender's claim token no longer matches once the row was claimed again."""
    settings.KEHILA_OUTBOX_LEASE_SECONDS = 60
    _send()
    with time_machine.travel(NOW, tick=False) as clock:
        first, _rows = outbox_claim(limit=10)
        clock.shift(timedelta(seconds=61))
        second, _rows = outbox_claim(limit=10)
        assert SentMessage.objects.filter(claim_token=first).count() == 0
        assert SentMessage.objects.filter(claim_token=second).count() == 1


def test_a_temporary_smtp_error_is_retried_later_with_backoff(monkeypatch):
    busy = smtplib.SMTPResponseException(451, b"4.3.0 try again later")
    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", _raising({"a@example.org": busy}))
    _send(key="a", to="a@example.org")
    _send(key="b", to="b@example.org")
    with time_machine.travel(NOW, tick=False) as clock:
        assert outbox_drain() == (1, False)  # b went out, a waits
        row = SentMessage.objects.get(idempotency_key="a")
        assert (row.state, row.attempts, row.last_error) == (
            "queued",
            1,
            "451 4.3.0 try again later",
        )
        assert row.next_attempt_at == NOW + timedelta(minutes=1)
        assert outbox_drain() == (0, False)  # not before its time
        clock.shift(timedelta(minutes=1))
        assert outbox_drain() == (0, False)
        row.refresh_from_db()
        assert row.next_attempt_at == NOW + timedelta(minutes=1 + 2)  # doubled
        monkeypatch.undo()
        clock.shift(timedelta(minutes=2))
        assert outbox_drain() == (1, False)
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 3)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_a_permanent_refusal_is_marked_failed_with_the_servers_reason(monkeypatch):
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 no such user")})
    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", _raising({"x@example.org": refused}))
    _send(to="x@example.org")
    with time_machine.travel(NOW, tick=False) as clock:
        assert outbox_drain() == (0, False)
        clock.shift(timedelta(days=2))
        assert outbox_drain() == (0, False)  # never tried again
    row = SentMessage.objects.get()
    assert (row.state, row.attempts, row.last_error) == ("failed", 1, "550 5.1.1 no such user")


def test_an_email_that_keeps_failing_gives_up_after_the_last_attempt(monkeypatch, settings):
    settings.KEHILA_OUTBOX_MAX_ATTEMPTS = 3
    monkeypatch.setattr(
        outbox.EmailMultiAlternatives,
        "send",
        _raising({"a@example.org": smtplib.SMTPResponseException(421, b"busy")}),
    )
    _send(to="a@example.org")
    with time_machine.travel(NOW, tick=False) as clock:
        for _attempt in range(5):
            outbox_drain()
            clock.shift(timedelta(hours=7))
    row = SentMessage.objects.get()
    assert (row.state, row.attempts, row.last_error) == ("failed", 3, "421 busy")


def test_a_dropped_connection_hands_the_rest_of_the_batch_back_untried(monkeypatch):
    dropped = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", _raising({"a@example.org": dropped}))
    _send(key="a", to="a@example.org")
    _send(key="b", to="b@example.org")
    with time_machine.travel(NOW, tick=False):
        assert outbox_drain() == (0, False)
    a, b = SentMessage.objects.order_by("idempotency_key")
    assert (a.state, a.attempts, a.next_attempt_at) == ("queued", 1, NOW + timedelta(minutes=1))
    assert (b.state, b.attempts, b.claim_token) == ("queued", 0, b.claim_token)
    assert b.last_error.startswith("SMTPServerDisconnected")
    monkeypatch.undo()
    assert outbox_drain() == (1, False)  # b at once; a after its backoff
    assert [m.to[0] for m in mail.outbox] == ["b@example.org"]


def test_requeue_failed_gives_failed_emails_a_new_start_and_leaves_sent_ones_alone(monkeypatch):
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no")})
    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", _raising({"x@example.org": refused}))
    _send(key="failed", to="x@example.org")
    _send(key="sent", to="y@example.org")
    outbox_drain()
    monkeypatch.undo()
    assert outbox.requeue_failed(["failed", "sent"]) == 1
    assert outbox_drain() == (1, False)
    assert outbox.requeue_failed(["failed", "sent"]) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["x@example.org", "y@example.org"]


def test_the_claim_locks_with_skip_locked_on_postgresql_and_rechecks_its_condition():
    from django.test.utils import CaptureQueriesContext

    _send()
    with CaptureQueriesContext(connection) as queries:
        outbox_claim(limit=5)
    sql = [q["sql"] for q in queries.captured_queries]
    select = next(s for s in sql if s.startswith("SELECT") and "next_attempt_at" in s)
    update = next(s for s in sql if s.startswith("UPDATE"))
    if connection.vendor == "postgresql":
        assert "FOR UPDATE SKIP LOCKED" in select
    # The UPDATE repeats the state/lease condition: what makes the claim atomic on SQLite.
    assert "lease_expires_at" in update and "next_attempt_at" in update


def test_a_drain_out_of_time_queues_its_own_continuation(settings, monkeypatch):
    """The task stops after half a lease (each run sends at least one batch) and queues itself again."""
    from kehila import tasks

    settings.KEHILA_OUTBOX_LEASE_SECONDS = 0
    for i in range(3):
        _send(key=f"k{i}", to=f"r{i}@example.org")
    real = outbox.outbox_drain
    runs = []
    monkeypatch.setattr(outbox, "outbox_drain", lambda **kw: runs.append(kw) or real(batch=1, **kw))
    assert tasks.outbox_drain.apply().get() == 1  # eager: the continuations ran inside it
    assert len(runs) == 4  # one e-mail each, then one that found nothing
    assert len(mail.outbox) == 3


def test_beat_sweeps_the_outbox_every_minute():
    from kehila.celery import app

    entry = app.conf.beat_schedule["outbox-sweep"]
    assert entry["task"] == "kehila.tasks.outbox_drain"
    assert entry["schedule"] <= 60


def test_a_slow_batch_hands_back_what_it_did_not_reach_within_half_its_lease(settings, monkeypatch):
    """A live sender never lets its lease run out: the rest of a slow batch goes back to the queue."""
    settings.KEHILA_OUTBOX_LEASE_SECONDS = 60
    for i in range(3):
        _send(key=f"k{i}", to=f"r{i}@example.org")
    token, rows = outbox_claim(limit=10)
    # The batch starts at 0 s (deadline 30 s); the first e-mail took 31 s.
    clocks = iter([0.0, 31.0, 31.0])
    monkeypatch.setattr(outbox.time, "monotonic", lambda: next(clocks))
    assert outbox._send_claimed(token, rows) == (1, True)
    states = dict(SentMessage.objects.values_list("idempotency_key", "state"))
    assert states == {"k0": "sent", "k1": "queued", "k2": "queued"}
    assert set(SentMessage.objects.filter(state="queued").values_list("attempts", flat=True)) == {0}


def test_sent_bodies_are_emptied_after_their_retention_and_the_rows_stay(settings):
    settings.KEHILA_OUTBOX_BODY_RETENTION_DAYS = 30
    with time_machine.travel(NOW - timedelta(days=31), tick=False):
        _send(key="old")
        _send(key="old-queued", to="late@example.org")
        outbox_drain()
    with time_machine.travel(NOW - timedelta(days=29), tick=False):
        _send(key="recent")
        outbox_drain()
    # One old e-mail still waiting for its turn (a retry's backoff).
    SentMessage.objects.filter(idempotency_key="old-queued").update(state=SentMessage.State.QUEUED)
    with time_machine.travel(NOW, tick=False):
        assert tasks.purge_sent_bodies.delay().get() == 1
        assert outbox.sent_bodies_purge() == 0  # a second run finds nothing more
    rows = {row.idempotency_key: row for row in SentMessage.objects.all()}
    assert set(rows) == {"old", "old-queued", "recent"}
    assert rows["old"].body_text == "" and rows["old"].state == SentMessage.State.SENT
    # What has not gone out yet keeps its body, and what is recent is kept for the meeting's page.
    assert rows["old-queued"].body_text and rows["recent"].body_text


def test_beat_empties_sent_bodies_nightly():
    from kehila.celery import app

    entry = app.conf.beat_schedule["outbox-purge-sent-bodies"]
    assert entry["task"] == "kehila.tasks.purge_sent_bodies"


@pytest.mark.parametrize(
    ("language", "name", "greeting"),
    [("he", "ח'אלד אבו-ע'וש", "שלום"), ("ar", "خالد 'أبو غوش' & شركاه", "مرحبًا")],
)
def test_a_plain_text_email_carries_names_as_written_not_html_escaped(language, name, greeting):
    """The hackathon's registration e-mail (a .txt template with no autoescape of its own): apostrophes,
    quotes and ampersands in a name or a title arrive as written, in the subject and the body."""
    from types import SimpleNamespace

    participant = SimpleNamespace(full_name=name)
    hackathon = SimpleNamespace(title=f"האקתון <{name}>", date=None, place="")
    send_once(
        key=f"registration-{language}",
        to="khaled@example.org",
        subject_template="pilots/email/registration_subject.txt",
        body_template="pilots/email/registration_body.txt",
        context={"participant": participant, "hackathon": hackathon},
        language=language,
    )
    outbox_drain()
    (message,) = mail.outbox
    assert name in message.body and f"<{name}>" in message.body and greeting in message.body
    assert f"<{name}>" in message.subject
    for escaped in ("&#x27;", "&#39;", "&amp;", "&lt;", "&quot;"):
        assert escaped not in message.body and escaped not in message.subject


def test_an_html_alternative_is_still_escaped(tmp_path, settings):
    """Only the plain text is rendered as written: the HTML part of an e-mail escapes as before."""
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "body.txt").write_text("{{ name }}")
    (tmp_path / "t" / "body.html").write_text("<p>{{ name }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    send_once(
        key="html",
        to="a@example.org",
        subject_template="registration/password_reset_subject.txt",
        body_template="t/body.txt",
        html_template="t/body.html",
        context={"name": "<b>ח'אלד</b>"},
    )
    row = SentMessage.objects.get()
    assert row.body_text == "<b>ח'אלד</b>"
    assert "&lt;b&gt;ח&#x27;אלד&lt;/b&gt;" in row.body_html
