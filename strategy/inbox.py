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


PROVIDERS: list[str] = [
    "strategy.inbox.agreement_items",
]


def items_for(municipality) -> list[InboxItem]:
    items: list[InboxItem] = []
    for path in PROVIDERS:
        items.extend(import_string(path)(municipality))
    return sorted(items, key=lambda i: (i.submitted_at is None, i.submitted_at))
