"""E-mail that is sent once and in the recipient's language.

Every e-mail of the portal goes through `send_once`. Why a key: beat ticks, task retries and two workers
must never send the same message twice, and luck is not a guarantee. The key's row is inserted in the
same transaction as the send; a concurrent second sender blocks on the unique index and then finds it
taken; a failed send rolls the row back so that a retry may try again.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import SentMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


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
    if SentMessage.objects.filter(idempotency_key=key).exists():
        return False
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
        html = render_to_string(html_template, context) if html_template else None
    try:
        with transaction.atomic():
            SentMessage.objects.create(
                idempotency_key=key,
                to=to,
                subject=subject[:300],
                language=language,
                municipality=municipality,
            )
            message = EmailMultiAlternatives(subject, body, None, [to])
            if html:
                message.attach_alternative(html, "text/html")
            for attachment in attachments:
                message.attach(attachment.filename, attachment.content, attachment.mimetype)
            message.send()
    except IntegrityError:
        return False
    return True
