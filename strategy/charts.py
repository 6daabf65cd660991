"""The plan's charts as plain data: every coordinate is worked out here (through kehila/charts.py), the
templates in strategy/templates/strategy/charts/ only draw. Time runs right to left in Hebrew and Arabic.

Text in the SVGs is anchored logically ("start" is where the language starts reading) and each <svg>
carries its direction, so Chromium and WeasyPrint put a right-to-left label's right edge on its x.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kehila.charts import points, right_to_left, time_scale, value_scale
from kehila.formatting import shekels as format_shekels
from kehila.rows import date_formatter

from .rendering import money


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def shekels(value) -> str:
    """An amount as the pages write it (kehila.formatting: thousands separated, the sign after)."""
    return format_shekels(value)


def _direction(rtl: bool) -> str:
    return "rtl" if rtl else "ltr"


# --- quarters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1..4

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> datetime.date:
        if self.number == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.number + 1, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        return _("Q%(quarter)s %(year)s") % {"quarter": self.number, "year": self.year}

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )


def quarters_between(first: datetime.date, last: datetime.date) -> list[Quarter]:
    quarter, end, result = Quarter.of(first), Quarter.of(last), []
    while (quarter.year, quarter.number) <= (end.year, end.number):
        result.append(quarter)
        quarter = quarter.next()
    return result


def quarter_budget(actions: list[dict]) -> dict[Quarter, Decimal]:
    """The budget per quarter. A budget line is for a year: it is spread evenly over the quarters of that
    year in which its action runs (all four when it runs in none), in whole agorot, the remainder in the
    last of them, so that the quarters of a year add up to exactly the year's lines."""
    result: dict[Quarter, Decimal] = {}
    for action in actions:
        start, end = _date(action["start"]), _date(action["end"])
        for line in action["budget"]:
            year = int(line["year"])
            quarters = [
                q
                for q in (Quarter(year, n) for n in range(1, 5))
                if q.first <= end and q.last >= start
            ] or [Quarter(year, n) for n in range(1, 5)]
            amount = Decimal(line["amount"])
            share = (amount / len(quarters)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            for index, quarter in enumerate(quarters):
                part = amount - share * (len(quarters) - 1) if index == len(quarters) - 1 else share
                result[quarter] = result.get(quarter, Decimal(0)) + part
    return result


# --- the Gantt of a track's work plan ------------------------------------------------------------


@dataclass
class Chart:
    """What every chart template reads: the canvas, its direction and the id of its <title>."""

    chart_id: str
    title: str
    width: float
    height: float
    direction: str
    parts: dict = field(default_factory=dict)


GANTT_LABELS = 230  # the column of action titles, on the side where reading starts
GANTT_TIME = 640
GANTT_ROW = 26
GANTT_HEAD = 34
BUDGET_BAND = 90


def gantt(
    actions: list[dict],
    *,
    title: str,
    chart_id: str = "gantt",
    rtl: bool | None = None,
    today: bool = True,
):
    """One bar per action over the days it runs, quarters and years marked, today's line if the plan
    spans today, and below the bars the budget of each quarter on the same time axis. None without
    actions. A signed document's copy (the PDF) leaves today's line out: `today=False`."""
    if not actions:
        return None
    rtl = right_to_left() if rtl is None else rtl
    ordered = sorted(actions, key=lambda a: (_date(a["start"]), _date(a["end"]), a["id"]))
    first = Quarter.of(min(_date(a["start"]) for a in ordered)).first
    last = Quarter.of(max(_date(a["end"]) for a in ordered)).last
    scale = time_scale(first, last, GANTT_TIME, rtl=rtl)
    pad = 8
    time_left = pad if rtl else pad + GANTT_LABELS
    label_x = pad + GANTT_TIME + GANTT_LABELS - 4 if rtl else pad + 4
    rows_bottom = GANTT_HEAD + GANTT_ROW * len(ordered)
    budget_top = rows_bottom + 24
    height = budget_top + BUDGET_BAND + 24
    short_date = date_formatter()

    def x(day):
        return round(time_left + scale.x(day), 1)

    quarters = quarters_between(first, last)
    grid = []
    for quarter in quarters:
        left, width = scale.span(quarter.first, quarter.last)
        grid.append(
            {
                "x": x(quarter.first),
                "year_start": quarter.number == 1,
                "label": _("Q%(quarter)s") % {"quarter": quarter.number},
                "label_x": round(time_left + left + width / 2, 1),
            }
        )
    years = []
    for year in range(first.year, last.year + 1):
        left, width = scale.span(
            max(first, datetime.date(year, 1, 1)), min(last, datetime.date(year, 12, 31))
        )
        years.append({"label": year, "x": round(time_left + left + width / 2, 1)})
    bars = []
    for index, action in enumerate(ordered):
        start, end = _date(action["start"]), _date(action["end"])
        left, width = scale.span(start, end)
        y = GANTT_HEAD + GANTT_ROW * index
        bars.append(
            {
                "id": action["id"],
                "title": action["title"],
                "label_x": label_x,
                "label": action["title"]
                if len(action["title"]) <= 34
                else action["title"][:33] + "…",
                "x": round(time_left + left, 1),
                "y": y + 5,
                "text_y": y + 17,
                "width": width,
                "tooltip": f"{action['title']}: {short_date(start)}–{short_date(end)}",
                "row_line": y + GANTT_ROW,
            }
        )
    budget = quarter_budget(ordered)
    band = value_scale(budget.values() or [0], BUDGET_BAND - 20)
    columns = []
    for quarter in quarters:
        amount = budget.get(quarter, Decimal(0))
        left, width = scale.span(quarter.first, quarter.last)
        top = band(amount)
        columns.append(
            {
                "label": quarter.label,
                "amount": shekels(amount),
                "x": round(time_left + left + 2, 1),
                "width": round(max(width - 4, 1), 1),
                "y": round(budget_top + 20 + top, 1),
                "height": round(BUDGET_BAND - 20 - top, 1),
                "text_x": round(time_left + left + width / 2, 1),
                "text_y": round(budget_top + 20 + top - 3, 1),
                "show_text": width >= 52 and amount > 0,
            }
        )
    day = timezone.localdate()
    return Chart(
        chart_id=chart_id,
        title=title,
        width=GANTT_LABELS + GANTT_TIME + 2 * pad,
        height=height,
        direction=_direction(rtl),
        parts={
            "time_left": time_left,
            "time_right": time_left + GANTT_TIME,
            "label_x": label_x,
            "rows_bottom": rows_bottom,
            "grid": grid,
            "years": years,
            "bars": bars,
            "budget_top": budget_top,
            "budget_base": budget_top + BUDGET_BAND,
            "budget_label_y": budget_top + BUDGET_BAND - 30,
            "columns": columns,
            "today": {"x": x(day), "label_y": rows_bottom + 14}
            if today and scale.contains(day)
            else None,
            "quarters": [
                {"label": q.label, "amount": shekels(budget.get(q, Decimal(0)))} for q in quarters
            ],
            "total": shekels(sum(budget.values(), Decimal(0))),
        },
    )


# --- an indicator over time ----------------------------------------------------------------------

LINE_WIDTH = 560
LINE_HEIGHT = 220
LINE_AXIS = 52  # the value axis, on the side where reading starts
LINE_TOP = 16
LINE_BOTTOM = 40


def indicator(objective: dict, readings, *, chart_id: str, rtl: bool | None = None) -> Chart:
    """The planned path (dashed, baseline to target), the readings (solid, a dot each) and the baseline
    and target marked, over time from the baseline date to the target or the latest reading."""
    rtl = right_to_left() if rtl is None else rtl
    short_date = date_formatter()
    baseline_day, target_day = _date(objective["baseline_date"]), _date(objective["target_date"])
    baseline, target = Decimal(objective["baseline_value"]), Decimal(objective["target_value"])
    readings = [(_date(r.measured_on), Decimal(r.value)) for r in readings]
    days = [baseline_day, target_day, *(d for d, _v in readings)]
    first, last = min(days), max(days)
    plot_width = LINE_WIDTH - LINE_AXIS - 16
    plot_height = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    scale = time_scale(first, last, plot_width, rtl=rtl)
    values = value_scale([baseline, target, *(v for _d, v in readings)], plot_height)
    plot_left = 16 if rtl else LINE_AXIS
    axis_x = plot_left + plot_width + LINE_AXIS / 2 if rtl else LINE_AXIS / 2

    def xy(day, value):
        return (round(plot_left + scale.x(day), 1), round(LINE_TOP + values(value), 1))

    plotted = [xy(d, v) for d, v in readings]
    years = [
        {"label": year, "x": round(plot_left + scale.x(datetime.date(year, 1, 1)), 1)}
        for year in range(first.year, last.year + 1)
        if scale.contains(datetime.date(year, 1, 1))
    ]
    unit = objective.get("unit") or ""
    bx, by = xy(baseline_day, baseline)
    tx, ty = xy(target_day, target)
    return Chart(
        chart_id=chart_id,
        title=_("%(title)s: readings against the baseline and the target")
        % {"title": objective["title"]},
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        direction=_direction(rtl),
        parts={
            "plot_left": plot_left,
            "plot_right": plot_left + plot_width,
            "plot_top": LINE_TOP,
            "plot_bottom": LINE_TOP + plot_height,
            "axis_x": axis_x,
            "ticks": [
                {"y": round(LINE_TOP + y, 1), "label": money(value)} for value, y in values.ticks()
            ],
            "years": years,
            "year_y": LINE_TOP + plot_height + 16,
            "legend_y": LINE_HEIGHT - 8,
            "legend_mark_y": LINE_HEIGHT - 12,
            "planned": points([(bx, by), (tx, ty)]),
            "baseline": {"x": round(bx - 4, 1), "y": round(by - 4, 1)},
            "target": {"x": tx, "y": ty},
            "line": points(plotted),
            "dots": [{"x": px, "y": py} for px, py in plotted],
            "legend": [
                _legend_item(plot_left, plot_width, share, rtl, kind)
                for share, kind in ((0, "planned"), (0.55, "readings"))
            ],
            # The same facts as a table, in time order: baseline, every reading, target.
            "rows": [
                {"what": _("Baseline"), "date": short_date(baseline_day), "value": money(baseline)},
                *(
                    {"what": _("Reading"), "date": short_date(d), "value": money(v)}
                    for d, v in readings
                ),
                {"what": _("Target"), "date": short_date(target_day), "value": money(target)},
            ],
            "unit": unit,
        },
    )


def _legend_item(plot_left, plot_width, share, rtl, kind) -> dict:
    """A key's sample line (20 units) and its text after it, in reading order from `share` of the way."""
    if rtl:
        end = plot_left + plot_width * (1 - share)
        x1, x2, text_x = end - 20, end, end - 24
    else:
        x1 = plot_left + plot_width * share
        x2, text_x = x1 + 20, x1 + 24
    label = (
        _("Planned path: baseline (square) to target (ring)")
        if kind == "planned"
        else _("Readings (dots)")
    )
    return {
        "kind": kind,
        "x1": round(x1, 1),
        "x2": round(x2, 1),
        "text_x": round(text_x, 1),
        "label": label,
    }


# --- the situation picture and the logic model ----------------------------------------------------


def findings(group: dict, *, rtl: bool | None = None):
    """Horizontal bars, one per finding, from the side where reading starts, scaled to the group's
    largest value. None without findings."""
    items = group["findings"]
    if not items:
        return None
    rtl = right_to_left() if rtl is None else rtl
    width, labels, bar_room, row = 600, 260, 280, 24
    scale = value_scale([Decimal(f["value"]) for f in items], bar_room, upward=False)
    bars = []
    for index, f in enumerate(items):
        length = max(scale(Decimal(f["value"])), 0)
        y = index * row
        # The label column first (where reading starts), then the bar, then its value.
        label_x = width - 4 if rtl else 4
        bar_x = width - labels - length if rtl else labels
        value_x = bar_x - 4 if rtl else bar_x + length + 4
        bars.append(
            {
                "label": f"{f['indicator']} · {f['neighbourhood'] or '—'}",
                "label_x": label_x,
                "x": round(bar_x, 1),
                "y": y + 3,
                "width": round(length, 1),
                "text_y": y + 16,
                "value": money(f["value"]),
                "value_x": round(value_x, 1),
            }
        )
    return Chart(
        chart_id=f"chart-{group['number']}",
        title=_("Findings of challenge %(number)s") % {"number": group["number"]},
        width=width,
        height=len(items) * row + 6,
        direction=_direction(rtl),
        parts={"bars": bars},
    )


def logic_model(stages: list[tuple[str, str]], *, title: str, rtl: bool | None = None) -> Chart:
    """Six boxes in reading order joined by arrows: inputs → … → long-term outcomes."""
    rtl = right_to_left() if rtl is None else rtl
    box, gap = 150, 30
    width = len(stages) * (box + gap) + gap
    boxes = []
    for index, (label, text) in enumerate(stages):
        x = width - (index + 1) * (box + gap) if rtl else gap + index * (box + gap)
        lines = [line for line in (text or "—").splitlines() if line.strip()][:4] or ["—"]
        text_x = x + box - 8 if rtl else x + 8
        boxes.append(
            {
                "x": x,
                "width": box,
                "label": label,
                "text_x": text_x,
                "lines": [line[:22] for line in lines],
                "arrow": None
                if index == len(stages) - 1
                else (
                    {"x1": x, "x2": x - gap + 4}
                    if rtl
                    else {"x1": x + box, "x2": x + box + gap - 4}
                ),
            }
        )
    return Chart(
        chart_id="logic-title",
        title=title,
        width=width,
        height=140,
        direction=_direction(rtl),
        parts={"boxes": boxes},
    )
