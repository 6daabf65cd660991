"""A presenter: the plan as plain data, and what is computed from it: budget sums and progress (the
charts' geometry is strategy/charts.py).

`plan_content` turns the live parts into the same dict a plan version stores, so the working pages,
the version page and the public page all present one structure with the same code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from kehila.models import Track
from kehila.rows import date_formatter

from .models import (
    Action,
    ActionBudget,
    FocusChallenge,
    FundingSource,
    Goal,
    LogicModel,
    MappingFinding,
    Objective,
    ScopeDecision,
    VersionStatus,
)
from .rendering import money


def _d(value) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def _parts(model, plan):
    return model.objects.filter(plan=plan) if plan.pk is not None else model.objects.none()


def plan_content(plan, *, number: int = 0) -> dict:
    """The plan's parts as JSON-ready data (a fixed number of queries). A plan not saved yet (a page
    before the first write, selectors.plan_of) has no parts of its own; the municipality's scope,
    challenges and mapping are shown all the same."""
    municipality = plan.municipality
    goals = _parts(Goal, plan).prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("id"))
    )
    actions = _parts(Action, plan).prefetch_related(
        Prefetch("budget_lines", queryset=ActionBudget.objects.order_by("year", "source", "id"))
    )
    scope = (
        ScopeDecision.objects.filter(municipality=municipality, status=VersionStatus.APPROVED)
        .order_by("-id")
        .first()
    )
    return {
        "document": "plan",
        "municipality": municipality.pk,
        "number": number,
        "title": plan.title,
        "vision": plan.vision,
        "flexible_budget": _d(plan.flexible_budget),
        "stated_total": _d(plan.stated_total) if plan.stated_total is not None else None,
        "scope": {
            "decided_on": scope.decided_on.isoformat(),
            "tracks": list(scope.tracks),
            "geographic_focus": scope.geographic_focus,
            "boundaries": scope.boundaries,
        }
        if scope
        else None,
        "challenges": [
            {"number": c.number, "title": c.title, "description": c.description}
            for c in FocusChallenge.objects.filter(municipality=municipality).order_by("number")
        ],
        "goals": [
            {
                "id": g.pk,
                "title": g.title,
                "description": g.description,
                "objectives": [
                    {
                        "id": o.pk,
                        "title": o.title,
                        "indicator": o.indicator,
                        "unit": o.unit,
                        "baseline_value": _d(o.baseline_value),
                        "baseline_date": o.baseline_date.isoformat(),
                        "target_value": _d(o.target_value),
                        "target_date": o.target_date.isoformat(),
                        "owner": o.owner,
                        "track": o.track,
                    }
                    for o in g.objectives.all()
                ],
            }
            for g in goals
        ],
        "actions": [action_data(a) for a in actions],
        "mapping": mapping_data(municipality),
        "logic_models": [
            {"track": m.track, **{stage: getattr(m, stage) for stage in LogicModel.STAGES}}
            for m in _parts(LogicModel, plan).order_by("track")
        ],
    }


def mapping_data(municipality) -> list[dict]:
    """The situation picture: findings grouped by focus challenge (one query)."""
    groups: dict = {}
    findings = MappingFinding.objects.filter(municipality=municipality).select_related("challenge")
    for f in findings.order_by("challenge__number", "indicator", "neighbourhood", "measured_on"):
        group = groups.setdefault(
            f.challenge.number,
            {"number": f.challenge.number, "challenge": f.challenge.title, "findings": []},
        )
        group["findings"].append(
            {
                "indicator": f.indicator,
                "value": _d(f.value),
                "unit": f.unit,
                "source": f.source,
                "date": f.measured_on.isoformat(),
                "neighbourhood": f.neighbourhood,
            }
        )
    return list(groups.values())


def action_data(action: Action) -> dict:
    return {
        "id": action.pk,
        "track": action.track,
        "title": action.title,
        "owner": action.owner,
        "partners": action.partners,
        "start": action.start.isoformat(),
        "end": action.end.isoformat(),
        "kind": action.kind,
        "objective": action.objective_id,
        "budget": [
            {"year": b.year, "source": b.source, "amount": _d(b.amount)}
            for b in action.budget_lines.all()
        ],
    }


@dataclass
class BudgetSums:
    years: list[int] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    per_track: dict = field(default_factory=dict)
    per_year: dict = field(default_factory=dict)
    per_source: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)  # (year, source) -> Decimal
    total: Decimal = Decimal(0)

    def rows(self):
        for year in self.years:
            yield {
                "year": year,
                "cells": [self.cells.get((year, s), Decimal(0)) for s, _label in self.sources],
                "total": self.per_year.get(year, Decimal(0)),
            }

    def source_totals(self):
        return [self.per_source.get(s, Decimal(0)) for s, _label in self.sources]

    def track_rows(self):
        labels = dict(Track.choices)
        return [
            {"track": t, "label": labels.get(t, t), "total": amount}
            for t, amount in sorted(self.per_track.items())
        ]


def budget_sums(actions: list[dict]) -> BudgetSums:
    """Sums per track, year and source: always computed from the lines, never typed."""
    per_track: dict = defaultdict(Decimal)
    per_year: dict = defaultdict(Decimal)
    per_source: dict = defaultdict(Decimal)
    cells: dict = defaultdict(Decimal)
    for action in actions:
        for line in action["budget"]:
            amount = Decimal(line["amount"])
            per_track[action["track"]] += amount
            per_year[line["year"]] += amount
            per_source[line["source"]] += amount
            cells[(line["year"], line["source"])] += amount
    return BudgetSums(
        years=sorted(per_year),
        sources=list(FundingSource.choices),
        per_track=dict(per_track),
        per_year=dict(per_year),
        per_source=dict(per_source),
        cells=dict(cells),
        total=sum(per_year.values(), Decimal(0)),
    )


# --- progress ------------------------------------------------------------------------------------


def progress_rows(
    objectives: list[dict], readings_by_objective: dict, *, charts=True
) -> list[dict]:
    """Per objective: baseline, target, the readings over time, the share of the way covered and (unless
    told otherwise: the dashboard's card shows none) the geometry of its line chart."""
    from .charts import indicator

    rows = []
    short_date = date_formatter()
    labels = dict(Track.choices)
    for objective in objectives:
        baseline = Decimal(objective["baseline_value"])
        target = Decimal(objective["target_value"])
        readings = readings_by_objective.get(objective["id"], [])
        latest = readings[-1] if readings else None
        share = None
        if latest is not None and target != baseline:
            share = int(
                max(0, min(100, (Decimal(latest.value) - baseline) / (target - baseline) * 100))
            )
        rows.append(
            {
                "objective": objective,
                "chart": indicator(objective, readings, chart_id=f"indicator-{objective['id']}")
                if charts
                else None,
                "readings": readings,
                "latest": latest,
                "latest_value": money(latest.value) if latest else "",
                "latest_date": short_date(latest.measured_on) if latest else "",
                "share": share,
                "track_label": labels.get(objective["track"], ""),
            }
        )
    return rows


def readings_by_objective(readings) -> dict:
    result: dict = defaultdict(list)
    for reading in readings:
        result[reading.objective_id].append(reading)
    return result


def all_objectives(content) -> list[dict]:
    """Every objective of a plan's content, goal after goal."""
    return [o for g in content["goals"] for o in g["objectives"]]
