"""Pages of the strategic plan: scope decision, focus challenges, vision and objectives, track work
plans (Gantt and budget), plan versions and their approval, and the public page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kehila import cache
from kehila.gates import GateClosed, overrides_on
from kehila.models import Municipality, Track
from kehila.permissions import can, require
from kehila.rows import date_formatter
from kehila.tenancy import get_for_municipality, municipality_view

from . import charts, gates, selectors
from . import plan_services as services
from .access import access_action, access_action_budget, access_objective
from .approvals import SIGN_ACTIONS, WorkflowError
from .forms import GateOverrideForm, ReturnForm
from .guidance import challenge_count_warning, track_count_warning
from .models import (
    Action,
    ActionKind,
    FocusChallenge,
    Goal,
    IndicatorReading,
    Objective,
    PlanVersion,
    ScopeDecision,
    SignatureSide,
    VersionStatus,
)
from .plan_content import (
    budget_sums,
    plan_content,
    progress_rows,
    readings_by_objective,
)
from .plan_forms import (
    ActionBudgetForm,
    ActionForm,
    ChallengeForm,
    GoalForm,
    ObjectiveForm,
    PlanForm,
    ReadingForm,
    ScopeDecisionForm,
)
from .signals import PLAN_TOPIC
from .signed import signature_check
from .views import _apply_errors, _need, _safe_next, _url, gate_refused


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
    return _url(request, name) + f"?track={track}"


def _all_objectives(content):
    return [o for g in content["goals"] for o in g["objectives"]]


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


def _readings(municipality):
    return readings_by_objective(
        IndicatorReading.objects.filter(municipality=municipality)
        .values_list("objective_id", "measured_on", "value", named=True)
        .order_by("measured_on", "id")
    )


# --- the plan's main page ------------------------------------------------------------------------


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
            "progress": progress_rows(_all_objectives(content), _readings(municipality)),
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
        return redirect(_url(request, "plan"))
    return render(request, "strategy/plan_form.html", {"form": form})


# --- scope decision ------------------------------------------------------------------------------


@municipality_view("edit_plan")
def scope_edit(request):
    decision = services.current_scope_decision(request.municipality)
    initial = {}
    if decision is not None:
        initial = {
            "decided_on": decision.decided_on,
            "tracks": decision.tracks,
            "geographic_focus": decision.geographic_focus,
            "boundaries": decision.boundaries,
        }
    form = ScopeDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _decision, warning = services.scope_decision_save(
                municipality=request.municipality, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The scope decision was saved."))
            if warning:
                messages.warning(request, warning)
            return redirect(_url(request, "plan") + "#scope")
    return render(request, "strategy/scope_form.html", {"form": form, "decision": decision})


def _scope_action(request, decision_id, action, fn, success):
    decision = get_for_municipality(ScopeDecision, request.municipality, pk=decision_id)
    refused = _need(request, action, post=True)
    if refused:
        return refused
    try:
        fn(decision=decision, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(_safe_next(request, _url(request, "plan") + "#scope"))


@municipality_view("view_plan")
def scope_submit(request, decision_id):
    return _scope_action(
        request,
        decision_id,
        "submit_for_approval",
        services.scope_decision_submit,
        _("Submitted to the mayor's office for approval."),
    )


@municipality_view("view_plan")
def scope_approve(request, decision_id):
    return _scope_action(
        request,
        decision_id,
        "approve",
        services.scope_decision_approve,
        _("The scope decision was approved: its date is T0 and the timeline was planned from it."),
    )


@municipality_view("view_plan")
def scope_return(request, decision_id):
    decision = get_for_municipality(ScopeDecision, request.municipality, pk=decision_id)
    refused = _need(request, "approve")
    if refused:
        return refused
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.scope_decision_return(
                decision=decision, user=request.user, comment=form.cleaned_data["comment"]
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Returned to the program team with your comments."))
        return redirect(_safe_next(request, _url(request, "plan") + "#scope"))
    return render(request, "strategy/scope_return_form.html", {"form": form, "version": decision})


# --- focus challenges ----------------------------------------------------------------------------


@municipality_view("view_plan")
def challenges(request):
    items = list(FocusChallenge.objects.filter(municipality=request.municipality))
    form = ChallengeForm(
        request.POST or None, instance=FocusChallenge(municipality=request.municipality)
    )
    if request.method == "POST":
        require(request.user, "edit_plan", request.municipality)
        if form.is_valid():
            try:
                services.challenge_save(
                    municipality=request.municipality, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The focus challenge was saved."))
                return redirect(_url(request, "challenges"))
    return render(
        request,
        "strategy/challenges.html",
        {"challenges": items, "form": form, "warning": challenge_count_warning(len(items))},
    )


@municipality_view("edit_plan")
def challenge_edit(request, challenge_id):
    challenge = get_for_municipality(FocusChallenge, request.municipality, pk=challenge_id)
    form = ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_save(
                municipality=request.municipality,
                user=request.user,
                challenge=challenge,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The focus challenge was saved."))
            return redirect(_url(request, "challenges"))
    return render(request, "strategy/challenge_form.html", {"form": form, "challenge": challenge})


@municipality_view("view_plan")
def challenge_delete(request, challenge_id):
    challenge = get_for_municipality(FocusChallenge, request.municipality, pk=challenge_id)
    refused = _need(request, "edit_plan", post=True)
    if refused:
        return refused
    services.challenge_delete(challenge=challenge, user=request.user)
    messages.success(request, _("The focus challenge was removed."))
    return redirect(_url(request, "challenges"))


# --- goals, objectives, readings -----------------------------------------------------------------


@municipality_view("edit_plan")
def goal_add(request):
    the_plan = selectors.plan_of(request.municipality)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.goal_add(plan=the_plan, user=request.user, **form.cleaned_data)
        messages.success(request, _("The goal was added."))
        return redirect(_url(request, "plan") + "#goals")
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("The objective was added."))
            return redirect(_url(request, "plan") + "#goals")
    return render(request, "strategy/objective_form.html", {"form": form, "goal": goal})


@municipality_view("edit_plan")
def goal_edit(request, goal_id):
    goal = get_for_municipality(Goal, request.municipality, pk=goal_id)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        services.goal_update(goal=goal, user=request.user, **form.cleaned_data)
        messages.success(request, _("The goal was saved."))
        return redirect(_url(request, "plan") + "#goals")
    return render(request, "strategy/goal_form.html", {"form": form, "goal": goal})


@municipality_view("view_plan")
def goal_delete(request, goal_id):
    goal = get_for_municipality(Goal, request.municipality, pk=goal_id)
    refused = _need(request, "edit_plan", post=True)
    if refused:
        return refused
    services.goal_delete(goal=goal, user=request.user)
    messages.success(request, _("The goal was removed."))
    return redirect(_url(request, "plan") + "#goals")


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
            _apply_errors(form, error)
        else:
            messages.success(request, _("The objective was saved."))
            return redirect(_url(request, "plan") + "#goals")
    return render(
        request,
        "strategy/objective_form.html",
        {"form": form, "goal": objective.goal, "objective": objective},
    )


@municipality_view("view_plan")
def objective_delete(request, objective_id):
    objective = get_for_municipality(Objective, request.municipality, pk=objective_id)
    refused = _need(request, "edit_plan", post=True)
    if refused:
        return refused
    services.objective_delete(objective=objective, user=request.user)
    messages.success(request, _("The objective was removed."))
    return redirect(_url(request, "plan") + "#goals")


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
            return redirect(_url(request, "plan") + "#progress")
    return render(request, "strategy/reading_form.html", {"form": form, "objective": objective})


# --- track work plans ----------------------------------------------------------------------------


@municipality_view("view_plan")
def track_plan(request):
    track = _track_or_404(request)
    # One plan per municipality: its actions are the municipality's, read without the plan's row.
    actions = list(
        Action.objects.filter(municipality=request.municipality, track=track)
        .select_related("objective")
        .prefetch_related("budget_lines")
    )
    from .plan_content import action_data

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
            _apply_errors(form, error)
        else:
            messages.success(request, _("The action was added. Now add its budget."))
            return redirect(_url(request, "action_budget", action_id=action.pk))
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
            _apply_errors(form, error)
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("The budget line was added."))
            if request.POST.get("another"):
                return redirect(_url(request, "action_budget", action_id=action.pk))
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
    return redirect(_url(request, "action_budget", action_id=line.action_id))


# --- plan versions -------------------------------------------------------------------------------


@municipality_view("edit_plan")
def plan_assemble(request):
    if request.method != "POST":
        return redirect(_url(request, "plan"))
    the_plan = selectors.plan_of(request.municipality)
    try:
        version = services.plan_assemble(plan=the_plan, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_url(request, "plan"))
    messages.success(
        request,
        _("Version %(number)s was assembled from the plan's parts.") % {"number": version.number},
    )
    return redirect(_url(request, "plan_version", plan_version_id=version.pk))


def _plan_sign_sides(request, version):
    if version.status != VersionStatus.APPROVED:
        return []
    signed = {s.side for s in version.signatures.all()}
    return [
        {"value": side.value, "label": side.label}
        for side in SignatureSide
        if side.value not in signed and can(request.user, SIGN_ACTIONS[side], request.municipality)
    ]


@municipality_view("view_plan")
def plan_version(request, plan_version_id):
    version = get_for_municipality(
        PlanVersion.objects.prefetch_related("signatures__signed_by"),
        request.municipality,
        pk=plan_version_id,
    )
    content = version.content
    return render(
        request,
        "strategy/plan_version.html",
        {
            "version": version,
            "content": content,
            "sums": budget_sums(content.get("actions", [])),
            "signatures": {s.side: s for s in version.signatures.all()},
            "sign_sides": _plan_sign_sides(request, version),
            "signature_check": signature_check(version, where=request.path),
            "track_labels": dict(Track.choices),
            "overrides": overrides_on(version),
        },
    )


def _plan_step(request, plan_version_id, action, fn, success, **extra):
    version = get_for_municipality(PlanVersion, request.municipality, pk=plan_version_id)
    refused = _need(request, action, post=True)
    if refused:
        return refused
    try:
        fn(version=version, user=request.user, **extra)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(_safe_next(request, _url(request, "plan_version", plan_version_id=version.pk)))


@municipality_view("view_plan")
def plan_version_submit(request, plan_version_id):
    """POST submits; a refused gate redirects to the GET of this address, which shows what is missing."""
    if request.method != "POST":
        version = get_for_municipality(PlanVersion, request.municipality, pk=plan_version_id)
        refused = _need(request, "submit_for_approval")
        if refused:
            return refused
        try:
            if version.is_editable:
                gates.plan_submit_check(version)
        except GateClosed as closed:
            return _plan_gate_refused(request, version.pk, closed)
        return redirect(_url(request, "plan_version", plan_version_id=version.pk))
    try:
        return _plan_step(
            request,
            plan_version_id,
            "submit_for_approval",
            services.plan_submit,
            _("Submitted to the mayor's office for approval."),
        )
    except GateClosed:
        return redirect(_url(request, "plan_version_submit", plan_version_id=plan_version_id))


def _plan_gate_refused(request, plan_version_id, closed, form=None):
    return gate_refused(
        request,
        closed,
        heading=_("The strategic plan cannot go to the steering committee yet"),
        override_url=_url(request, "plan_version_open_gate", plan_version_id=plan_version_id),
        back_url=_url(request, "plan_version", plan_version_id=plan_version_id),
        form=form,
    )


@municipality_view("view_plan")
def plan_version_open_gate(request, plan_version_id):
    version = get_for_municipality(PlanVersion, request.municipality, pk=plan_version_id)
    refused = _need(request, "override_gate", post=True)
    if refused:
        return refused
    form = GateOverrideForm(request.POST)
    if not form.is_valid():
        closed = GateClosed(gates.PLAN_TO_STEERING, gates.plan_missing(version))
        return _plan_gate_refused(request, version.pk, closed, form=form)
    try:
        services.plan_submit_opening_gate(
            version=version, user=request.user, reason=form.cleaned_data["reason"]
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Submitted to the mayor's office for approval."))
    return redirect(_url(request, "plan_version", plan_version_id=version.pk))


@municipality_view("view_plan")
def plan_version_approve(request, plan_version_id):
    return _plan_step(
        request,
        plan_version_id,
        "approve",
        services.plan_approve,
        _("Approved. It now awaits both signatures."),
    )


@municipality_view("view_plan")
def plan_version_return(request, plan_version_id):
    version = get_for_municipality(PlanVersion, request.municipality, pk=plan_version_id)
    refused = _need(request, "approve")
    if refused:
        return refused
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_return(
                version=version, user=request.user, comment=form.cleaned_data["comment"]
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Returned to the program team with your comments."))
        return redirect(_safe_next(request, _url(request, "plan")))
    return render(request, "strategy/scope_return_form.html", {"form": form, "version": version})


@municipality_view("view_plan")
def plan_version_sign(request, plan_version_id):
    side = request.POST.get("side")
    if request.method == "POST" and side not in SignatureSide.values:
        get_for_municipality(PlanVersion, request.municipality, pk=plan_version_id)
        return HttpResponseBadRequest(_("Choose the side you sign for."))
    return _plan_step(
        request,
        plan_version_id,
        "view_plan",
        services.plan_sign,
        _("Signed."),
        side=side,
    )


def _export(request, plan_version_id, fmt):
    from django.http import HttpResponse

    from kehila.audit import log_action
    from kehila.spreadsheets import spreadsheet_response

    from .plan_export import plan_pdf, plan_xlsx

    version = get_for_municipality(
        PlanVersion.objects.prefetch_related("signatures"), request.municipality, pk=plan_version_id
    )
    name = f"plan-{request.municipality.slug}-v{version.number}"
    if fmt == "pdf":
        response = HttpResponse(plan_pdf(version), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    else:
        response = spreadsheet_response(plan_xlsx(version), fmt="xlsx", filename=name)
    log_action(actor=request.user, action=f"plan.export.{fmt}", obj=version)
    return response


@municipality_view("view_plan")
def plan_version_pdf(request, plan_version_id):
    return _export(request, plan_version_id, "pdf")


@municipality_view("view_plan")
def plan_version_xlsx(request, plan_version_id):
    return _export(request, plan_version_id, "xlsx")


# --- mapping: the situation picture --------------------------------------------------------------


def _situation(municipality):
    from .plan_content import mapping_data

    groups = mapping_data(municipality)
    for group in groups:
        group["chart"] = charts.findings(group)
    return groups


@municipality_view("view_plan")
def mapping(request):
    from . import mapping as importer
    from .plan_forms import MappingUploadForm

    may_edit = can(request.user, "edit_plan", request.municipality)
    form = MappingUploadForm(request.POST or None, request.FILES or None)
    preview = None
    file_errors: list[str] = []
    token = ""
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            challenges = {
                c.number: c
                for c in FocusChallenge.objects.filter(municipality=request.municipality)
            }
            preview, file_errors = importer.parse(form.cleaned_data["file"], challenges)
            if preview and not any(row.errors for row in preview):
                token = importer.sign_rows([row.data for row in preview])
    return render(
        request,
        "strategy/mapping.html",
        {
            "form": form,
            "preview": preview,
            "file_errors": file_errors,
            "has_errors": bool(preview) and any(row.errors for row in preview),
            "token": token,
            "groups": _situation(request.municipality),
            "may_edit": may_edit,
        },
    )


@municipality_view("edit_plan")
def mapping_confirm(request):
    from . import mapping as importer

    if request.method != "POST":
        return redirect(_url(request, "mapping"))
    rows = importer.unsign_rows(request.POST.get("token", ""))
    if rows is None:
        messages.error(
            request,
            _("The preview expired or was changed. Upload the file again; nothing was saved."),
        )
        return redirect(_url(request, "mapping"))
    try:
        count = services.mapping_import(
            municipality=request.municipality, user=request.user, rows=rows
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)s findings were saved.") % {"count": count})
    return redirect(_url(request, "mapping"))


# --- logic models ---------------------------------------------------------------------------------


@municipality_view("view_plan")
def logic_model(request):
    from .models import LogicModel
    from .plan_forms import LogicModelForm

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
    labels = [
        ("inputs", _("Inputs")),
        ("activities", _("Activities")),
        ("outputs", _("Outputs")),
        ("short_term", _("Short-term outcomes")),
        ("medium_term", _("Medium-term outcomes")),
        ("long_term", _("Long-term outcomes")),
    ]
    stages = [(label, getattr(model, name) if model else "") for name, label in labels]
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


# --- the public page -----------------------------------------------------------------------------


def public_plan(request, slug):
    """The last signed version only: vision, goals, objectives, work-plan headlines and progress.
    Owners' names and partner details are left out. The same for every visitor, so its body is cached
    until the plan's objectives, readings or versions change (strategy/signals.py)."""
    municipality = get_object_or_404(Municipality, slug=slug)
    body = public_plan_fragment(municipality)
    return render(
        request,
        "strategy/public_plan.html",
        {"municipality": municipality, "body": None if body is None else mark_safe(body)},  # noqa: S308 - our own rendered template
    )


