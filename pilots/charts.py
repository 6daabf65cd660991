"""Geometry of the pilot dashboard's budget bar (the funnel's bars are shares computed by its selector).

Drawn by the template as SVG on the server; kehila.charts supplies the value scale. In Hebrew and Arabic
the bar grows from the right, as the page reads."""

from __future__ import annotations

from kehila.charts import right_to_left, value_scale

from .selectors import Budget

WIDTH = 400.0
MARGIN = 20.0  # on both sides, so that the end ticks' labels fit
BAR = WIDTH - 2 * MARGIN


def budget_bar(budget: Budget, *, rtl: bool | None = None) -> dict:
    """The total as a track, the committed grants as a bar over it (beyond the total in red, hatched,
    when grants went over budget through an opened gate), the money paid out as a thinner bar inside."""
    rtl = right_to_left() if rtl is None else rtl
    scale = value_scale([budget.total, budget.committed, budget.paid], BAR, upward=False)

    def span(low, high) -> tuple[float, float]:
        a, b = scale(low), scale(high)
        width = round(max(b - a, 0), 1)
        left = MARGIN + (BAR - b if rtl else a)
        return round(left, 1), width

    within = min(budget.committed, budget.total)
    over = span(budget.total, budget.committed) if budget.committed > budget.total else None
    ticks = []
    for value, offset in scale.ticks(5):
        ticks.append({"value": value, "x": round(MARGIN + (BAR - offset if rtl else offset), 1)})
    return {
        "width": WIDTH,
        "total": span(0, budget.total),
        "committed": span(0, within),
        "over": over,
        "paid": span(0, budget.paid),
        "ticks": ticks,
    }
