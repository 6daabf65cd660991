"""Signed stays signed: what refuses a change to a signed version, and what re-checks its hash.

A version is signed once it has a signature. From then on its content (the version's own fields, and for
the agreements document its sections, budget lines and milestones) and its signatures never change. The
rules are enforced at every depth: the services (`approvals.ensure_editable`), the admin (read-only), the
ORM (the model and QuerySet guards here) and the database (the triggers of migration 0005, which also
catch raw SQL). What may still change on a signed version is its place in the workflow: the status moves
on to "in force" and "superseded", and the users who created, submitted or decided it may be erased.

Because a guard can still be bypassed by someone with the database's owner rights, every page and PDF of
a signed version also re-computes the hash of what it shows and compares it with the signed hash
(`signature_check`), and `manage.py verify_signatures` does the same for every signed document weekly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The version's fields that follow the workflow after signing; every other field is frozen.
SIGNED_MUTABLE_FIELDS = frozenset(
    {"status", "in_force_at", "created_by", "submitted_by", "decided_by"}
)
# A signed version is approved (one side signed), in force (both did) or superseded by a newer one.
SIGNED_STATUSES = frozenset({"approved", "in_force", "superseded"})


class SignedVersionError(Exception):
    """A refused change to a signed version or a signature. `message` is translated."""

    def __init__(self, message=None):
        self.message = message or _(
            "This version is signed: its content and its signatures can no longer change."
        )
        super().__init__(str(self.message))


def _mutable_field_names(names) -> set[str]:
    """Accept both `created_by` and `created_by_id` as the same field."""
    return {name[:-3] if name.endswith("_id") else name for name in names}


def signed_change_allowed(fields, status=None) -> bool:
    """Whether writing these fields (with this status) can leave a signed version's content intact."""
    if not _mutable_field_names(fields) <= SIGNED_MUTABLE_FIELDS:
        return False
    return status is None or status in SIGNED_STATUSES


class SignedVersionQuerySet(models.QuerySet):
    """Versions: `update()` and `delete()` cannot go round the model's guard."""

    def update(self, **kwargs):
        if not signed_change_allowed(kwargs, kwargs.get("status")) and self._any_signed():
            raise SignedVersionError()
        return super().update(**kwargs)

    def delete(self):
        if self._any_signed():
            raise SignedVersionError()
        return super().delete()

    def _any_signed(self) -> bool:
        return self.filter(signatures__isnull=False).exists()


class SignedContentQuerySet(models.QuerySet):
    """A version's content rows: none of a signed version is written, added or removed in bulk."""

    def update(self, **kwargs):
        target = kwargs.get("version", kwargs.get("version_id"))
        if self.filter(version__signatures__isnull=False).exists() or (
            target is not None and _versions_signed(self.model, [target])
        ):
            raise SignedVersionError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(version__signatures__isnull=False).exists():
            raise SignedVersionError()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if _versions_signed(self.model, [obj.version_id for obj in objs]):
            raise SignedVersionError()
        return super().bulk_create(objs, *args, **kwargs)


class SignatureQuerySet(models.QuerySet):
    """Signatures are made once (`approvals.sign`) and then never changed or removed."""

    def update(self, **kwargs):
        raise SignedVersionError()

    def delete(self):
        raise SignedVersionError()


def _versions_signed(content_model, version_ids) -> bool:
    ids = {getattr(v, "pk", v) for v in version_ids if v is not None}
    if not ids:
        return False
    version_model = content_model._meta.get_field("version").related_model
    return version_model.objects.filter(pk__in=ids, signatures__isnull=False).exists()


class SignedVersionGuard(models.Model):
    """For ApprovableVersion: a signed version saves only its workflow fields and is never deleted."""

    objects = SignedVersionQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and not self._state.adding:
            quick = update_fields is not None and signed_change_allowed(update_fields, self.status)
            if not quick:
                self._refuse_if_signed_content_changes()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and self.signatures.exists():
            raise SignedVersionError()
        return super().delete(*args, **kwargs)

    def _refuse_if_signed_content_changes(self) -> None:
        if not type(self).objects.filter(pk=self.pk, signatures__isnull=False).exists():
            return
        if self.status not in SIGNED_STATUSES:
            raise SignedVersionError()
        stored = type(self)._base_manager.get(pk=self.pk)
        for field in self._meta.concrete_fields:
            if field.name in SIGNED_MUTABLE_FIELDS:
                continue
            if field.value_from_object(self) != field.value_from_object(stored):
                raise SignedVersionError()


class SignedContentGuard(models.Model):
    """For a version's content rows (they have a `version` FK): nothing of a signed version changes."""

    objects = SignedContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if _versions_signed(type(self), self._version_ids()):
            raise SignedVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _versions_signed(type(self), self._version_ids()):
            raise SignedVersionError()
        return super().delete(*args, **kwargs)

    def _version_ids(self) -> list:
        ids = [self.version_id]
        if self.pk is not None and not self._state.adding:
            ids += type(self)._base_manager.filter(pk=self.pk).values_list("version_id", flat=True)
        return ids


class SignatureGuard(models.Model):
    """For VersionSignature: a signature is inserted once, never updated nor deleted."""

    objects = SignatureQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SignedVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedVersionError()


# --- the hash re-check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """The hash of what a page shows against the hashes the version was signed with."""

    computed: str
    signed: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return all(digest == self.computed for digest in self.signed)

    @property
    def signed_hash(self) -> str:
        """The hash the signatures carry (the first that differs from the computed one, if any)."""
        return next((d for d in self.signed if d != self.computed), self.signed[0])


def signature_check(version, *, where: str) -> SignatureCheck | None:
    """Re-compute the hash of a signed version from its rows in hand (prefetched by the caller, so no
    query) and log a mismatch. None for a version nobody signed."""
    signatures = list(version.signatures.all())
    if not signatures:
        return None
    check = SignatureCheck(
        computed=version.compute_hash(),
        signed=(version.content_hash, *(s.sha256 for s in signatures)),
    )
    if not check.ok:
        logger.error(
            "Signed %s %s (id %s, municipality %s) does not match its signatures: "
            "content SHA-256 %s, signed SHA-256 %s (seen on %s)",
            version._meta.model_name,
            version.number,
            version.pk,
            version.municipality_id,
            check.computed,
            check.signed_hash,
            where,
        )
    return check
