"""A track's work plan: its actions on a Gantt with their budget, and its logic model. The track comes
in the query string (?track=social)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.forms import add_service_errors
from kehila.models import Municipality, Track
from kehila.permissions import can, require
from kehila.tenancy import municipality_view

from .. import charts, selectors
from .. import plan_services as services
from ..access import access_action, access_action_budget
from ..models import Action, ActionKind, IndicatorReading, LogicModel, Objective
from ..plan_content import action_data, budget_sums, progress_rows, readings_by_objective
from ..plan_forms import ActionBudgetForm, ActionForm, LogicModelForm
from .common import page_url


@dataclass(frozen=True)
class TrackScope:
    """What `can(user, "edit_track", obj)` needs: the municipality and the track."""

    municipality: Municipality
    track: str


def _track_or_404(request) -> str:
    """The track comes in the query string (?track=social): it is a name, not an object."""
    track = request.GET.get("track", "")
    if track not in Track.values:
        raise Http404
    return track


def _track_url(request, track: str, name: str = "track") -> str:
    return page_url(request, name) + f"?track={track}"


def _objective_data(o: Objective) -> dict:
    """An objective as plan_content() writes it, for the pages that read the live rows."""
    return {
        "id": o.pk,
        "title": o.title,
        "indicator": o.indicator,
        "unit": o.unit,
        "baseline_value": o.baseline_value,
        "baseline_date": o.baseline_date.isoformat(),
        "target_value": o.target_value,
        "target_date": o.target_date.isoformat(),
        "owner": o.owner,
        "track": o.track,
    }


@municipality_view("view_plan")
def track_plan(request):
    track = _track_or_404(request)
    # One plan per municipality: its actions are the municipality's, read without the plan's row.
    actions = list(
        Action.objects.filter(municipality=request.municipality, track=track)
        .select_related("objective")
        .prefetch_related("budget_lines")
    )
    data = [action_data(a) for a in actions]
    label = dict(Track.choices)[track]
    objectives = [
        _objective_data(o)
        for o in Objective.objects.filter(municipality=request.municipality, track=track)
    ]
    readings = readings_by_objective(
        IndicatorReading.objects.filter(municipality=request.municipality, objective__track=track)
        .values_list("objective_id", "measured_on", "value", named=True)
        .order_by("measured_on", "id")
    )
    return render(
        request,
        "strategy/track.html",
        {
            "track": track,
            "track_label": label,
            "actions": actions,
            "rows": list(zip(actions, data, strict=True)),
            "sums": budget_sums(data),
            "gantt": charts.gantt(
                data, title=_("Gantt chart of the %(track)s track") % {"track": label}
            ),
            "progress": progress_rows(objectives, readings),
            "may_edit_track": can(
                request.user, "edit_track", TrackScope(request.municipality, track)
            ),
            "kinds": dict(ActionKind.choices),
        },
    )


@municipality_view("view_plan")
def action_add(request):
    track = _track_or_404(request)
    require(request.user, "edit_track", TrackScope(request.municipality, track))
    the_plan = selectors.plan_of(request.municipality)
    form = ActionForm(
        request.POST or None,
        plan=the_plan,
        user=request.user,
        instance=Action(municipality=request.municipality, plan=the_plan, track=track),
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_add(
                plan=the_plan, user=request.user, track=track, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action was added. Now add its budget."))
            return redirect(page_url(request, "action_budget", action_id=action.pk))
    return render(
        request,
        "strategy/action_form.html",
        {"form": form, "track": track, "track_label": dict(Track.choices)[track]},
    )


@municipality_view("view_plan")
def action_edit(request, action_id):
    action = access_action(request, action_id, "edit_track")
    form = ActionForm(request.POST or None, plan=action.plan, user=request.user, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_track_url(request, action.track))
    return render(
        request,
        "strategy/action_form.html",
        {
            "form": form,
            "track": action.track,
            "track_label": action.get_track_display(),
            "action": action,
        },
    )


@municipality_view("view_plan")
def action_budget(request, action_id):
    action = access_action(request, action_id, "edit_track")
    form = ActionBudgetForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_budget_add(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The budget line was added."))
            if request.POST.get("another"):
                return redirect(page_url(request, "action_budget", action_id=action.pk))
            return redirect(_track_url(request, action.track))
    return render(
        request,
        "strategy/action_budget_form.html",
        {"form": form, "action": action, "lines": list(action.budget_lines.all())},
    )


@municipality_view("view_plan")
def action_delete(request, action_id):
    action = access_action(request, action_id, "edit_track")
    if request.method != "POST":
        return redirect(_track_url(request, action.track))
    services.action_delete(action=action, user=request.user)
    messages.success(request, _("The action was removed."))
    return redirect(_track_url(request, action.track))


@municipality_view("view_plan")
def action_budget_delete(request, action_line_id):
    line = access_action_budget(request, action_line_id, "edit_track")
    if request.method == "POST":
        services.action_budget_delete(line=line, user=request.user)
        messages.success(request, _("The budget line was removed."))
    return redirect(page_url(request, "action_budget", action_id=line.action_id))


def _stages(model) -> list[tuple[str, str]]:
    """A logic model's six stages in order, each with its label and text (empty without a model)."""
    labels = [
        ("inputs", _("Inputs")),
        ("activities", _("Activities")),
        ("outputs", _("Outputs")),
        ("short_term", _("Short-term outcomes")),
        ("medium_term", _("Medium-term outcomes")),
        ("long_term", _("Long-term outcomes")),
    ]
    return [(label, getattr(model, name) if model else "") for name, label in labels]


@municipality_view("view_plan")
def logic_model(request):
    track = _track_or_404(request)
    the_plan = selectors.plan_of(request.municipality)
    model = LogicModel.objects.filter(municipality=request.municipality, track=track).first()
    may_edit = can(request.user, "edit_track", TrackScope(request.municipality, track))
    initial = {stage: getattr(model, stage) for stage in LogicModel.STAGES} if model else {}
    form = LogicModelForm(request.POST or None, initial=initial) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            services.logic_model_save(
                plan=the_plan, user=request.user, track=track, **form.cleaned_data
            )
            messages.success(request, _("Saved."))
            return redirect(_track_url(request, track, "logic_model"))
    stages = _stages(model)
    label = dict(Track.choices)[track]
    return render(
        request,
        "strategy/logic_model.html",
        {
            "track": track,
            "track_label": label,
            "stages": stages,
            "diagram": charts.logic_model(
                stages, title=_("Logic model of the %(track)s track") % {"track": label}
            ),
            "objectives": Objective.objects.filter(municipality=request.municipality, track=track),
            "form": form,
        },
    )
