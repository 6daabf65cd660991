"""What the portal keeps on record: the audit trail, the log of access to residents' contact details
(kehila.privacy), and the gates opened by exception."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .municipalities import Municipality, TenantOwned


class AuditLog(models.Model):
    """Who did what, when: approvals, signatures, exports, role changes. Written only by audit.log_action."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("municipality"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class ContactAccess(TenantOwned):
    """One view or export of people's contact details: who, when, where, which people.

    Israel's Privacy Protection (Data Security) Regulations ask a database owner to document access to
    personal data. One row per request, never one per person, so that a page keeps its query count: the
    people are `<app>.<model>:<pk>` keys in one JSON list. Written only by kehila.privacy.log_contact_access;
    rows older than KEHILA_CONTACT_LOG_RETENTION_DAYS are removed by a nightly task.
    """

    class Purpose(models.TextChoices):
        VIEW = "view", pgettext_lazy("contact access", "Viewed")
        EXPORT = "export", pgettext_lazy("contact access", "Exported")
        PERSON_EXPORT = "person_export", _("Exported everything about a person")
        ERASURE = "erasure", _("Erased a person")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept beside the link: the log must still say who it was after the account is deleted.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)
    where = models.CharField(_("page or export"), max_length=100)
    purpose = models.CharField(_("access"), max_length=20, choices=Purpose, default=Purpose.VIEW)
    count = models.PositiveIntegerField(_("number of people"), default=0)
    people = models.JSONField(_("people"), default=list, blank=True)

    class Meta:
        verbose_name = _("contact-details access")
        verbose_name_plural = _("contact-details access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["municipality", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.where} ({self.count})"


class GateOverride(TenantOwned):
    """A gate between the program's stages opened for one object, by HQ or the manager, with a written
    reason: the real world sometimes needs the exception, and the record says who took it and why."""

    gate = models.CharField(_("gate"), max_length=60)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("gate override")
        verbose_name_plural = _("gate overrides")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gate", "content_type", "object_id"], name="kehila_gate_override_once"
            )
        ]

    def __str__(self):
        return f"{self.gate} {self.content_type_id}:{self.object_id}"
