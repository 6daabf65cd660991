"""The mapping: the focus challenges, the situation picture and the import of its findings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.forms import add_service_errors
from kehila.permissions import can, require
from kehila.tenancy import get_for_municipality, municipality_view

from .. import charts
from .. import plan_services as services
from ..guidance import challenge_count_warning
from ..models import FocusChallenge
from ..plan_forms import ChallengeForm
from .common import need, page_url


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
                add_service_errors(form, error)
            else:
                messages.success(request, _("The focus challenge was saved."))
                return redirect(page_url(request, "challenges"))
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("The focus challenge was saved."))
            return redirect(page_url(request, "challenges"))
    return render(request, "strategy/challenge_form.html", {"form": form, "challenge": challenge})


@municipality_view("view_plan")
def challenge_delete(request, challenge_id):
    challenge = get_for_municipality(FocusChallenge, request.municipality, pk=challenge_id)
    refused = need(request, "edit_plan", post=True)
    if refused:
        return refused
    services.challenge_delete(challenge=challenge, user=request.user)
    messages.success(request, _("The focus challenge was removed."))
    return redirect(page_url(request, "challenges"))


def _situation(municipality):
    from ..plan_content import mapping_data

    groups = mapping_data(municipality)
    for group in groups:
        group["chart"] = charts.findings(group)
    return groups


@municipality_view("view_plan")
def mapping(request):
    from .. import mapping as importer
    from ..plan_forms import MappingUploadForm

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
    from .. import mapping as importer

    if request.method != "POST":
        return redirect(page_url(request, "mapping"))
    rows = importer.unsign_rows(request.POST.get("token", ""))
    if rows is None:
        messages.error(
            request,
            _("The preview expired or was changed. Upload the file again; nothing was saved."),
        )
        return redirect(page_url(request, "mapping"))
    try:
        count = services.mapping_import(
            municipality=request.municipality, user=request.user, rows=rows
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)s findings were saved.") % {"count": count})
    return redirect(page_url(request, "mapping"))
