"""Gates between the program's stages: each gate refuses with what is missing and where to mend
it; HQ or the manager may open a gate for one object with a written reason, recorded in the audit trail and
shown on the object.

A stage app decides what is missing for its own gate and calls `gate_check`; the core only keeps the
overrides, so it never imports a stage app. Gate keys are registered in GATES with a label for the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit import log_action
from .models import GateOverride
from .permissions import municipality_of, require

# gate key -> what it guards, as the override form and the object's page name it. Stage apps add theirs.
GATES: dict[str, str] = {}


def register_gate(key: str, label) -> str:
    GATES[key] = label
    return key


@dataclass(frozen=True)
class Missing:
    """One thing a gate waits for: a sentence the user reads, and the page where it is mended."""

    text: str
    url: str = ""


class GateClosed(ValidationError):
    """A gate refused: `missing` says what is lacking (with links); the message lists it in one sentence."""

    def __init__(self, gate: str, missing: list[Missing]):
        self.gate = gate
        self.missing = list(missing)
        listed = "; ".join(str(m.text) for m in self.missing)
        super().__init__(gettext("Not yet: %(missing)s.") % {"missing": listed}, code="gate_closed")


def _key(obj) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(obj), str(obj.pk)


def override_for(gate: str, obj) -> GateOverride | None:
    content_type, object_id = _key(obj)
    return GateOverride.objects.filter(
        gate=gate, content_type=content_type, object_id=object_id
    ).first()


def overrides_on(obj) -> list[GateOverride]:
    """Every gate opened for this object, newest first: what the object's page shows."""
    content_type, object_id = _key(obj)
    return list(
        GateOverride.objects.filter(content_type=content_type, object_id=object_id).select_related(
            "by"
        )
    )


def gate_check(*, gate: str, obj, missing: list[Missing]) -> GateOverride | None:
    """Pass if nothing is missing, or if the gate was opened for this object (returns the override, so the
    caller may say so); otherwise raise GateClosed with what is missing."""
    if gate not in GATES:
        raise KeyError(f"Unknown gate {gate!r}: register it with kehila.gates.register_gate")
    if not missing:
        return None
    opened = override_for(gate, obj)
    if opened is not None:
        return opened
    raise GateClosed(gate, missing)


@transaction.atomic
def gate_override(*, actor, gate: str, obj, reason: str) -> GateOverride:
    """Open `gate` for `obj` with a written reason. Once per gate and object: a second call returns the
    first override unchanged (a double submit does one thing)."""
    if gate not in GATES:
        raise KeyError(f"Unknown gate {gate!r}: register it with kehila.gates.register_gate")
    require(actor, "override_gate", obj)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the gate is opened: the reason is recorded.")})
    existing = override_for(gate, obj)
    if existing is not None:
        return existing
    content_type, object_id = _key(obj)
    try:
        with transaction.atomic():
            opened = GateOverride.objects.create(
                municipality=municipality_of(obj),
                gate=gate,
                content_type=content_type,
                object_id=object_id,
                reason=reason,
                by=actor,
            )
    except IntegrityError:
        return override_for(gate, obj)
    log_action(actor=actor, action="gate.override", obj=obj, data={"gate": gate, "reason": reason})
    return opened
