"""The e-mail outbox: every e-mail is a row committed with the change that causes it; a task sends the rows.

`send_once` (and `send_many`, the same for a batch) renders the e-mail in the recipient's language and
writes it to the outbox (`SentMessage`) in the caller's transaction: a meeting becoming "invited" and its
invitations commit together or not at all. The key is unique, so a beat tick, a retried task or a second
worker queues each e-mail once. After the commit a drain task is queued; beat also sweeps every minute,
so a lost task message loses no e-mail.

`outbox_drain` claims due rows with a lease (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; the claim's
UPDATE re-checks the condition, which is what makes it atomic on SQLite), sends them over one SMTP
connection and marks each sent in its own short transaction. A row whose lease ran out (its sender died)
is claimed again: the one e-mail the SMTP server accepted just before the sender died is sent again, and
nothing is lost. Temporary SMTP errors are retried with exponential backoff; a permanent refusal is marked
failed with the server's reason.
"""

import base64
import logging
import smtplib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .models import Municipality, SentMessage

logger = logging.getLogger(__name__)

State = SentMessage.State


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to send once: what `send_once` takes, as a value, so that many go out in one batch.

    `about` and `recipient_ref` say what the e-mail is about ("committees.meeting:12",
    "committees.invitation:34") so that a page can list a meeting's e-mails per invitee."""

    key: str
    to: str
    subject_template: str
    body_template: str
    context: dict
    language: str = "he"
    municipality: object = None
    html_template: str | None = None
    attachments: tuple[Attachment, ...] = ()
    about: str = ""
    recipient_ref: str = ""


def send_once(
    *,
    key: str,
    to: str,
    subject_template: str,
    body_template: str,
    context: dict,
    language: str = "he",
    municipality=None,
    html_template: str | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> bool:
    """Queue one e-mail unless one with `key` was already queued. Returns True if queued now."""
    message = Outgoing(
        key=key,
        to=to,
        subject_template=subject_template,
        body_template=body_template,
        context=context,
        language=language,
        municipality=municipality,
        html_template=html_template,
        attachments=attachments,
    )
    return send_many([message]) == 1


def send_many(messages: Iterable[Outgoing]) -> int:
    """`send_once` for many e-mails; returns how many were queued now.

    The keys already taken are read in one query and those e-mails are not even rendered; the rest are
    written in one INSERT. Two callers racing for the same key: the second waits on the unique index
    and its row is dropped (ignore_conflicts), so the e-mail is still queued once."""
    messages = list(messages)
    if not messages:
        return 0
    taken = set(
        SentMessage.objects.filter(idempotency_key__in={m.key for m in messages})
        .order_by()  # a set: no need to sort
        .values_list("idempotency_key", flat=True)
    )
    rows = []
    for message in messages:
        if not deliverable(message.to):
            continue
        if message.key not in taken:
            taken.add(message.key)  # the same key twice in one batch is still one e-mail
            rows.append(_render(message))
    if not rows:
        return 0
    SentMessage.objects.bulk_create(rows, ignore_conflicts=True)
    drain_after_commit()
    return len(rows)


def deliverable(address: str) -> bool:
    """An erased person's placeholder address ends in .invalid (RFC 2606: never delivered); an empty one
    is an erased or missing address. Neither is queued, so no server is asked to bounce it."""
    address = (address or "").strip().lower()
    return bool(address) and not address.endswith(".invalid")


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template (a subject or a .txt body) rendered without HTML escaping: an e-mail's text
    is not HTML, so a name such as ח'אלד must arrive as written, not as `ח&#x27;אלד`. Includes and
    extends inherit the context's autoescape, so the whole text is rendered the same way."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def _render(message: Outgoing) -> SentMessage:
    language = message.language
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "language": language, **message.context}
        subject = " ".join(render_text(message.subject_template, context).split())
        body = render_text(message.body_template, context)
        html = render_to_string(message.html_template, context) if message.html_template else ""
    now = timezone.now()
    return SentMessage(
        idempotency_key=message.key,
        to=message.to,
        subject=subject[:300],
        language=language,
        municipality=message.municipality,
        body_text=body,
        body_html=html,
        attachments=[_stored(a) for a in message.attachments],
        topic=":".join(message.key.split(":")[:2])[:60],
        about=message.about,
        recipient_ref=message.recipient_ref,
        queued_at=now,
        next_attempt_at=now,
    )


