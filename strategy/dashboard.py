"""The kickoff panel on the municipality dashboard: checklist progress and where the agreement stands."""

from django.urls import reverse

from kehila.permissions import can

from . import inbox, selectors
from .agreements import AgreementVersion
from .approvals import VersionStatus


def panel(request):
    municipality = request.municipality
    if not can(request.user, "view_agreement", municipality):
        return None
    versions = list(
        AgreementVersion.objects.filter(municipality=municipality)
        .exclude(status=VersionStatus.SUPERSEDED)
        .order_by("-number")[:3]
    )
    in_force = next((v for v in versions if v.status == VersionStatus.IN_FORCE), None)
    awaiting = 0
    if can(request.user, "approve", municipality):
        awaiting = len(inbox.items_for(municipality))
    return {
        "template": "strategy/dashboard_panel.html",
        "order": 10,
        "context": {
            "progress": selectors.kickoff_progress(municipality),
            "latest": versions[0] if versions else None,
            "in_force": in_force,
            "awaiting": awaiting,
            "url": reverse("strategy:agreement", kwargs={"slug": municipality.slug}),
            "inbox_url": reverse("strategy:inbox", kwargs={"slug": municipality.slug}),
        },
    }
