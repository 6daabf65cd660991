"""The plan as plain data, and what is computed from it: budget sums, the Gantt chart, progress.

`plan_content` turns the live parts into the same dict a plan version stores, so the working pages,
the version page and the public page all present one structure with the same code.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kehila.models import Track
from kehila.rows import date_formatter

from .agreements import FundingSource
from .approvals import VersionStatus
from .models import FocusChallenge
from .plan import (
    Action,
    ActionBudget,
    Goal,
    LogicModel,
    MappingFinding,
    Objective,
    ScopeDecision,
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


def findings_chart_svg(findings: list[dict], *, title: str, chart_id: str) -> str:
    """Horizontal bars, one per finding, scaled to the largest value of the group."""
    if not findings:
        return ""
    top = max((Decimal(f["value"]) for f in findings), default=Decimal(1)) or Decimal(1)
    bars = []
    for i, f in enumerate(findings):
        width = round(float(Decimal(f["value"]) / top) * 300, 1) if top > 0 else 0
        y = i * 24
        label = f"{f['indicator']} · {f['neighbourhood'] or '—'}"
        bars.append(
            format_html(
                '<text x="590" y="{}" font-size="12" text-anchor="end" fill="#212529">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="16" fill="#1f5f99"/>'
                '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#212529">{}</text>',
                y + 13,
                label,
                320 - width,
                y + 1,
                width,
                312 - width,
                y + 13,
                f["value"],
            )
        )
    return format_html(
        '<svg role="img" aria-labelledby="{}" viewBox="0 0 600 {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>{}</svg>',
        chart_id,
        len(findings) * 24 + 4,
        chart_id,
        title,
        mark_safe("".join(bars)),  # noqa: S308 - every piece is format_html
    )


def logic_model_svg(stages: list[tuple[str, str]], *, title: str) -> str:
    """Six boxes in a row, right to left, joined by arrows: inputs → … → long-term outcomes."""
    boxes = []
    width, gap = 150, 30
    for i, (label, text) in enumerate(stages):
        x = 6 * (width + gap) - (i + 1) * (width + gap) + gap
        lines = [line for line in (text or "—").splitlines() if line.strip()][:4] or ["—"]
        tspans = format_html_join(
            "",
            '<tspan x="{}" dy="16">{}</tspan>',
            ((x + width - 8, line[:22]) for line in lines),
        )
        boxes.append(
            format_html(
                '<rect x="{}" y="10" width="{}" height="120" rx="6" fill="#eef4fb" stroke="#1f5f99"/>'
                '<text x="{}" y="30" font-size="13" font-weight="bold" text-anchor="end" '
                'fill="#212529">{}</text><text y="40" font-size="12" text-anchor="end" '
                'fill="#212529">{}</text>',
                x,
                width,
                x + width - 8,
                label,
                tspans,
            )
        )
        if i < len(stages) - 1:
            boxes.append(
                format_html(
                    '<line x1="{}" y1="70" x2="{}" y2="70" stroke="#212529" stroke-width="2" '
                    'marker-end="url(#arrow)"/>',
                    x,
                    x - gap + 4,
                )
            )
    return format_html(
        '<svg class="logic-model" role="img" aria-labelledby="logic-title" viewBox="0 0 {} 140" '
        'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="logic-title">{}</title>'
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="6" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#212529"/></marker></defs>{}</svg>',
        6 * (width + gap) + gap,
        title,
        mark_safe("".join(boxes)),  # noqa: S308 - every piece is format_html
    )


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


# --- Gantt ---------------------------------------------------------------------------------------

ROW_HEIGHT = 28
LABEL_WIDTH = 0
CHART_WIDTH = 720
TRACK_COLOURS = {
    "economic": "#1f5f99",
    "urban": "#7a4b00",
    "social": "#1d6b3a",
    "educational": "#7b2c83",
}


def _parse(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def gantt_svg(actions: list[dict], *, title: str) -> str:
    """A server-side SVG Gantt: one bar per action across the months it runs, years marked.

    Time runs from right to left, as Hebrew reads; the chart is decorative next to the data table that
    carries the same facts for screen readers (so the SVG is `role="img"` with a title)."""
    if not actions:
        return ""
    starts = [_parse(a["start"]) for a in actions]
    ends = [_parse(a["end"]) for a in actions]
    first = datetime.date(min(starts).year, 1, 1)
    last = datetime.date(max(ends).year, 12, 31)
    span = (last - first).days or 1
    height = ROW_HEIGHT * (len(actions) + 1) + 10

    def x_of(day: datetime.date) -> float:
        return round(CHART_WIDTH - (day - first).days / span * CHART_WIDTH, 1)

    year_marks = []
    for year in range(first.year, last.year + 1):
        x = x_of(datetime.date(year, 1, 1))
        year_marks.append(
            format_html(
                '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#6c757d" stroke-width="1"/>'
                '<text x="{}" y="16" font-size="12" text-anchor="end" fill="#212529">{}</text>',
                x,
                x,
                height,
                x - 4,
                year,
            )
        )
    bars = []
    for index, (action, start, end) in enumerate(zip(actions, starts, ends, strict=True)):
        y = ROW_HEIGHT * (index + 1)
        x_start, x_end = x_of(start), x_of(end)
        width = max(x_start - x_end, 3)
        bars.append(
            format_html(
                '<g class="gantt-bar" data-action="{}"><rect x="{}" y="{}" width="{}" height="18" '
                'rx="3" fill="{}"><title>{}</title></rect>'
                '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#212529">{}</text></g>',
                action["id"],
                x_end,
                y + 4,
                width,
                TRACK_COLOURS.get(action["track"], "#1f5f99"),
                f"{action['title']}: {start:%d/%m/%Y}–{end:%d/%m/%Y}",
                x_start - 4 if width > 120 else x_end - 4,
                y + 17,
                action["title"],
            )
        )
    body = mark_safe("".join(year_marks) + "".join(bars))  # noqa: S308 - every piece is format_html
    return format_html(
        '<svg class="gantt" role="img" aria-labelledby="gantt-title" viewBox="-240 0 {} {}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="gantt-title">{}</title>{}</svg>',
        CHART_WIDTH + 250,
        height,
        title,
        body,
    )


# --- progress ------------------------------------------------------------------------------------


def readings_html(readings, short_date) -> str:
    """The readings the chart draws, as text beside it (a line each), or a dash."""
    if not readings:
        return "—"
    return mark_safe(  # noqa: S308 - dates and numbers we formatted ourselves
        "".join(
            f'<span class="d-block">{short_date(r.measured_on)}: {money(r.value)}</span>'
            for r in readings
        )
    )


def progress_rows(objectives: list[dict], readings_by_objective: dict) -> list[dict]:
    """Per objective: baseline, target, the readings over time and the share of the way covered."""
    rows = []
    short_date = date_formatter()
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
                "chart": progress_svg(objective, readings),
                "readings": readings,
                "readings_html": readings_html(readings, short_date),
                "latest": latest,
                "share": share,
                "track_label": dict(Track.choices).get(objective["track"], ""),
            }
        )
    return rows


def readings_by_objective(readings) -> dict:
    result: dict = defaultdict(list)
    for reading in readings:
        result[reading.objective_id].append(reading)
    return result


def progress_note(share) -> str:
    if share is None:
        return _("No reading yet")
    return _("%(share)s%% of the way to the target") % {"share": share}


def progress_svg(objective: dict, readings) -> str:
    """A small chart: the planned path from baseline to target (dashed) and the readings (solid).
    The progress table beside it carries the same numbers."""
    start = _parse(objective["baseline_date"])
    end = _parse(objective["target_date"])
    points = [(start, Decimal(objective["baseline_value"]))] + [
        (r.measured_on, Decimal(r.value)) for r in readings
    ]
    values = [v for _d, v in points] + [Decimal(objective["target_value"])]
    low, high = min(values), max(values)
    span_days = max((max(end, *(d for d, _v in points)) - start).days, 1)
    span_value = (high - low) or Decimal(1)
    width, height = 160, 48

    def xy(day, value):
        # time runs right to left, as Hebrew reads
        x = width - 4 - (day - start).days / span_days * (width - 8)
        y = height - 4 - float((value - low) / span_value) * (height - 8)
        return f"{x:.1f},{y:.1f}"

    planned = f"{xy(start, points[0][1])} {xy(end, Decimal(objective['target_value']))}"
    actual = " ".join(xy(d, v) for d, v in points)
    return format_html(
        '<svg class="progress-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
        'height="{}" xmlns="http://www.w3.org/2000/svg">'
        '<polyline points="{}" fill="none" stroke="#6c757d" stroke-dasharray="4 3"/>'
        '<polyline points="{}" fill="none" stroke="#1d6b3a" stroke-width="2"/></svg>',
        _("Readings of %(title)s against the planned path to the target")
        % {"title": objective["title"]},
        width,
        height,
        width,
        height,
        planned,
        actual,
    )
