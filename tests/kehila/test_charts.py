"""The charts' geometry: time runs right to left in Hebrew and Arabic, values land on round ticks."""

import datetime

from django.utils import translation

from kehila import charts

D = datetime.date


def test_time_runs_right_to_left_in_hebrew_and_arabic_and_left_to_right_in_english():
    for language, rtl in (("he", True), ("ar", True), ("en", False)):
        with translation.override(language):
            scale = charts.time_scale(D(2026, 1, 1), D(2026, 12, 31), 365)
        assert scale.rtl is rtl
        early, late = scale.x(D(2026, 2, 1)), scale.x(D(2026, 11, 1))
        assert (early > late) is rtl, language


def test_a_bar_covers_its_days_from_either_side():
    ltr = charts.time_scale(D(2026, 1, 1), D(2026, 1, 10), 100, rtl=False)
    rtl = charts.time_scale(D(2026, 1, 1), D(2026, 1, 10), 100, rtl=True)
    assert ltr.span(D(2026, 1, 1), D(2026, 1, 5)) == (0.0, 50.0)
    assert rtl.span(D(2026, 1, 1), D(2026, 1, 5)) == (50.0, 50.0)
    # a one-day milestone on a long axis is still visible
    assert ltr.span(D(2026, 1, 3), D(2026, 1, 3), minimum=20)[1] == 20


def test_month_ticks_become_quarters_on_long_axes():
    short = charts.time_scale(D(2026, 1, 15), D(2026, 6, 30), 100, rtl=False)
    assert [d for d, _ in short.months()] == [D(2026, m, 1) for m in range(2, 7)]
    long = charts.time_scale(D(2025, 1, 1), D(2028, 1, 1), 100, rtl=False)
    assert {d.month for d, _ in long.months()} == {1, 4, 7, 10}


def test_value_scale_holds_every_value_on_round_ticks():
    scale = charts.value_scale([13, 87, 42], 200)
    ticks = [v for v, _ in scale.ticks()]
    assert ticks == [0, 50, 100]
    assert scale(scale.low) == 200 and scale(scale.high) == 0  # upward: low at the bottom
    assert charts.points([(1, 2.5), (3, 4)]) == "1,2.5 3,4"
