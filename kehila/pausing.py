"""HQ pauses a municipality and reopens it. Bottom layer: no stage app is imported.

A pause deletes nothing and changes nothing but these fields: while they are set, kehila.permissions
refuses every write action on the municipality (every page, service, task and command asks it), the
outbox holds its e-mails (kehila.mail keeps them queued, unclaimed) and the daily tick passes it by
(kehila.tasks, kehila.scheduling). Reopening clears the fields; the held e-mails then go out and the next
tick catches up, as after any day the tick missed.
"""

from functools import wraps

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
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


# --- public pages ---------------------------------------------------------------------------------
# Pages outside /m/<slug>/ (personal links, open calls, hackathon forms) have no account to ask
# can() about, so they ask this instead, before they read the form: one check, one page, one wording.


class ProgramPaused(Exception):
    """A public write refused because HQ paused the municipality; views decorated with
    `refuses_while_paused` turn it into the notice page."""

    def __init__(self, municipality: Municipality):
        self.municipality = municipality
        super().__init__(public_paused_message(municipality))


def public_paused_message(municipality: Municipality) -> str:
    """What a resident reads: no names of HQ staff, no internal reason, only that it waits."""
    return _(
        "The program of %(municipality)s is paused for now: nothing can be sent or changed here "
        "until it reopens. Nothing you sent before is lost; please come back later."
    ) % {"municipality": municipality.name}


def public_paused_notice(municipality: Municipality | None) -> str:
    """The notice a public page shows in place of its form on GET, or "" when it is open."""
    if municipality is None or municipality.paused_at is None:
        return ""
    return public_paused_message(municipality)


def refuse_if_paused(municipality: Municipality | None) -> None:
    if municipality is not None and municipality.paused_at is not None:
        raise ProgramPaused(municipality)


def public_paused_response(request, municipality: Municipality):
    # 403, as the municipality's own pages answer: the portal is up and the request was understood;
    # it is refused by HQ's decision. A 503 would page the on-call engineer and tell crawlers and
    # monitors that the server is down, which it is not.
    return render(
        request,
        "kehila/public_paused.html",
        {"message": public_paused_message(municipality), "paused_municipality": municipality},
        status=403,
    )


def refuses_while_paused(view):
    """Public views that write: a ProgramPaused raised anywhere inside becomes the notice page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ProgramPaused as paused:
            return public_paused_response(request, paused.municipality)

    return wrapper
