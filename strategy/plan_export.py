"""Exports of a plan version: a Hebrew right-to-left PDF (WeasyPrint) and an XLSX workbook (openpyxl) in
the user's language.

Both read the version's frozen content only, so what is exported is exactly what was approved."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kehila.models import Track
from kehila.spreadsheets import Money, Sheet, write_xlsx

from .charts import gantt
from .models import ActionKind, FundingSource
from .plan_content import budget_sums
from .signed import signature_check


def plan_pdf(version) -> bytes:
    from weasyprint import HTML

    with translation.override("he"):
        content = version.content
        html = render_to_string(
            "strategy/plan_pdf.html",
            {
                "version": version,
                "content": content,
                "sums": budget_sums(content.get("actions", [])),
                "gantts": _gantts(content.get("actions", [])),
                "signatures": {s.side: s for s in version.signatures.all()},
                "signature_check": signature_check(version, where="PDF"),
            },
        )
    return HTML(string=html).write_pdf()


def _gantts(actions: list[dict]) -> list[dict]:
    """Each track's Gantt with its budget per quarter, in the order of the tracks (right to left: the
    PDF is Hebrew)."""
    labels = dict(Track.choices)
    result = []
    for track, label in labels.items():
        mine = [a for a in actions if a["track"] == track]
        if mine:
            chart = gantt(
                mine,
                title=_("Gantt chart of the %(track)s track") % {"track": label},
                chart_id=f"gantt-{track}",
                today=False,
            )
            result.append({"label": label, "chart": chart})
    return result


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


def plan_xlsx(version) -> bytes:
    """Three sheets (objectives, actions, budget) in the active language, written through
    kehila.spreadsheets: right to left in Hebrew and Arabic, dates as dates, amounts in shekels, and a
    title typed as a formula stays text."""
    content = version.content
    tracks = dict(Track.choices)
    kinds = dict(ActionKind.choices)
    sources = dict(FundingSource.choices)
    objectives = [
        [
            _("Goal"),
            _("Objective"),
            _("Indicator"),
            _("Unit"),
            _("Baseline"),
            _("Baseline date"),
            _("Target"),
            _("Target date"),
            _("Track"),
        ]
    ]
    for goal in content.get("goals", []):
        for o in goal["objectives"]:
            objectives.append(
                [
                    goal["title"],
                    o["title"],
                    o["indicator"],
                    o["unit"],
                    Decimal(o["baseline_value"]),
                    _day(o["baseline_date"]),
                    Decimal(o["target_value"]),
                    _day(o["target_date"]),
                    str(tracks.get(o["track"], o["track"])),
                ]
            )
    actions = [
        [
            _("Track"),
            _("Action"),
            _("Kind"),
            _("Owner"),
            _("Partner organisations"),
            _("Start"),
            _("End"),
            _("Year"),
            _("Funding source"),
            _("Amount (NIS)"),
        ]
    ]
    for a in content.get("actions", []):
        head = [
            str(tracks.get(a["track"], a["track"])),
            a["title"],
            str(kinds.get(a["kind"], a["kind"])),
            a["owner"],
            a["partners"],
            _day(a["start"]),
            _day(a["end"]),
        ]
        for line in a["budget"] or [{"year": None, "source": "", "amount": "0"}]:
            actions.append(
                head
                + [
                    line["year"],
                    str(sources.get(line["source"], line["source"])),
                    Money(line["amount"]),
                ]
            )
    sums = budget_sums(content.get("actions", []))
    budget = [[_("Year"), *[str(label) for _s, label in sums.sources], _("Total")]]
    for row in sums.rows():
        budget.append([row["year"], *[Money(c) for c in row["cells"]], Money(row["total"])])
    budget.append([_("Total"), *[Money(t) for t in sums.source_totals()], Money(sums.total)])
    budget.append([])
    budget.append(
        [_("Flexible budget for resident initiatives"), Money(content["flexible_budget"])]
    )
    sheets = [
        Sheet(title=_("Objectives"), rows=objectives),
        Sheet(title=_("Actions"), rows=actions),
        Sheet(title=_("Budget"), rows=budget),
    ]
    return write_xlsx(sheets)