def _stored(attachment: Attachment) -> dict:
    if isinstance(attachment.content, bytes):
        content, encoded = base64.b64encode(attachment.content).decode("ascii"), True
    else:
        content, encoded = attachment.content, False
    return {
        "filename": attachment.filename,
        "mimetype": attachment.mimetype,
        "content": content,
        "base64": encoded,
    }


def sent_bodies_purge(*, now=None) -> int:
    """Empty the bodies and attachments of e-mails sent (or failed for good) longer ago than the
    retention setting: the once-only key, the recipient, the state and its time stay, for the meeting's
    e-mail page and so that nothing is sent twice. Returns how many rows were emptied."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.KEHILA_OUTBOX_BODY_RETENTION_DAYS)
    finished = SentMessage.objects.filter(
        state__in=[SentMessage.State.SENT, SentMessage.State.FAILED], queued_at__lt=cutoff
    ).exclude(body_text="", body_html="", attachments=[])
    return finished.update(body_text="", body_html="", attachments=[])


def requeue_failed(keys: Iterable[str]) -> int:
    """Give failed e-mails among `keys` a fresh start (a manager's "send again"); sent ones stay sent."""
    count = SentMessage.objects.filter(idempotency_key__in=list(keys), state=State.FAILED).update(
        state=State.QUEUED, attempts=0, next_attempt_at=timezone.now(), claim_token=""
    )
    if count:
        drain_after_commit()
    return count


def drain_after_commit() -> None:
    """Queue the drain task once the caller's transaction commits (at once outside a transaction).

    Once per transaction, not once per e-mail. Inside a task the drain goes to the queue that task came
    from, so the workers of a dedicated queue drain what they queued."""
    if connection.in_atomic_block and any(
        func is _queue_drain for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_queue_drain)


def _queue_drain() -> None:
    from celery import current_task

    from .tasks import outbox_drain

    queue = None
    if current_task and current_task.request and not current_task.request.is_eager:
        queue = (current_task.request.delivery_info or {}).get("routing_key") or None
    try:
        outbox_drain.apply_async(queue=queue)
    except Exception:
        # The rows are committed: beat's sweep sends them within a minute. A broker hiccup must
        # not turn a saved change into an error page.
        logger.exception("could not queue the outbox drain; beat's sweep will send the e-mails")


# --- the sender ------------------------------------------------------------------------------------


def lease() -> timedelta:
    return timedelta(seconds=settings.KEHILA_OUTBOX_LEASE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failed attempt, at most six hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _claimable(now) -> Q:
    """Due rows, and rows whose sender died; never those of a paused municipality, which stay queued
    (held, not dropped, not failed) until HQ reopens it (kehila.pausing)."""
    due = Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(
        state=State.SENDING, lease_expires_at__lte=now
    )
    # A subquery, not a join: FOR UPDATE may not lock the nullable side of an outer join (PostgreSQL).
    paused = Municipality.objects.filter(paused_at__isnull=False).values("pk")
    return due & (Q(municipality__isnull=True) | ~Q(municipality_id__in=paused))


def outbox_claim(*, limit: int) -> tuple[str, list[SentMessage]]:
    """Claim up to `limit` due rows for this sender; returns the claim's token and the rows.

    On PostgreSQL the candidates are locked with SKIP LOCKED, so two senders never wait on each other
    and never take the same row. The UPDATE repeats the condition, so on SQLite (no row locks; writes
    are serialised) a row another sender claimed in between is not taken twice."""
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        candidates = SentMessage.objects.filter(_claimable(now)).order_by("next_attempt_at", "pk")
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return token, []
        _take(ids, token, now)
    rows = list(SentMessage.objects.filter(claim_token=token, state=State.SENDING).order_by("pk"))
    return token, rows


def _take(ids: list[int], token: str, now) -> int:
    """Claim those of `ids` that are still claimable; another sender may have taken some meanwhile."""
    return SentMessage.objects.filter(_claimable(now), pk__in=ids).update(
        state=State.SENDING,
        claim_token=token,
        lease_expires_at=now + lease(),
        attempts=F("attempts") + 1,
    )


def outbox_drain(*, batch: int = 20, time_limit: float | None = None) -> tuple[int, bool]:
    """Send due e-mails until none is left or `time_limit` seconds passed; returns (sent, more_left).

    The time limit keeps a drain well inside its lease and the broker's visibility timeout."""
    started = time.monotonic()
    sent = 0
    while True:
        token, rows = outbox_claim(limit=batch)
        if not rows:
            return sent, False
        done, healthy = _send_claimed(token, rows)
        sent += done
        if not healthy:
            # The server is unreachable or dropped us: leave the rest to the next sweep.
            return sent, False
        # Checked after a batch, so that every drain makes progress however short its limit.
        if time_limit is not None and time.monotonic() - started > time_limit:
            return sent, True


def _send_claimed(token: str, rows: list[SentMessage]) -> tuple[int, bool]:
    """Send claimed rows; (how many went out, whether the connection is still good)."""
    mailer = get_connection()
    # One SMTP login for the batch. Other backends get a connection per e-mail (the file backend
    # writes everything one connection is given into one file; the portal writes one per e-mail).
    smtp = isinstance(mailer, SMTPBackend)
    sent = 0
    try:
        if smtp:
            try:
                mailer.open()
            except (OSError, smtplib.SMTPException) as exc:
                _release(token, [row.pk for row in rows], exc)
                return 0, False
        # Rows claimed but not reached within half the lease are handed back, so that a slow server
        # (EMAIL_TIMEOUT per e-mail) never lets a lease run out under a live sender.
        deadline = time.monotonic() + lease().total_seconds() / 2
        for index, row in enumerate(rows):
            if index and time.monotonic() > deadline:
                _release(token, [r.pk for r in rows[index:]], None)
                break
            try:
                _message(row, mailer if smtp else get_connection()).send()
            except Exception as exc:
                permanent = _is_permanent(exc)
                _mark_failed(token, row, exc, permanent=permanent)
                if not permanent and _connection_lost(exc):
                    _release(token, [r.pk for r in rows[index + 1 :]], exc)
                    return sent, False
                continue
            # Its own statement, outside any transaction in a worker: durable the moment it returns.
            SentMessage.objects.filter(pk=row.pk, claim_token=token).update(
                state=State.SENT, sent_at=timezone.now(), lease_expires_at=None, last_error=""
            )
            sent += 1
    finally:
        if smtp:
            try:
                mailer.close()
            except Exception:  # noqa: S110 - a connection that will not close is dropped anyway
                pass
    return sent, True


def _message(row: SentMessage, mailer) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(row.subject, row.body_text, None, [row.to], connection=mailer)
    if row.body_html:
        email.attach_alternative(row.body_html, "text/html")
    for item in row.attachments:
        content = base64.b64decode(item["content"]) if item.get("base64") else item["content"]
        email.attach(item["filename"], content, item["mimetype"])
    return email


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer is the server's final word; 4xx, timeouts and dropped connections are worth a retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPConnectError):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _connection_lost(exc: Exception) -> bool:
    # smtplib's errors are OSErrors too; only these mean the connection itself is gone.
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{code} {_text(msg)}" for code, msg in exc.recipients.values()]
        return "; ".join(parts)[:2000]
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"[:2000]
    return f"{type(exc).__name__}: {exc}"[:2000]


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _mark_failed(token: str, row: SentMessage, exc: Exception, *, permanent: bool) -> None:
    reason = _reason(exc)
    if permanent or row.attempts >= settings.KEHILA_OUTBOX_MAX_ATTEMPTS:
        logger.warning("e-mail %s to %s failed: %s", row.pk, row.to, reason)
        update = {"state": State.FAILED, "lease_expires_at": None}
    else:
        update = {
            "state": State.QUEUED,
            "lease_expires_at": None,
            "next_attempt_at": timezone.now() + backoff(row.attempts),
        }
    SentMessage.objects.filter(pk=row.pk, claim_token=token).update(last_error=reason, **update)


def _release(token: str, ids: list[int], exc: Exception | None) -> None:
    """Hand claimed rows back untried: the attempt was not theirs, so it is not counted."""
    if ids:
        update = {"last_error": _reason(exc)} if exc is not None else {}
        SentMessage.objects.filter(pk__in=ids, claim_token=token, state=State.SENDING).update(
            state=State.QUEUED, lease_expires_at=None, attempts=F("attempts") - 1, **update
        )
