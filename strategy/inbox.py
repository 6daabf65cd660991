"""The mayor's office inbox: everything across the portal that waits for the mayor's office approval.

Each document type plugs in a provider `(municipality) -> list[InboxItem]` listed in PROVIDERS; the
scope decision and the strategic plan add theirs when they land. Approve and return post to the item's
own URLs, so each document keeps its own workflow service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class InboxItem:
    kind: str
    title: str
    submitted_at: datetime | None
    submitted_by: str
    url: str
    approve_url: str
    return_url: str
    key: str  # unique on the page, used for element ids


def agreement_items(municipality) -> list[InboxItem]:
    from .selectors import versions_awaiting_approval

    items = []
    for version in versions_awaiting_approval(municipality):
        kwargs = {"slug": municipality.slug, "version_id": version.pk}
        items.append(
            InboxItem(
                kind=_("Agreements document"),
                title=str(version),
                submitted_at=version.submitted_at,
                submitted_by=(
                    version.submitted_by.get_full_name() or version.submitted_by.get_username()
                )
                if version.submitted_by
                else "—",
                url=reverse("strategy:version", kwargs=kwargs),
                approve_url=reverse("strategy:version_approve", kwargs=kwargs),
                return_url=reverse("strategy:version_return", kwargs=kwargs),
                key=f"agreement-{version.pk}",
            )
        )
    return items


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


def scope_items(municipality) -> list[InboxItem]:
    from .models import ScopeDecision, VersionStatus

    items = []
    for decision in ScopeDecision.objects.filter(
        municipality=municipality, status=VersionStatus.SUBMITTED
    ).select_related("submitted_by"):
        kwargs = {"slug": municipality.slug, "decision_id": decision.pk}
        items.append(
            InboxItem(
                kind=_("Scope decision"),
                title=str(decision),
                submitted_at=decision.submitted_at,
                submitted_by=_who(decision.submitted_by),
                url=reverse("strategy:plan", kwargs={"slug": municipality.slug}) + "#scope",
                approve_url=reverse("strategy:scope_approve", kwargs=kwargs),
                return_url=reverse("strategy:scope_return", kwargs=kwargs),
                key=f"scope-{decision.pk}",
            )
        )
    return items


def plan_items(municipality) -> list[InboxItem]:
    from .models import PlanVersion, VersionStatus

    items = []
    for version in (
        PlanVersion.objects.filter(municipality=municipality, status=VersionStatus.SUBMITTED)
        .select_related("submitted_by")
        .defer("content")
    ):
        kwargs = {"slug": municipality.slug, "plan_version_id": version.pk}
        items.append(
            InboxItem(
                kind=_("Strategic plan"),
                title=str(version),
                submitted_at=version.submitted_at,
                submitted_by=_who(version.submitted_by),
                url=reverse("strategy:plan_version", kwargs=kwargs),
                approve_url=reverse("strategy:plan_version_approve", kwargs=kwargs),
                return_url=reverse("strategy:plan_version_return", kwargs=kwargs),
                key=f"plan-{version.pk}",
            )
        )
    return items


PROVIDERS: list[str] = [
    "strategy.inbox.agreement_items",
    "strategy.inbox.scope_items",
    "strategy.inbox.plan_items",
]


def items_for(municipality) -> list[InboxItem]:
    items: list[InboxItem] = []
    for path in PROVIDERS:
        items.extend(import_string(path)(municipality))
    return sorted(items, key=lambda i: (i.submitted_at is None, i.submitted_at))
