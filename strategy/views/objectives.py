"""The plan's goals, their measurable objectives and the objectives' indicator readings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.forms import add_service_errors
from kehila.tenancy import get_for_municipality, municipality_view

from .. import plan_services as services
from .. import selectors
from ..access import access_objective
from ..models import Goal, Objective
from ..plan_forms import GoalForm, ObjectiveForm, ReadingForm
from .common import need, page_url


@municipality_view("edit_plan")
def goal_add(request):
    the_plan = selectors.plan_of(request.municipality)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.goal_add(plan=the_plan, user=request.user, **form.cleaned_data)
        messages.success(request, _("The goal was added."))
        return redirect(page_url(request, "plan") + "#goals")
    return render(request, "strategy/goal_form.html", {"form": form})


@municipality_view("edit_plan")
def objective_add(request, goal_id):
    goal = get_for_municipality(Goal, request.municipality, pk=goal_id)
    form = ObjectiveForm(
        request.POST or None, instance=Objective(municipality=request.municipality, goal=goal)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_add(goal=goal, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The objective was added."))
            return redirect(page_url(request, "plan") + "#goals")
    return render(request, "strategy/objective_form.html", {"form": form, "goal": goal})


@municipality_view("edit_plan")
def goal_edit(request, goal_id):
    goal = get_for_municipality(Goal, request.municipality, pk=goal_id)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        services.goal_update(goal=goal, user=request.user, **form.cleaned_data)
        messages.success(request, _("The goal was saved."))
        return redirect(page_url(request, "plan") + "#goals")
    return render(request, "strategy/goal_form.html", {"form": form, "goal": goal})


@municipality_view("view_plan")
def goal_delete(request, goal_id):
    goal = get_for_municipality(Goal, request.municipality, pk=goal_id)
    refused = need(request, "edit_plan", post=True)
    if refused:
        return refused
    services.goal_delete(goal=goal, user=request.user)
    messages.success(request, _("The goal was removed."))
    return redirect(page_url(request, "plan") + "#goals")


@municipality_view("edit_plan")
def objective_edit(request, objective_id):
    objective = get_for_municipality(
        Objective.objects.select_related("goal"), request.municipality, pk=objective_id
    )
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(objective=objective, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The objective was saved."))
            return redirect(page_url(request, "plan") + "#goals")
    return render(
        request,
        "strategy/objective_form.html",
        {"form": form, "goal": objective.goal, "objective": objective},
    )


@municipality_view("view_plan")
def objective_delete(request, objective_id):
    objective = get_for_municipality(Objective, request.municipality, pk=objective_id)
    refused = need(request, "edit_plan", post=True)
    if refused:
        return refused
    services.objective_delete(objective=objective, user=request.user)
    messages.success(request, _("The objective was removed."))
    return redirect(page_url(request, "plan") + "#goals")


@municipality_view("view_plan")
def reading_add(request, objective_id):
    objective = access_objective(request, objective_id, "edit_track")
    form = ReadingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reading_add(objective=objective, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reading was recorded."))
            return redirect(page_url(request, "plan") + "#progress")
    return render(request, "strategy/reading_form.html", {"form": form, "objective": objective})
