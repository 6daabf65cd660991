"""The timeline's Gantt chart as plain coordinates (issue 17 §2): the templates draw it as SVG.

One row per milestone. A chained milestone's bar runs from the day the milestone it depends on falls
(the work that leads up to it) to its own day; a regular meeting or the scope decision is a single day.
Each row has up to two bars, e.g. the plan and what happened (held, or still open past its day), or,
for the reschedule preview, the dates now and after the change. Dependencies are elbow lines from the
end of a milestone's first bar to the start of the first bar of what depends on it. Time runs right to
left in Hebrew and Arabic (kehila.charts.time_scale); the labels sit on the side where reading starts.

Nothing here reads the database: callers hand in `Item`s built from rows they already fetched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import charts

LABEL_WIDTH = 210
CHART_WIDTH = 720
AXIS_HEIGHT = 30
ROW_HEIGHT = 30
BAR_HEIGHT = 8
NOTE_WIDTH = 90  # room after the chart for the row's note ("12 days late")
PAD_DAYS = 7

# What a bar's `state` may be; the template gives each a colour AND a pattern, the legend a word.
ON_TIME, SLIPPING, LATE = "on_time", "slipping", "late"


@dataclass(frozen=True)
class Bar:
    start: datetime.date
    end: datetime.date
    kind: str  # "planned", "actual", "open" (not held, past its day), "before", "after"
    state: str = ON_TIME


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    bars: tuple[Bar, ...]
    depends_on: tuple[str, ...] = ()
    note: str = ""
    state: str = ON_TIME
    meeting_url: str | None = None
    meeting_day: datetime.date | None = None
    baseline: datetime.date | None = None  # the original plan's day, marked when it differs


@dataclass
class _Layout:
    scale: charts.TimeScale
    rtl: bool
    chart_left: float
    label_x: float
    note_x: float
    width: float
    rows: list = field(default_factory=list)


def state_of(severity: str, overdue: bool) -> str:
    """The engine's severity (kehila.timeline.slip_severity) and whether it is past its day, in three
    words: an alarm or an overdue milestone is late, a slip under the threshold is slipping."""
    if severity == "alarm" or overdue:
        return LATE
    if severity == "minor":
        return SLIPPING
    return ON_TIME


def spans(
    ends: dict[str, datetime.date], depends: dict[str, tuple[str, ...]]
) -> dict[str, datetime.date]:
    """The start of each milestone's bar: the latest day among what it depends on (itself without)."""
    starts = {}
    for key, end in ends.items():
        before = [ends[k] for k in depends.get(key, ()) if k in ends]
        starts[key] = min(max(before), end) if before else end
    return starts


