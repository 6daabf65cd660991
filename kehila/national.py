"""HQ's national picture as plain data with coordinates; templates draw the SVG.

Municipalities by stage and the distribution of slips come from what HQ's overview has already read (no
query here); the next month's milestones are one query, whatever the number of municipalities.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext, ngettext

from . import charts
from .models import Milestone, Stage, milestone_title
from .rows import date_formatter, url_maker

LABEL_WIDTH = 220
BAR_AREA = 420
VALUE_WIDTH = 40
ROW_HEIGHT = 26
AXIS_HEIGHT = 20
DAYS_AHEAD = 30

# (key, lowest, highest) days late; None is open-ended. Zero and below: on time or early.
SLIP_BUCKETS = [
    ("on_time", None, 0),
    ("1_7", 1, 7),
    ("8_14", 8, 14),
    ("15_30", 15, 30),
    ("31_60", 31, 60),
    ("61_plus", 61, None),
]


def hbars(entries: list[tuple[str, str, int]], *, rtl: bool | None = None) -> dict:
    """(key, label, value) as horizontal bars; in Hebrew and Arabic the labels are on the right and the
    bars grow leftwards from them."""
    rtl = charts.right_to_left() if rtl is None else rtl
    scale = charts.value_scale([value for _k, _l, value in entries], BAR_AREA, upward=False)
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    origin = width - LABEL_WIDTH if rtl else LABEL_WIDTH
    bars = []
    for index, (key, label, value) in enumerate(entries):
        length = scale(value)
        top = index * ROW_HEIGHT
        bars.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "x": round(origin - length, 1) if rtl else origin,
                "y": top + 5,
                "width": length,
                "height": ROW_HEIGHT - 10,
                "text_y": top + ROW_HEIGHT / 2 + 4,
                "value_x": round(origin - length - 4, 1) if rtl else round(origin + length + 4, 1),
            }
        )
    axis_y = len(entries) * ROW_HEIGHT
    ticks = [
        {"value": f"{value:g}", "x": round(origin - x, 1) if rtl else round(origin + x, 1)}
        for value, x in scale.ticks()
        if x <= BAR_AREA
    ]
    return {
        "rtl": rtl,
        "width": width,
        "height": axis_y + AXIS_HEIGHT,
        "axis_y": axis_y,
        "label_x": width - 6 if rtl else 6,
        "bars": bars,
        "ticks": ticks,
    }


def by_stage(current: dict[int, str | None]) -> dict:
    """How many municipalities are in each stage (the tracker's current stage), every stage shown."""
    counts: dict[str | None, int] = {}
    for stage in current.values():
        counts[stage] = counts.get(stage, 0) + 1
    entries = [(value, str(label), counts.get(value, 0)) for value, label in Stage.choices]
    if counts.get(None):
        entries.append(("all_done", gettext("Every stage done"), counts[None]))
    return hbars(entries)


def bucket_label(low: int | None, high: int | None) -> str:
    if low is None:
        return gettext("On time or early")
    if high is None:
        return ngettext("More than %(days)s day late", "More than %(days)s days late", low - 1) % {
            "days": low - 1
        }
    return gettext("%(low)s–%(high)s days late") % {"low": low, "high": high}


def slip_histogram(slips: list[int | None]) -> dict:
    """Municipalities by how many days their timeline slipped (HQ's column), in buckets; those with no
    open milestone to measure are counted apart."""
    counts = dict.fromkeys((key for key, _l, _h in SLIP_BUCKETS), 0)
    unmeasured = 0
    for slip in slips:
        if slip is None:
            unmeasured += 1
            continue
        for key, low, high in SLIP_BUCKETS:
            if (low is None or slip >= low) and (high is None or slip <= high):
                counts[key] += 1
                break
    chart = hbars([(key, bucket_label(low, high), counts[key]) for key, low, high in SLIP_BUCKETS])
    chart["unmeasured"] = unmeasured
    return chart


def next_month(today: datetime.date, *, width: float = 620) -> dict:
    """Milestones not yet held that fall in the next 30 days (today included), in every municipality:
    one query. Drawn as a strip of days, each with a bar as tall as the milestones due that day."""
    last = today + datetime.timedelta(days=DAYS_AHEAD)
    rows = list(
        Milestone.objects.filter(
            status=Milestone.Status.PLANNED, planned__gte=today, planned__lte=last
        )
        .order_by("planned", "municipality__name", "key")
        .values_list("planned", "key", "municipality__name", "municipality__slug")
    )
    short = date_formatter()
    timeline_url = url_maker("kehila:timeline", "slug")
    titles: dict[str, str] = {}
    per_day: dict[datetime.date, int] = {}
    items = []
    for planned, key, name, slug in rows:
        per_day[planned] = per_day.get(planned, 0) + 1
        if key not in titles:
            titles[key] = milestone_title(key)
        items.append(
            {
                "date": short(planned),
                "day": planned,
                "title": titles[key],
                "municipality": name,
                "url": timeline_url(slug),
            }
        )
    height = 120
    scale = charts.time_scale(today, last, width)
    values = charts.value_scale(per_day.values(), height - 30)
    bar_width = max(width / scale.days - 3, 3)
    days = []
    for day, count in sorted(per_day.items()):
        left, _w = scale.span(day, day)
        top = values(count)
        days.append(
            {
                "day": day,
                "date": short(day),
                "count": count,
                "x": round(left + 1.5, 1),
                "y": round(top + 10, 1),
                "width": round(bar_width, 1),
                "height": round(height - 30 - top, 1),
            }
        )
    weeks = []
    tick = today
    while tick <= last:
        weeks.append({"day": tick, "x": scale.x(tick), "label": short(tick)})
        tick += datetime.timedelta(days=7)
    return {
        "rtl": scale.rtl,
        "width": width,
        "height": height,
        "axis_y": height - 20,
        "days": days,
        "weeks": weeks,
        "items": items,
        "count": len(items),
        "first": today,
        "last": last,
    }
