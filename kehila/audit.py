"""The audit trail's one entry point, so every approval, signature, export and role change is recorded alike."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditLog


def log_action(
    *, actor, action: str, obj=None, municipality=None, data: dict | None = None
) -> AuditLog:
    if municipality is None and obj is not None:
        municipality = getattr(obj, "municipality", None)
    entry = AuditLog(
        municipality=municipality,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=data or {},
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    return entry


def audit_redact(*, model, ids, label: str) -> int:
    """After an erasure: the trail keeps what happened, when, by whom and to which row, but no longer the
    name the row was shown by (object_repr is str(obj) at the time, e.g. a person's full name)."""
    content_type = ContentType.objects.get_for_model(model)
    return AuditLog.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in ids]
    ).update(object_repr=label)
