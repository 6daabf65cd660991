"""The stakeholders panel on the municipality dashboard: counts by stage and consent (one query)."""

from django.db.models import Count

from kehila.permissions import can

from . import selectors
from .models import Consent, Engagement, EngagementStage


def panel(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None or not can(request.user, "view_partner_aggregates", municipality):
        return None
    # The dashboard view has loaded the program already (request.program): no second look-up.
    program = getattr(request, "program", None) or selectors.program_for(municipality)
    return {
        "template": "partners/dashboard_panel.html",
        "context": _counts(program),
        "order": 20,
    }


def _counts(program) -> dict:
    """Both tables from one grouped query (stage × consent), summed here: one query instead of two."""
    stages: dict[str, int] = {}
    consents: dict[str, int] = {}
    for stage, consent, n in (
        Engagement.objects.filter(program=program)
        .order_by()
        .values_list("stage", "consent")
        .annotate(n=Count("id"))
        .values_list("stage", "consent", "n")
    ):
        stages[stage] = stages.get(stage, 0) + n
        consents[consent] = consents.get(consent, 0) + n
    return {
        "stages": [(s.label, stages.get(s.value, 0)) for s in EngagementStage],
        "consents": [(c.label, consents.get(c.value, 0)) for c in Consent],
        "total": sum(stages.values()),
    }
