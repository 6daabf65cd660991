"""The kickoff checklist's pages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.permissions import require
from kehila.tenancy import get_for_municipality, municipality_view

from .. import selectors, services
from ..forms import KickoffStepForm
from ..models import KickoffStep
from .common import page_url


@municipality_view("view_agreement")
def kickoff(request):
    """GET shows the six steps, those not started as placeholders; the start button's POST saves them."""
    if request.method == "POST":
        require(request.user, "edit_agreement", request.municipality)
        services.kickoff_ensure_steps(municipality=request.municipality)
        return redirect(page_url(request, "kickoff"))
    steps = selectors.kickoff_checklist(request.municipality)
    return render(
        request,
        "strategy/kickoff.html",
        {
            "steps": steps,
            "not_started": any(step.pk is None for step in steps),
            "progress": selectors.kickoff_progress(request.municipality),
        },
    )


@municipality_view("edit_agreement")
def kickoff_step(request, step_id):
    step = get_for_municipality(KickoffStep, request.municipality, pk=step_id)
    form = KickoffStepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        services.kickoff_step_update(step=step, user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(page_url(request, "kickoff"))
    return render(request, "strategy/kickoff_step.html", {"form": form, "step": step})
