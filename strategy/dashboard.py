"""The kickoff panel on the municipality dashboard: checklist progress and where the agreement stands."""

from django.template.loader import render_to_string
from django.urls import reverse

from kehila import cache
from kehila.permissions import can

from . import inbox, selectors
from .models import AgreementVersion, VersionStatus
from .signals import PLAN_TOPIC


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


def plan_panel(request):
    """The strategic plan on the dashboard: where its latest version stands and each objective's
    latest reading against its target. The rendered card is cached until the plan changes
    (strategy/signals.py bumps on every version, objective and reading): it is the same for everyone
    who may see the plan, and unpickling the progress rows with their thousands of readings cost more
    than the card itself. Three queries when it is not cached."""
    municipality = request.municipality
    if not can(request.user, "view_plan", municipality):
        return None
    return {"html": plan_panel_fragment(municipality), "order": 20}


def plan_panel_fragment(municipality) -> str:
    """The card from the cache, rendered on a miss (and nightly by strategy.warm)."""
    return cache.fragment(
        PLAN_TOPIC, municipality.pk, "dashboard-panel", lambda: _plan_panel_html(municipality)
    )


def _plan_panel_html(municipality) -> str:
    from .models import PlanVersion

    # The stored content is the whole plan (hundreds of KB of JSON): the panel needs the status only.
    latest = (
        PlanVersion.objects.filter(municipality=municipality)
        .defer("content")
        .order_by("-number")
        .first()
    )
    context = {
        "latest": latest,
        "progress": _progress(municipality),
        "url": reverse("strategy:plan", kwargs={"slug": municipality.slug}),
        "public_url": reverse("strategy_public:plan", kwargs={"slug": municipality.slug}),
    }
    # A SafeString: it stays one through the cache's pickle, so the dashboard outputs it as is.
    return render_to_string("strategy/plan_dashboard_panel.html", {"panel": context})


def _progress(municipality) -> list[dict]:
    from .models import IndicatorReading, Objective
    from .plan_content import progress_rows, readings_by_objective

    objectives = [
        {
            "id": o.pk,
            "title": o.title,
            "indicator": o.indicator,
            "unit": o.unit,
            "baseline_value": o.baseline_value,
            "baseline_date": o.baseline_date.isoformat(),
            "target_value": o.target_value,
            "target_date": o.target_date.isoformat(),
            "track": o.track,
        }
        for o in Objective.objects.filter(municipality=municipality).order_by("goal_id", "id")
    ]
    readings = readings_by_objective(
        IndicatorReading.objects.filter(municipality=municipality)
        .values_list("objective_id", "measured_on", "value", named=True)
        .order_by("measured_on", "id")
    )
    return progress_rows(objectives, readings, charts=False)