def gantt(items: list[Item], today: datetime.date, *, rtl: bool | None = None) -> dict:
    """Rows, bars, dependency lines, month ticks and the today line of one chart."""
    days = [today]
    for item in items:
        for bar in item.bars:
            days += [bar.start, bar.end]
        days += [d for d in (item.baseline, item.meeting_day) if d]
    first = min(days) - datetime.timedelta(days=PAD_DAYS)
    last = max(days) + datetime.timedelta(days=PAD_DAYS)
    scale = charts.time_scale(first, last, CHART_WIDTH, rtl=rtl)
    width = LABEL_WIDTH + CHART_WIDTH + NOTE_WIDTH
    if scale.rtl:
        # labels on the right, then (leftwards) the chart, then the notes on the far left
        chart_left, label_x, note_x = NOTE_WIDTH, width - 6, NOTE_WIDTH - 6
    else:
        chart_left, label_x, note_x = LABEL_WIDTH, 6, LABEL_WIDTH + CHART_WIDTH + 6

    def x(day: datetime.date) -> float:
        return round(chart_left + scale.x(day), 1)

    rows, ends = [], {}
    for index, item in enumerate(items):
        top = AXIS_HEIGHT + index * ROW_HEIGHT
        bars = []
        for lane, bar in enumerate(item.bars[:2]):
            left, w = scale.span(bar.start, bar.end, minimum=4)
            bars.append(
                {
                    "x": round(chart_left + left, 1),
                    "y": top + 5 + lane * (BAR_HEIGHT + 3),
                    "width": w,
                    "height": BAR_HEIGHT,
                    "kind": bar.kind,
                    "state": bar.state,
                    "start": bar.start,
                    "end": bar.end,
                }
            )
        # A dependency line leaves from the end of the first bar (in RTL the end is on the left).
        if bars:
            first_bar = bars[0]
            ends[item.key] = {
                "x": first_bar["x"] if scale.rtl else first_bar["x"] + first_bar["width"],
                "y": first_bar["y"] + BAR_HEIGHT / 2,
            }
        row = {
            "key": item.key,
            "title": item.title,
            "top": top,
            "middle": top + ROW_HEIGHT / 2,
            "text_y": top + ROW_HEIGHT / 2 + 4,
            "stripe": index % 2 == 1,
            "bars": bars,
            "note": item.note,
            "state": item.state,
            "meeting": None,
            "baseline_x": x(item.baseline) if item.baseline else None,
        }
        if item.meeting_url and item.meeting_day:
            row["meeting"] = {
                "url": item.meeting_url,
                "cx": x(item.meeting_day),
                "cy": top + ROW_HEIGHT - 5,
            }
        rows.append(row)

    links = []
    starts = {
        row["key"]: (
            row["bars"][0]["x"] + row["bars"][0]["width"] if scale.rtl else row["bars"][0]["x"],
            row["bars"][0]["y"] + BAR_HEIGHT / 2,
        )
        for row in rows
        if row["bars"]
    }
    for item in items:
        for dep in item.depends_on:
            if dep in ends and item.key in starts:
                x1, y1 = ends[dep]["x"], ends[dep]["y"]
                x2, y2 = starts[item.key]
                # down (or up) from the end of what it depends on, then along to the start of the bar
                links.append({"from": dep, "to": item.key, "d": f"M{x1:g} {y1:g}V{y2:g}H{x2:g}"})

    height = AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 6
    ticks = [{"day": day, "x": round(chart_left + tick_x, 1)} for day, tick_x in scale.months()]
    return {
        "rtl": scale.rtl,
        "width": width,
        "height": height,
        "chart_left": chart_left,
        "chart_right": chart_left + CHART_WIDTH,
        "label_x": label_x,
        "note_x": note_x,
        "axis_y": AXIS_HEIGHT,
        "ticks": ticks,
        "today": {"day": today, "x": x(today)} if scale.contains(today) else None,
        "rows": rows,
        "links": links,
        "first": first,
        "last": last,
    }


def preview_items(
    changes, current: dict[str, datetime.date], depends: dict[str, tuple[str, ...]], titles, notes
) -> list[Item]:
    """The reschedule preview's rows: for each milestone that would move, its bar now and after.

    `changes` are kehila.timeline.Change (key, old, new; None where a milestone appears or vanishes),
    `current` every milestone's day now (the bars start where what they depend on falls, before and
    after), `titles` and `notes` functions of a key and of a change."""
    after = dict(current)
    for change in changes:
        if change.new is None:
            after.pop(change.key, None)
        else:
            after[change.key] = change.new
    before_start, after_start = spans(current, depends), spans(after, depends)
    moving = {c.key for c in changes}
    items = []
    for change in changes:
        bars = []
        if change.old is not None:
            start = before_start.get(change.key, change.old)
            bars.append(Bar(min(start, change.old), change.old, "before"))
        if change.new is not None:
            start = after_start.get(change.key, change.new)
            bars.append(Bar(min(start, change.new), change.new, "after"))
        items.append(
            Item(
                key=change.key,
                title=titles(change.key),
                bars=tuple(bars),
                depends_on=tuple(k for k in depends.get(change.key, ()) if k in moving),
                note=notes(change),
            )
        )
    return items
