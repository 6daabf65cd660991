"""The steering committee's scope decision: edited, submitted, approved or returned."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.forms import add_service_errors
from kehila.tenancy import municipality_view

from .. import plan_services as services
from ..models import ScopeDecision
from ..plan_forms import ScopeDecisionForm
from . import approvals
from .common import page_url


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
            add_service_errors(form, error)
        else:
            messages.success(request, _("The scope decision was saved."))
            if warning:
                messages.warning(request, warning)
            return redirect(page_url(request, "plan") + "#scope")
    return render(request, "strategy/scope_form.html", {"form": form, "decision": decision})


SCOPE = approvals.Approvable(
    model=ScopeDecision,
    pk="decision_id",
    subject="decision",
    permission="view_plan",
    url_prefix="scope",
    home=lambda request, decision: page_url(request, "plan") + "#scope",
    returned_to=lambda request, decision: page_url(request, "plan") + "#scope",
    return_template="strategy/scope_return_form.html",
    submit=services.scope_decision_submit,
    approve=services.scope_decision_approve,
    return_with_comments=services.scope_decision_return,
    approved=lambda: _(
        "The scope decision was approved: its date is T0 and the timeline was planned from it."
    ),
)
scope_submit = approvals.submit_view(SCOPE, "scope_submit")
scope_approve = approvals.approve_view(SCOPE, "scope_approve")
scope_return = approvals.return_view(SCOPE, "scope_return")
