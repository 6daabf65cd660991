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
