"""The outbox: the e-mails the portal decided to send (kehila.mail queues them, the worker sends them)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .municipalities import Municipality


class SentMessage(models.Model):
    """The outbox: one row per e-mail the portal decided to send, written in the same transaction as the
    change that causes it, so that the change and its e-mail commit together or not at all.

    The unique key makes a retried task, a second tick or a second worker queue each e-mail once. The
    message is rendered when it is queued (in the recipient's language), so a sender needs nothing but
    this row. A sender claims a row with a lease; a row whose lease ran out (its sender died) is claimed
    again, which is the one way an e-mail can go out twice: the SMTP server accepted it just before the
    sender could mark it sent."""

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("e-mail state", "Queued")
        SENDING = "sending", pgettext_lazy("e-mail state", "Sending")
        SENT = "sent", pgettext_lazy("e-mail state", "Sent")
        FAILED = "failed", pgettext_lazy("e-mail state", "Failed")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sent_messages",
        verbose_name=_("municipality"),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    language = models.CharField(_("language"), max_length=10)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename", "mimetype", "content", "base64"}]: the .ics travels with its row.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # What the e-mail is about, as plain strings so that the core never imports a stage app:
    # topic "committees:invite", about "committees.meeting:12", recipient_ref "committees.invitation:34".
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    about = models.CharField(_("about"), max_length=100, blank=True)
    recipient_ref = models.CharField(_("recipient reference"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    claim_token = models.CharField(_("claim"), max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-queued_at"]
        indexes = [
            # The sender's claim: due queued rows, and sending rows whose lease ran out.
            models.Index(fields=["state", "next_attempt_at"], name="kehila_outbox_due"),
            models.Index(fields=["state", "lease_expires_at"], name="kehila_outbox_lease"),
            models.Index(fields=["about", "queued_at"], name="kehila_outbox_about"),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"
