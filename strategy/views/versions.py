"""The plan's versions: assembly, the version page, submission (through the gate), approval, return,
signatures and the PDF and XLSX exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.gates import overrides_on
from kehila.models import Track
from kehila.tenancy import get_for_municipality, municipality_view

from .. import gates, selectors
from .. import plan_services as services
from ..models import PlanVersion
from ..plan_content import budget_sums
from ..signed import signature_check
from . import approvals
from .common import page_url


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
            "sign_sides": approvals.sign_sides(request, version),
            "signature_check": signature_check(version, where=request.path),
            "track_labels": dict(Track.choices),
            "overrides": overrides_on(version),
        },
    )


PLAN_VERSION = approvals.Approvable(
    model=PlanVersion,
    pk="plan_version_id",
    subject="version",
    permission="view_plan",
    url_prefix="plan_version",
    home=lambda request, version: page_url(request, "plan_version", plan_version_id=version.pk),
    returned_to=lambda request, version: page_url(request, "plan"),
    return_template="strategy/scope_return_form.html",
    submit=services.plan_submit,
    submit_opening_gate=services.plan_submit_opening_gate,
    approve=services.plan_approve,
    return_with_comments=services.plan_return,
    sign=services.plan_sign,
    approved=lambda: _("Approved. It now awaits both signatures."),
    gate=approvals.Gate(
        name=gates.PLAN_TO_STEERING,
        missing=gates.plan_missing,
        check=gates.plan_submit_check,
        heading=lambda: _("The strategic plan cannot go to the steering committee yet"),
    ),
)
plan_version_submit = approvals.submit_view(PLAN_VERSION, "plan_version_submit")
plan_version_open_gate = approvals.open_gate_view(PLAN_VERSION, "plan_version_open_gate")
plan_version_approve = approvals.approve_view(PLAN_VERSION, "plan_version_approve")
plan_version_return = approvals.return_view(PLAN_VERSION, "plan_version_return")
plan_version_sign = approvals.sign_view(PLAN_VERSION, "plan_version_sign")


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
