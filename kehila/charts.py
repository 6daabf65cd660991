"""Geometry for the portal's charts, drawn as SVG by templates on the server.

Charts are SVG written in templates (no chart library in the browser: nothing to download on an intranet,
nothing to run for the printer or for WeasyPrint, and every chart sits next to a table with the same data
for screen readers). This module only places things: a time scale and a value scale. In Hebrew and Arabic
time runs from right to left, as Israeli Gantt tools draw it; in English from left to right.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation


def right_to_left() -> bool:
    return bool(translation.get_language_bidi())


@dataclass(frozen=True)
class TimeScale:
    """Days between `first` and `last` (inclusive) onto `width` units, reversed right to left."""

    first: datetime.date
    last: datetime.date
    width: float
    rtl: bool

    @property
    def days(self) -> int:
        return max((self.last - self.first).days + 1, 1)

    def x(self, day: datetime.date) -> float:
        """Where the day begins on the axis (in RTL: its right edge)."""
        if isinstance(day, datetime.datetime):
            day = day.date()
        offset = (day - self.first).days / self.days * self.width
        return round(self.width - offset if self.rtl else offset, 1)

    def span(
        self, start: datetime.date, end: datetime.date, *, minimum: float = 3.0
    ) -> tuple[float, float]:
        """(left, width) of a bar from the start of `start` to the end of `end`."""
        a = self.x(start)
        b = self.x(end + datetime.timedelta(days=1))
        left, right = min(a, b), max(a, b)
        width = max(right - left, minimum)
        if self.rtl:
            left = right - width
        return round(left, 1), round(width, 1)

    def months(self) -> list[tuple[datetime.date, float]]:
        """The first of every month on the axis (every quarter when the axis is longer than two years)."""
        step = 3 if self.days > 2 * 366 else 1
        day = datetime.date(self.first.year, self.first.month, 1)
        if day < self.first:
            day = _add_months(day, 1)
        ticks = []
        while day <= self.last:
            if (day.month - 1) % step == 0:
                ticks.append((day, self.x(day)))
            day = _add_months(day, 1)
        return ticks

    def contains(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last


def time_scale(
    first: datetime.date, last: datetime.date, width: float, *, rtl: bool | None = None
) -> TimeScale:
    if last < first:
        first, last = last, first
    return TimeScale(
        first=first, last=last, width=float(width), rtl=right_to_left() if rtl is None else rtl
    )


@dataclass(frozen=True)
class ValueScale:
    """Values from `low` to `high` onto `length` units; `upward` puts `low` at the bottom (for y axes)."""

    low: float
    high: float
    length: float
    upward: bool = True

    def __call__(self, value) -> float:
        value = float(value)
        spread = (self.high - self.low) or 1.0
        share = (value - self.low) / spread * self.length
        return round(self.length - share if self.upward else share, 1)

    def ticks(self, count: int = 5) -> list[tuple[float, float]]:
        return [(value, self(value)) for value in nice_ticks(self.low, self.high, count)]


def value_scale(
    values, length: float, *, upward: bool = True, include_zero: bool = True
) -> ValueScale:
    """A scale that holds every value (and zero, unless told otherwise), widened to round ticks."""
    numbers = [float(v) for v in values if v is not None]
    if include_zero:
        numbers.append(0.0)
    if not numbers:
        numbers = [0.0, 1.0]
    low, high = min(numbers), max(numbers)
    if low == high:
        high = low + 1.0
    ticks = nice_ticks(low, high)
    return ValueScale(
        low=min(low, ticks[0]), high=max(high, ticks[-1]), length=float(length), upward=upward
    )


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round numbers (1, 2 or 5 times a power of ten apart) covering low..high."""
    spread = (high - low) or 1.0
    raw = spread / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step / 2:
        ticks.append(round(value, 10))
        value += step
    if len(ticks) < 2:
        ticks.append(round(start + step, 10))
    return ticks


def points(pairs) -> str:
    """`x,y x,y …` for an SVG polyline."""
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in pairs)


def _n(value) -> str:
    if isinstance(value, Decimal):
        value = float(value)
    return f"{value:g}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)
