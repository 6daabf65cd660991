"""The onboarding checklist of a new municipality, ticked from facts, never by hand.

Bottom layer: the core never imports a stage app. Each app registers its own items from its
`AppConfig.ready()` (`<app>/onboarding.py`), as it registers its consistency checks; the core registers
its own below. A fact is `fact(municipality) -> QuerySet` whose existence is the fact; `municipality` may
be an `OuterRef`, so that every fact becomes an `Exists` annotation and the whole checklist is one query
whatever the number of items (or none: the dashboard reads it with the program it loads anyway).
`url(municipality) -> str | None` is where the item is done (a reverse(), no query).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse

from .models import Municipality, Program, Role
from .permissions import role_holders


@dataclass(frozen=True)
class _Registered:
    key: str
    label: object  # a lazy string: translated when the checklist is drawn
    fact: Callable
    url: Callable | None
    order: int


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    done: bool
    url: str | None


_ITEMS: dict[str, _Registered] = {}


def register_item(key: str, label, fact_fn, url_fn=None, order: int = 100) -> None:
    """Add an item; registering a key again replaces it (an app's ready() may run twice in tests)."""
    _ITEMS[key] = _Registered(key=key, label=label, fact=fact_fn, url=url_fn, order=order)


def registered_keys() -> list[str]:
    return [r.key for r in _sorted()]


def _sorted() -> list[_Registered]:
    return sorted(_ITEMS.values(), key=lambda r: (r.order, r.key))


def _name(key: str) -> str:
    return f"onboarding_{key}"


def fact_annotations(ref: str = "pk") -> dict[str, Exists]:
    """Every item's fact as an annotation on a query whose `ref` field is the municipality."""
    outer = OuterRef(ref)
    return {_name(r.key): Exists(r.fact(outer)) for r in _sorted()}


def checklist(municipality, facts=None) -> list[Item]:
    """The items in order. `facts` is a row annotated with `fact_annotations()`; without it, one query."""
    if facts is None:
        facts = Municipality.objects.annotate(**fact_annotations()).get(pk=municipality.pk)
    return [
        Item(
            key=r.key,
            label=str(r.label),
            done=bool(getattr(facts, _name(r.key))),
            url=r.url(municipality) if r.url else None,
        )
        for r in _sorted()
    ]


def is_complete(items: list[Item]) -> bool:
    return all(item.done for item in items)


# --- the core's own items ---------------------------------------------------------------------------


def _manager_joined(municipality):
    # Joined means the manager has logged in, not only that HQ created the role.
    return role_holders(municipality, Role.MANAGER).filter(user__last_login__isnull=False)


def _mayor_office_invited(municipality):
    return role_holders(municipality, Role.MAYOR_OFFICE)


def _timeline_laid_out(municipality):
    return Program.objects.filter(municipality=municipality, scope_decision_date__isnull=False)


def _register_core() -> None:
    from django.utils.translation import gettext_lazy as _

    register_item("manager_joined", _("The program manager has joined"), _manager_joined, order=10)
    register_item(
        "mayor_office", _("The mayor's office is invited"), _mayor_office_invited, order=20
    )
    register_item(
        "timeline",
        _("The timeline is laid out (scope decision)"),
        _timeline_laid_out,
        lambda m: reverse("kehila:timeline", kwargs={"slug": m.slug}),
        order=90,
    )


_register_core()