def public_plan_fragment(municipality) -> str | None:
    """The public page's body from the cache, rendered on a miss (and nightly by strategy.warm)."""
    return cache.fragment(
        PLAN_TOPIC, municipality.pk, "public-plan", lambda: _public_plan_body(municipality)
    )


def _headline_rows(actions: list[dict], labels: dict) -> list[tuple]:
    """The work plans' actions for the public table, formatted once here: hundreds of rows through
    filters were most of the public page's time."""
    short_date = date_formatter()
    return [
        (
            a["title"],
            labels.get(a["track"], ""),
            short_date(datetime.date.fromisoformat(a["start"])),
            short_date(datetime.date.fromisoformat(a["end"])),
        )
        for a in actions
    ]


def _public_plan_body(municipality) -> str | None:
    version = (
        PlanVersion.objects.filter(municipality=municipality, status=VersionStatus.IN_FORCE)
        .prefetch_related("signatures")
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    content = version.content
    objectives = _all_objectives(content)
    ids = [o["id"] for o in objectives]
    readings = readings_by_objective(
        IndicatorReading.objects.filter(municipality=municipality, objective_id__in=ids)
        .values_list("objective_id", "measured_on", "value", named=True)
        .order_by("measured_on", "id")
    )
    labels = dict(Track.choices)
    context = {
        "municipality": municipality,
        "version": version,
        "content": content,
        # Checked when the body is rendered (and cached with it): what it shows is what was hashed.
        "signature_check": signature_check(version, where="public plan page"),
        "progress": progress_rows(objectives, readings),
        "headlines": _headline_rows(content.get("actions", []), labels),
        "scope_tracks": [labels.get(t, t) for t in (content.get("scope") or {}).get("tracks", [])],
    }
    return str(render_to_string("strategy/_public_plan_body.html", context))


def plan_url(municipality) -> str:
    return reverse("strategy:plan", kwargs={"slug": municipality.slug})
