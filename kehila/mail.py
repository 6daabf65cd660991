"""E-mail that is sent once and in the recipient's language.

Every e-mail of the portal goes through `send_once` (or `send_many`, the same for a batch). Why a key: beat ticks, task retries and two workers
must never send the same message twice, and luck is not a guarantee. The key's row is inserted in the
same transaction as the send; a concurrent second sender blocks on the unique index and then finds it
taken; a failed send rolls the row back so that a retry may try again.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import SentMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to send once: what `send_once` takes, as a value, so that many go out in one batch."""

    key: str
    to: str
    subject_template: str
    body_template: str
    context: dict
    language: str = "he"
    municipality: object = None
    html_template: str | None = None
    attachments: tuple[Attachment, ...] = ()


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
    """Render and send one e-mail unless a message with `key` was already sent. Returns True if sent now."""
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
    """`send_once` for many e-mails (the tick's invitations and warnings); returns how many were sent now.

    The keys already taken are read in one query and those e-mails are not even rendered; the rest go out
    over one mail connection (one SMTP login, not one per e-mail), each still claimed in its own
    transaction, so a failure or a crash leaves the e-mails before it sent and recorded, as `send_once`
    one by one would."""
    messages = list(messages)
    if not messages:
        return 0
    taken = set(
        SentMessage.objects.filter(idempotency_key__in={m.key for m in messages})
        .order_by()  # a set: no need to sort by the model's date
        .values_list("idempotency_key", flat=True)
    )
    pending = []
    for message in messages:
        if message.key not in taken:
            taken.add(message.key)  # the same key twice in one batch is still one e-mail
            pending.append(message)
    if not pending:
        return 0
    mailer = get_connection()
    # One SMTP login for the whole batch. Other backends get a connection per e-mail as before (one
    # file backend writes everything it is given into one file; the portal writes one per e-mail).
    if not isinstance(mailer, SMTPBackend):
        return sum(_send(message, None) for message in pending)
    with mailer:
        return sum(_send(message, mailer) for message in pending)


def _send(message: Outgoing, mailer) -> bool:
    # In a transaction of its own (the tick's case), the commit does not wait for the disk: a flush per
    # e-mail made it 5.4 ms instead of 1.4 ms on a busy machine (issue 9). The row is visible to every
    # other sender the moment it commits, so nothing is sent twice; only a crash of the database server
    # itself within a fraction of a second of a send could lose its row (and send that e-mail again on
    # the next run), no wider a window than the one between a send and its commit that every
    # claim-then-send already has. Inside a caller's transaction the setting would weaken the caller's
    # own commit, so it is left alone there.
    own_transaction = not connection.in_atomic_block
    language = message.language
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "language": language, **message.context}
        subject = " ".join(render_to_string(message.subject_template, context).split())
        body = render_to_string(message.body_template, context)
        html = render_to_string(message.html_template, context) if message.html_template else None
    try:
        with transaction.atomic():
            if own_transaction and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            SentMessage.objects.create(
                idempotency_key=message.key,
                to=message.to,
                subject=subject[:300],
                language=language,
                municipality=message.municipality,
            )
            email = EmailMultiAlternatives(subject, body, None, [message.to], connection=mailer)
            if html:
                email.attach_alternative(html, "text/html")
            for attachment in message.attachments:
                email.attach(attachment.filename, attachment.content, attachment.mimetype)
            email.send()
    except IntegrityError:
        return False
    return True
