"""The public plan page's body: the municipality's plan version in force, what it shows of it (vision,
goals, objectives, work-plan headlines and progress; no owners' names or partners' details) rendered
once and cached until the plan's objectives, readings or versions change (strategy/signals.py), and
nightly by strategy/warm.py."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string

from kehila import cache
from kehila.models import Track
from kehila.rows import date_formatter

from .models import IndicatorReading, PlanVersion, VersionStatus
from .plan_content import all_objectives, progress_rows, readings_by_objective
from .signals import PLAN_TOPIC
from .signed import signature_check


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
    objectives = all_objectives(content)
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
