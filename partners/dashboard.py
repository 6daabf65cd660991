"""The stakeholders panel on the municipality dashboard: counts by stage and consent (three queries)."""

from kehila.permissions import can

from . import selectors


def panel(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None or not can(request.user, "view_partner_aggregates", municipality):
        return None
    program = selectors.program_for(municipality)
    return {
        "template": "partners/dashboard_panel.html",
        "context": selectors.stage_and_consent_counts(program),
        "order": 20,
    }
