"""The generic models of a versioned document that the mayor's office approves and two sides sign: the
workflow's statuses and sides, and the abstract version and signature that a concrete document subclasses.

A concrete document supplies a version model (subclass of `ApprovableVersion`, implementing `snapshot()`
and `signature_model()`) and a signature model (subclass of `VersionSignature` with a `version` FK,
related name "signatures"). The hash that a signature binds to the text is `sha256_of` the canonical
JSON of `snapshot()`. The workflow that moves a version along is strategy/approvals.py.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..signed import SignatureGuard, SignedVersionGuard


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the mayor's office")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved, awaiting signatures")
    IN_FORCE = "in_force", _("Signed and in force")
    SUPERSEDED = "superseded", _("Superseded")


class SignatureSide(models.TextChoices):
    MUNICIPALITY = "municipality", _("For the municipality")
    PROGRAM = "program", _("For the program's management")


def canonical_json(data) -> bytes:
    def default(value):
        if isinstance(value, Decimal):
            return format(value.quantize(Decimal("0.01")), "f")
        if hasattr(value, "isoformat"):
            return value.isoformat()
        raise TypeError(f"cannot serialise {type(value).__name__}")

    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default
    ).encode("utf-8")


def sha256_of(data) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


class ApprovableVersion(SignedVersionGuard):
    """One numbered version of a document and where it stands in the approval workflow."""

    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus, default=VersionStatus.DRAFT
    )
    content_hash = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    review_comment = models.TextField(_("comments of the mayor's office"), blank=True)
    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)

    class Meta:
        abstract = True

    # --- what a concrete document supplies -------------------------------------------------------
    def get_absolute_url(self) -> str:
        raise NotImplementedError

    def snapshot(self) -> dict:
        raise NotImplementedError

    def document_label(self) -> str:
        raise NotImplementedError

    def siblings(self) -> models.QuerySet:
        """All versions of the same document."""
        raise NotImplementedError

    # --- derived ----------------------------------------------------------------------------------
    def compute_hash(self) -> str:
        return sha256_of(self.snapshot())

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_locked(self) -> bool:
        return not self.is_editable

    def signature_for(self, side: str):
        for signature in self.signatures.all():
            if signature.side == side:
                return signature
        return None


class VersionSignature(SignatureGuard):
    """Who signed which exact version, when, for which side: the hash binds the signature to the text."""

    side = models.CharField(_("signed for"), max_length=20, choices=SignatureSide)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    sha256 = models.CharField(_("SHA-256 of the signed version"), max_length=64)

    class Meta:
        abstract = True
