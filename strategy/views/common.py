"""What every strategy view shares: the checks after the object lookup, the app's URLs, the safe
"next" address and the page of a refused gate. (A service's validation errors reach a form through
kehila.forms.add_service_errors.)"""

from __future__ import annotations

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse

from kehila.gates import GateClosed
from kehila.permissions import can, require

from ..forms import GateOverrideForm


def need(request, action: str, *, post: bool = False):
    """Checks that follow the object lookup, so that another municipality's object answers 404 before
    any role (403) or method (405) check could reveal that it exists."""
    require(request.user, action, request.municipality)
    if post and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def page_url(request, name, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"slug": request.municipality.slug, **kwargs})


def safe_next(request, default):
    target = request.POST.get("next", "")
    if target.startswith(f"/m/{request.municipality.slug}/"):
        return target
    return default


def gate_refused(request, closed: GateClosed, *, heading, override_url, back_url, form=None):
    """What is missing, each with a link to where it is mended; the manager or HQ also sees the form
    that opens the gate with a reason. Nothing was changed."""
    may_override = can(request.user, "override_gate", request.municipality)
    if may_override and form is None:
        form = GateOverrideForm()
    return render(
        request,
        "strategy/gate_refused.html",
        {
            "heading": heading,
            "missing": closed.missing,
            "form": form if may_override else None,
            "override_url": override_url,
            "back_url": back_url,
        },
    )
