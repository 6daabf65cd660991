"""HQ pauses a municipality and reopens it (issue 16). Bottom layer: no stage app is imported.

A pause deletes nothing and changes nothing but these fields: while they are set, kehila.permissions
refuses every write action on the municipality (every page, service, task and command asks it), the
outbox holds its e-mails (kehila.mail keeps them queued, unclaimed) and the daily tick passes it by
(kehila.tasks, kehila.scheduling). Reopening clears the fields; the held e-mails then go out and the next
tick catches up, as after any day the tick missed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import log_action
from .models import Municipality
from .permissions import require


@transaction.atomic
def municipality_pause(*, municipality: Municipality, reason: str, actor) -> Municipality:
    require(actor, "pause_municipality", municipality)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if municipality.paused_at is not None:
        raise ValidationError(_("This municipality is already paused."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the municipality is paused.")})
    municipality.paused_at = timezone.now()
    municipality.paused_by = actor
    municipality.pause_reason = reason
    municipality.save(update_fields=["paused_at", "paused_by", "pause_reason"])
    log_action(
        actor=actor,
        action="municipality.pause",
        obj=municipality,
        municipality=municipality,
        data={"reason": reason},
    )
    return municipality


@transaction.atomic
def municipality_reopen(*, municipality: Municipality, actor) -> Municipality:
    require(actor, "pause_municipality", municipality)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if municipality.paused_at is None:
        raise ValidationError(_("This municipality is not paused."))
    data = {
        "paused_at": municipality.paused_at.isoformat(),
        "paused_by": municipality.paused_by_id,
        "reason": municipality.pause_reason,
    }
    municipality.paused_at = None
    municipality.paused_by = None
    municipality.pause_reason = ""
    municipality.save(update_fields=["paused_at", "paused_by", "pause_reason"])
    log_action(
        actor=actor,
        action="municipality.reopen",
        obj=municipality,
        municipality=municipality,
        data=data,
    )
    # What the outbox held goes out now rather than at beat's next sweep.
    from .mail import drain_after_commit

    drain_after_commit()
    return municipality
