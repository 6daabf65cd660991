"""The public plan page (no login); its body is strategy/public_plan.py."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from kehila.models import Municipality

from ..public_plan import public_plan_fragment


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
