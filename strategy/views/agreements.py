"""The agreements document's pages: the document and its versions, sections and comments, the budget
appendix and milestones, submission (through the gate), approval, return, signatures and the diff.

Thin views: resolve the municipality (municipality_view), read through selectors, write through
services, render. A refused workflow step shows its message and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehila.forms import add_service_errors
from kehila.gates import overrides_on
from kehila.permissions import can
from kehila.tenancy import get_for_municipality, municipality_view

from .. import gates, selectors, services
from ..approvals import WorkflowError
from ..forms import (
    BudgetLineForm,
    CommentForm,
    MilestoneForm,
    SectionForm,
    VersionForm,
)
from ..models import (
    AgreementMilestone,
    AgreementSection,
    AgreementVersion,
    BudgetLine,
    VersionStatus,
)
from ..rendering import diff_versions, version_document_context, version_pdf
from ..signed import signature_check
from . import approvals
from .common import need, page_url


@municipality_view("view_agreement")
def agreement(request):
    document = selectors.agreement_for(request.municipality)
    context = {"agreement": document, "progress": selectors.kickoff_progress(request.municipality)}
    if document is not None:
        version = selectors.latest_version(document)
        context.update(version_document_context(version, where=request.path))
        context.update(
            {
                "versions": selectors.agreement_versions(document),
                "in_force": selectors.in_force_version(document),
                "comments": selectors.comments_by_topic(document),
                "sign_sides": approvals.sign_sides(request, version),
                "overrides": overrides_on(version),
                "submit_missing": _submit_missing(request, version),
            }
        )
    return render(request, "strategy/agreement.html", context)


def _submit_missing(request, version):
    """What the submit gate would refuse for, shown beside the button before it is pressed: the gate's
    own list (gates.agreement_missing), so the page and the refusal cannot disagree."""
    if version.status != VersionStatus.DRAFT:
        return []
    if not can(request.user, "submit_for_approval", request.municipality):
        return []
    return gates.agreement_missing(version)


@municipality_view("edit_agreement")
@require_POST
def agreement_start(request):
    services.agreement_start(municipality=request.municipality, user=request.user)
    return redirect(page_url(request, "agreement"))


@municipality_view("edit_agreement")
@require_POST
def agreement_new_version(request):
    document = selectors.agreement_for(request.municipality)
    if document is None:
        return redirect(page_url(request, "agreement"))
    try:
        version = services.agreement_new_version(agreement=document, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Version %(number)s is a new draft. Once changed, submit it for approval again.")
            % {"number": version.number},
        )
    return redirect(page_url(request, "agreement"))


@municipality_view("view_agreement")
def version_detail(request, version_id):
    version = get_for_municipality(
        selectors.versions_with_content(), request.municipality, pk=version_id
    )
    context = version_document_context(version, where=request.path)
    context["sign_sides"] = approvals.sign_sides(request, version)
    context["versions"] = selectors.agreement_versions(version.agreement)
    context["overrides"] = overrides_on(version)
    return render(request, "strategy/version_detail.html", context)


@municipality_view("view_agreement")
def version_pdf_download(request, version_id):
    version = get_for_municipality(
        selectors.versions_with_content(), request.municipality, pk=version_id
    )
    pdf = version_pdf(version)
    services.agreement_log_export(version=version, user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="agreement-{request.municipality.slug}-v{version.number}.pdf"'
    )
    return response


@municipality_view("edit_agreement")
def version_edit(request, version_id):
    version = get_for_municipality(AgreementVersion, request.municipality, pk=version_id)
    if not version.is_editable:
        messages.error(
            request, _("This version can no longer change. Start a new version to make changes.")
        )
        return redirect(page_url(request, "agreement"))
    form = VersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_version_update(
                version=version, user=request.user, **form.cleaned_data
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(page_url(request, "agreement"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(page_url(request, "agreement"))
    return render(request, "strategy/version_form.html", {"form": form, "version": version})


@municipality_view("view_agreement")
def section_detail(request, section_id):
    section = get_for_municipality(
        AgreementSection.objects.select_related("version", "owner"),
        request.municipality,
        pk=section_id,
    )
    may_edit = can(request.user, "edit_agreement", request.municipality)
    form = None
    if section.version.is_editable and may_edit:
        initial = {"text": section.text, "owner": section.owner, "status": section.status}
        form = SectionForm(request.POST or None, initial=initial, municipality=request.municipality)
    if request.method == "POST":
        if form is None:
            messages.error(
                request,
                _("This version can no longer change. Start a new version to make changes."),
            )
            return redirect(page_url(request, "section", section_id=section.pk))
        if form.is_valid():
            try:
                services.section_update(section=section, user=request.user, **form.cleaned_data)
            except WorkflowError as error:
                messages.error(request, error.message)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(page_url(request, "agreement") + f"#topic-{section.topic}")
    comments = selectors.comments_by_topic(section.version.agreement).get(section.topic, [])
    return render(
        request,
        "strategy/section.html",
        {
            "section": section,
            "form": form,
            "comments": comments,
            "comment_form": CommentForm(),
        },
    )


@municipality_view("view_agreement")
def section_comment(request, section_id):
    section = get_for_municipality(
        AgreementSection.objects.select_related("version"), request.municipality, pk=section_id
    )
    refused = need(request, "view_agreement", post=True)
    if refused:
        return refused
    form = CommentForm(request.POST)
    if form.is_valid():
        services.section_comment_add(section=section, user=request.user, **form.cleaned_data)
        messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(page_url(request, "section", section_id=section.pk) + "#comments")


def _editable_version_or_redirect(request, version_id):
    version = get_for_municipality(AgreementVersion, request.municipality, pk=version_id)
    if not version.is_editable:
        messages.error(
            request, _("This version can no longer change. Start a new version to make changes.")
        )
        return version, redirect(page_url(request, "agreement"))
    return version, None


@municipality_view("edit_agreement")
def budget_add(request, version_id):
    version, refused = _editable_version_or_redirect(request, version_id)
    if refused:
        return refused
    form = BudgetLineForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_add(version=version, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(page_url(request, "agreement"))
        else:
            messages.success(request, _("The budget line was added."))
            return redirect(page_url(request, "agreement") + "#budget")
    return render(request, "strategy/budget_form.html", {"form": form, "version": version})


@municipality_view("view_agreement")
def budget_delete(request, line_id):
    line = get_for_municipality(BudgetLine, request.municipality, pk=line_id)
    refused = need(request, "edit_agreement", post=True)
    if refused:
        return refused
    try:
        services.budget_line_delete(line=line, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The budget line was removed."))
    return redirect(page_url(request, "agreement") + "#budget")


@municipality_view("edit_agreement")
def milestone_add(request, version_id):
    version, refused = _editable_version_or_redirect(request, version_id)
    if refused:
        return refused
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(version=version, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(page_url(request, "agreement"))
        else:
            messages.success(request, _("The milestone was added."))
            return redirect(page_url(request, "agreement") + "#milestones")
    return render(request, "strategy/milestone_form.html", {"form": form, "version": version})


@municipality_view("view_agreement")
def milestone_delete(request, milestone_id):
    milestone = get_for_municipality(AgreementMilestone, request.municipality, pk=milestone_id)
    refused = need(request, "edit_agreement", post=True)
    if refused:
        return refused
    try:
        services.milestone_delete(milestone=milestone, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The milestone was removed."))
    return redirect(page_url(request, "agreement") + "#milestones")


AGREEMENT = approvals.Approvable(
    model=AgreementVersion,
    pk="version_id",
    subject="version",
    permission="view_agreement",
    url_prefix="version",
    home=lambda request, version: page_url(request, "agreement"),
    returned_to=lambda request, version: page_url(request, "agreement"),
    return_template="strategy/return_form.html",
    submit=services.agreement_submit,
    submit_opening_gate=services.agreement_submit_opening_gate,
    approve=services.agreement_approve,
    return_with_comments=services.agreement_return,
    sign=services.agreement_sign,
    approved=lambda: _("Approved. It now awaits both signatures."),
    gate=approvals.Gate(
        name=gates.AGREEMENT_SUBMIT,
        missing=gates.agreement_missing,
        check=gates.agreement_submit_check,
        heading=lambda: _("The agreements document cannot go to the mayor's office yet"),
    ),
    submit_follows_next=False,
)
version_submit = approvals.submit_view(AGREEMENT, "version_submit")
version_open_gate = approvals.open_gate_view(AGREEMENT, "version_open_gate")
version_approve = approvals.approve_view(AGREEMENT, "version_approve")
version_return = approvals.return_view(AGREEMENT, "version_return")
version_sign = approvals.sign_view(AGREEMENT, "version_sign")


@municipality_view("view_agreement")
def version_diff(request):
    document = selectors.agreement_for(request.municipality)
    versions = selectors.agreement_versions(document) if document else []
    by_id = {str(v.pk): v for v in versions}
    a = by_id.get(request.GET.get("a", ""))
    b = by_id.get(request.GET.get("b", ""))
    if (a is None or b is None) and len(versions) >= 2:
        a, b = versions[1], versions[0]
    rows, mismatch = [], None
    if a is not None and b is not None:
        queryset = selectors.versions_with_content()
        a, b = queryset.get(pk=a.pk), queryset.get(pk=b.pk)
        rows = diff_versions(a, b)
        checks = [signature_check(v, where=request.path) for v in (a, b)]
        mismatch = next((c for c in checks if c is not None and not c.ok), None)
    return render(
        request,
        "strategy/diff.html",
        {"versions": versions, "a": a, "b": b, "rows": rows, "signature_check": mismatch},
    )
