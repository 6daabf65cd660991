"""The strategic plan's main page and its vision."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.models import Track
from kehila.tenancy import municipality_view

from .. import plan_services as services
from .. import selectors
from ..guidance import challenge_count_warning, track_count_warning
from ..models import FocusChallenge, IndicatorReading, PlanVersion
from ..plan_content import (
    all_objectives,
    budget_sums,
    plan_content,
    progress_rows,
    readings_by_objective,
)
from ..plan_forms import PlanForm
from .common import page_url


def _readings(municipality):
    return readings_by_objective(
        IndicatorReading.objects.filter(municipality=municipality)
        .values_list("objective_id", "measured_on", "value", named=True)
        .order_by("measured_on", "id")
    )


@municipality_view("view_plan")
def plan(request):
    municipality = request.municipality
    the_plan = selectors.plan_of(municipality)
    content = plan_content(the_plan)
    versions = list(
        PlanVersion.objects.filter(municipality=municipality)
        .defer("content")
        .select_related("created_by")
        .prefetch_related("signatures__signed_by")
        .order_by("-number")
    )
    challenges = list(FocusChallenge.objects.filter(municipality=municipality))
    scope = services.current_scope_decision(municipality)
    tracks = scope.tracks if scope and scope.tracks else list(municipality.program.tracks)
    track_labels = dict(Track.choices)
    sums = budget_sums(content["actions"])
    return render(
        request,
        "strategy/plan.html",
        {
            "plan": the_plan,
            "content": content,
            "scope": scope,
            "scope_warning": track_count_warning(scope.tracks) if scope else "",
            "challenges": challenges,
            "challenge_warning": challenge_count_warning(len(challenges)),
            "tracks": [{"value": t, "label": track_labels[t]} for t in tracks if t in track_labels]
            or [{"value": t, "label": label} for t, label in Track.choices],
            "sums": sums,
            "planned_total": sums.total + the_plan.flexible_budget,
            "progress": progress_rows(all_objectives(content), _readings(municipality)),
            "versions": versions,
            "latest": versions[0] if versions else None,
        },
    )


@municipality_view("edit_plan")
def plan_edit(request):
    the_plan = selectors.plan_of(request.municipality)
    form = PlanForm(request.POST or None, instance=the_plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=the_plan, user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(page_url(request, "plan"))
    return render(request, "strategy/plan_form.html", {"form": form})
