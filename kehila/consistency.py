"""Data that never contradicts itself: every rule a program's data must keep, checked.

A gate stops a contradiction from being made through the portal; a check finds one that was made anyway
(before the gate existed, through a bulk import, the admin or a generator). Each app registers one check
function per rule it owns, `check(municipality, today) -> iterable of Contradiction`, so the core never
imports a stage app. A check reads only that municipality, with a fixed number of queries whatever its
size, and writes its sentences in the active language (the command and HQ's page activate the user's).

An object a gate was opened for (kehila.gates.gate_override, with a written reason) is not a
contradiction: the exception is recorded, not hidden. Checks that guard a gate skip those objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import GateOverride, Milestone, Municipality


@dataclass(frozen=True)
class Contradiction:
    """One thing that cannot be true together with another: what, in a sentence, and where to mend it."""

    rule: str
    text: str
    url: str = ""


Check = Callable[[Municipality, date], Iterable[Contradiction]]

# rule key -> (what the rule says, the check); the rule's sentence heads its group on HQ's page.
CHECKS: dict[str, tuple[str, Check]] = {}


def register_check(rule: str, label, check: Check) -> None:
    """Add a rule. Registering the same key twice replaces it (app reloads in tests stay harmless)."""
    CHECKS[rule] = (label, check)


def contradictions(municipality: Municipality, *, today: date | None = None) -> list[Contradiction]:
    """Every contradiction in one municipality's data, rule by rule in registration order."""
    today = today or timezone.localdate()
    found: list[Contradiction] = []
    for rule, (_label, check) in CHECKS.items():
        for item in check(municipality, today):
            found.append(item if item.rule == rule else Contradiction(rule, item.text, item.url))
    return found


def rule_label(rule: str) -> str:
    return str(CHECKS[rule][0]) if rule in CHECKS else rule


def overridden_ids(municipality: Municipality, gate: str, model) -> set[str]:
    """The primary keys (as text) of `model` objects whose `gate` was opened with a reason: one query."""
    return set(
        GateOverride.objects.filter(
            municipality=municipality,
            gate=gate,
            content_type=ContentType.objects.get_for_model(model),
        ).values_list("object_id", flat=True)
    )


def local_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# The core's own rules: the timeline's facts.


def _milestones_held_in_the_future(municipality: Municipality, today: date):
    url = reverse("kehila:timeline", kwargs={"slug": municipality.slug})
    for milestone in Milestone.objects.filter(
        municipality=municipality, status=Milestone.Status.HELD, actual__gt=today
    ).order_by("actual", "key"):
        yield Contradiction(
            "kehila.held_in_future",
            gettext("%(milestone)s is recorded as held on %(date)s, which has not come yet")
            % {"milestone": milestone.title, "date": local_date(milestone.actual)},
            url,
        )


register_check(
    "kehila.held_in_future",
    _("A milestone is held only on a day that has come"),
    _milestones_held_in_the_future,
)
