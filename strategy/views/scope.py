"""The steering committee's scope decision: edited, submitted, approved or returned."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.tenancy import get_for_municipality, municipality_view

from .. import plan_services as services
from ..approvals import WorkflowError
from ..forms import ReturnForm
from ..models import ScopeDecision
from ..plan_forms import ScopeDecisionForm
from .common import apply_errors, need, page_url, safe_next


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
            apply_errors(form, error)
        else:
            messages.success(request, _("The scope decision was saved."))
            if warning:
                messages.warning(request, warning)
            return redirect(page_url(request, "plan") + "#scope")
    return render(request, "strategy/scope_form.html", {"form": form, "decision": decision})


def _scope_action(request, decision_id, action, fn, success):
    decision = get_for_municipality(ScopeDecision, request.municipality, pk=decision_id)
    refused = need(request, action, post=True)
    if refused:
        return refused
    try:
        fn(decision=decision, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(safe_next(request, page_url(request, "plan") + "#scope"))


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
    refused = need(request, "approve")
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
        return redirect(safe_next(request, page_url(request, "plan") + "#scope"))
    return render(request, "strategy/scope_return_form.html", {"form": form, "version": decision})
