"""The approval workflow of versioned documents that the mayor's office approves and two sides sign:
submit, approve or return, sign, supersede. Generic: the agreements document and the strategic plan
both use it. The models it moves along (statuses, sides, the abstract version and signature) are
strategy/models/approvals.py.

Why snapshots and hashes: what the mayor signs must be provably the exact text in force. Each version's
content is serialised to canonical JSON (sorted keys, no insignificant whitespace, UTF-8) and hashed with
SHA-256; the hash is frozen at submission and recorded with every signature. Only a DRAFT version may be
edited; every other status is locked, and a change means a new version that must be approved again.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehila.audit import log_action
from kehila.permissions import require

from .models.approvals import ApprovableVersion, SignatureSide, VersionStatus

# Which permission action signs for which side.
SIGN_ACTIONS = {
    SignatureSide.MUNICIPALITY: "sign_for_municipality",
    SignatureSide.PROGRAM: "sign_for_program",
}


class WorkflowError(Exception):
    """A refused transition. `message` is translated and safe to show to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def ensure_editable(version: ApprovableVersion) -> None:
    """Every edit of a version's content calls this first: a locked version never changes."""
    if version.status in (VersionStatus.IN_FORCE,) or version.signatures.exists():
        raise WorkflowError(
            _(
                "This version is signed and can no longer change. Start a new version to make changes."
            )
        )
    if version.status != VersionStatus.DRAFT:
        raise WorkflowError(
            _(
                "This version is %(status)s and can no longer change. "
                "Start a new version to make changes."
            )
            % {"status": version.get_status_display()}
        )


def _locked_for_update(version: ApprovableVersion) -> ApprovableVersion:
    """Re-read the row under a lock so that two clicks cannot both pass the status check."""
    return type(version).objects.select_for_update().get(pk=version.pk)


@transaction.atomic
def submit(*, version: ApprovableVersion, user) -> ApprovableVersion:
    require(user, "submit_for_approval", version)
    version = _locked_for_update(version)
    if version.status != VersionStatus.DRAFT:
        raise WorkflowError(_("Only a draft can be submitted for approval."))
    version.content_hash = version.compute_hash()
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = timezone.now()
    version.submitted_by = user
    version.full_clean()
    version.save()
    log_action(
        actor=user, action="version.submit", obj=version, data={"sha256": version.content_hash}
    )
    return version


def _decide(version, user, status, comment, action_name):
    require(user, "approve", version)
    version = _locked_for_update(version)
    if version.status != VersionStatus.SUBMITTED:
        raise WorkflowError(_("Only a version awaiting approval can be approved or returned."))
    version.status = status
    version.decided_at = timezone.now()
    version.decided_by = user
    version.review_comment = comment
    version.full_clean()
    version.save()
    log_action(
        actor=user,
        action=action_name,
        obj=version,
        data={"sha256": version.content_hash, "comment": comment},
    )
    return version


@transaction.atomic
def approve(*, version: ApprovableVersion, user, comment: str = "") -> ApprovableVersion:
    return _decide(version, user, VersionStatus.APPROVED, comment, "version.approve")


@transaction.atomic
def return_with_comments(*, version: ApprovableVersion, user, comment: str) -> ApprovableVersion:
    if not comment.strip():
        raise WorkflowError(_("Say what needs to change: a returned version needs a comment."))
    return _decide(version, user, VersionStatus.RETURNED, comment.strip(), "version.return")


@transaction.atomic
def sign(*, version: ApprovableVersion, user, side: str):
    """Record one side's signature; the second signature puts the version in force."""
    require(user, SIGN_ACTIONS[SignatureSide(side)], version)
    version = _locked_for_update(version)
    if version.status == VersionStatus.SUPERSEDED:
        raise WorkflowError(_("A newer version exists: this one can no longer be signed."))
    if version.signature_for(side) is not None:
        raise WorkflowError(_("This version is already signed for this side."))
    if version.status != VersionStatus.APPROVED:
        raise WorkflowError(_("Only a version the mayor's office approved can be signed."))
    digest = version.compute_hash()
    if digest != version.content_hash:
        raise WorkflowError(
            _("The version's content does not match its hash; it cannot be signed.")
        )
    signature_model = version.signatures.model
    signature = signature_model(
        municipality=version.municipality,
        version=version,
        side=side,
        signed_by=user,
        signed_at=timezone.now(),
        sha256=digest,
    )
    signature.full_clean()
    signature.save()
    log_action(actor=user, action=f"version.sign.{side}", obj=version, data={"sha256": digest})
    if all(version.signature_for(s) is not None for s in SignatureSide.values):
        now = timezone.now()
        for previous in version.siblings().filter(status=VersionStatus.IN_FORCE):
            previous.status = VersionStatus.SUPERSEDED
            previous.save(update_fields=["status"])
            log_action(actor=user, action="version.supersede", obj=previous)
        version.status = VersionStatus.IN_FORCE
        version.in_force_at = now
        version.save(update_fields=["status", "in_force_at"])
        log_action(actor=user, action="version.in_force", obj=version, data={"sha256": digest})
    return signature


def supersede_pending(*, versions: models.QuerySet, user) -> int:
    """A new version replaces any version still waiting for approval or signatures."""
    count = 0
    for version in versions.select_for_update().filter(
        status__in=[VersionStatus.SUBMITTED, VersionStatus.APPROVED]
    ):
        version.status = VersionStatus.SUPERSEDED
        version.save(update_fields=["status"])
        log_action(actor=user, action="version.supersede", obj=version)
        count += 1
    return count
