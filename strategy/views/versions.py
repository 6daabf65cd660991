"""The plan's versions: assembly, the version page, submission (through the gate), approval, return,
signatures and the PDF and XLSX exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.gates import GateClosed, overrides_on
from kehila.models import Track
from kehila.permissions import can
from kehila.tenancy import get_for_municipality, municipality_view

from .. import gates, selectors
from .. import plan_services as services
from ..approvals import SIGN_ACTIONS, WorkflowError
from ..forms import GateOverrideForm, ReturnForm
from ..models import PlanVersion, SignatureSide, VersionStatus
from ..plan_content import budget_sums
from ..signed import signature_check
from .common import gate_refused, need, page_url, safe_next


@municipality_view("edit_plan")
def plan_assemble(request):
    if request.method != "POST":
        return redirect(page_url(request, "plan"))
    the_plan = selectors.plan_of(request.municipality)
    try:
        version = services.plan_assemble(plan=the_plan, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(page_url(request, "plan"))
    messages.success(
        request,
        _("Version %(number)s was assembled from the plan's parts.") % {"number": version.number},
    )
    return redirect(page_url(request, "plan_version", plan_version_id=version.pk))


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
    refused = need(request, action, post=True)
    if refused:
        return refused
    try:
        fn(version=version, user=request.user, **extra)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(
        safe_next(request, page_url(request, "plan_version", plan_version_id=version.pk))
    )


@municipality_view("view_plan")
def plan_version_submit(request, plan_version_id):
    """POST submits; a refused gate redirects to the GET of this address, which shows what is missing."""
    if request.method != "POST":
        version = get_for_municipality(PlanVersion, request.municipality, pk=plan_version_id)
        refused = need(request, "submit_for_approval")
        if refused:
            return refused
        try:
            if version.is_editable:
                gates.plan_submit_check(version)
        except GateClosed as closed:
            return _plan_gate_refused(request, version.pk, closed)
        return redirect(page_url(request, "plan_version", plan_version_id=version.pk))
    try:
        return _plan_step(
            request,
            plan_version_id,
            "submit_for_approval",
            services.plan_submit,
            _("Submitted to the mayor's office for approval."),
        )
    except GateClosed:
        return redirect(page_url(request, "plan_version_submit", plan_version_id=plan_version_id))


def _plan_gate_refused(request, plan_version_id, closed, form=None):
    return gate_refused(
        request,
        closed,
        heading=_("The strategic plan cannot go to the steering committee yet"),
        override_url=page_url(request, "plan_version_open_gate", plan_version_id=plan_version_id),
        back_url=page_url(request, "plan_version", plan_version_id=plan_version_id),
        form=form,
    )


@municipality_view("view_plan")
def plan_version_open_gate(request, plan_version_id):
    version = get_for_municipality(PlanVersion, request.municipality, pk=plan_version_id)
    refused = need(request, "override_gate", post=True)
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
    return redirect(page_url(request, "plan_version", plan_version_id=version.pk))


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
    refused = need(request, "approve")
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
        return redirect(safe_next(request, page_url(request, "plan")))
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

    from kehila.audit import log_action
    from kehila.spreadsheets import spreadsheet_response

    from ..plan_export import plan_pdf, plan_xlsx

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
