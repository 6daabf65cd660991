"""The plan's charts: quarters and their budget, the Gantt's and the indicator chart's geometry (right to
left in Hebrew and Arabic), and the pages that draw them with their tables."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from strategy import charts
from strategy import plan_services as services
from tests.strategy.plan_factories import a_plan_version, an_action, an_objective
from tests.strategy.test_plan_views import _sign, base


def _action(id, start, end, budget=(), title=None):
    return {
        "id": id,
        "track": "social",
        "title": title or f"פעולה {id}",
        "start": start,
        "end": end,
        "budget": [{"year": y, "source": "municipality", "amount": a} for y, a in budget],
    }


# --- data and geometry ----------------------------------------------------------------------------


def test_a_years_budget_is_spread_over_the_quarters_its_action_runs_in_and_adds_up():
    actions = [
        _action(1, "2027-05-10", "2027-12-31", [(2027, "10000")]),  # Q2..Q4: 3 quarters
        _action(2, "2027-01-01", "2028-03-31", [(2028, "100")]),  # only Q1 2028
    ]
    quarters = charts.quarter_budget(actions)
    assert quarters == {
        charts.Quarter(2027, 2): Decimal("3333.33"),
        charts.Quarter(2027, 3): Decimal("3333.33"),
        charts.Quarter(2027, 4): Decimal("3333.34"),
        charts.Quarter(2028, 1): Decimal("100"),
    }
    assert sum(quarters.values()) == Decimal("10100")


def test_quarters_have_their_days_and_labels_in_the_language():
    q = charts.Quarter(2028, 1)
    assert (q.first, q.last) == (datetime.date(2028, 1, 1), datetime.date(2028, 3, 31))
    assert charts.Quarter(2027, 4).last == datetime.date(2027, 12, 31)
    assert [
        x.label
        for x in charts.quarters_between(datetime.date(2027, 11, 5), datetime.date(2028, 2, 1))
    ] == [
        "רבעון 4 2027",
        "רבעון 1 2028",
    ]
    with translation.override("en"):
        assert q.label == "Q1 2028"


@time_machine.travel("2027-07-01 10:00 +03:00", tick=False)
def test_the_gantt_runs_right_to_left_in_hebrew_and_left_to_right_in_english():
    actions = [
        _action(2, "2027-07-01", "2027-12-31", [(2027, "40000")]),
        _action(1, "2027-01-01", "2027-06-30", [(2027, "20000")]),
    ]
    hebrew = charts.gantt(actions, title="t", rtl=True)
    english = charts.gantt(actions, title="t", rtl=False)
    # Ordered by start; in Hebrew the first half-year is to the right of the second.
    first, second = hebrew.parts["bars"]
    assert (first["id"], second["id"]) == (1, 2)
    assert first["x"] > second["x"]
    assert first["x"] + first["width"] == pytest.approx(hebrew.parts["time_right"], abs=0.2)
    e_first, e_second = english.parts["bars"]
    assert e_first["x"] == english.parts["time_left"] and e_first["x"] < e_second["x"]
    # Titles sit where reading starts: right in Hebrew, left in English.
    assert first["label_x"] > hebrew.parts["time_right"]
    assert e_first["label_x"] < english.parts["time_left"]
    assert hebrew.direction == "rtl" and english.direction == "ltr"
    # Today's line is halfway; the quarters' budget in shekels, in time order.
    assert hebrew.parts["today"]["x"] == pytest.approx(
        (hebrew.parts["time_left"] + hebrew.parts["time_right"]) / 2, abs=3
    )
    assert [q["amount"] for q in hebrew.parts["quarters"]] == [
        "10,000\u00a0₪",
        "10,000\u00a0₪",
        "20,000\u00a0₪",
        "20,000\u00a0₪",
    ]
    assert hebrew.parts["total"] == "60,000\u00a0₪"
    # The larger quarters' columns are the taller ones, standing on the same base.
    columns = hebrew.parts["columns"]
    assert columns[2]["height"] == pytest.approx(2 * columns[0]["height"], abs=0.2)
    assert {round(c["y"] + c["height"], 1) for c in columns} == {hebrew.parts["budget_base"]}
    assert columns[0]["x"] > columns[3]["x"]  # Q1 on the right


@time_machine.travel("2030-01-01 10:00 +02:00", tick=False)
def test_the_gantt_draws_no_today_line_outside_the_plan_or_when_told_not_to():
    actions = [_action(1, "2027-01-01", "2027-06-30")]
    assert charts.gantt(actions, title="t", rtl=True).parts["today"] is None
    assert charts.gantt([], title="t") is None


def _reading(day, value):
    from collections import namedtuple

    return namedtuple("R", "measured_on value")(day, Decimal(value))


def test_the_indicator_chart_places_baseline_readings_and_target_and_lists_them_in_time_order():
    objective = {
        "id": 7,
        "title": "הגדלת ההתנדבות",
        "unit": "אנשים",
        "baseline_value": "100",
        "baseline_date": "2027-01-01",
        "target_value": "300",
        "target_date": "2029-12-31",
    }
    readings = [_reading(datetime.date(2027, 6, 1), 150), _reading(datetime.date(2028, 6, 1), 200)]
    chart = charts.indicator(objective, readings, chart_id="i", rtl=True)
    p = chart.parts
    # Time right to left: the baseline on the right edge, the target on the left.
    assert p["baseline"]["x"] + 4 == pytest.approx(p["plot_right"], abs=0.2)
    assert p["target"]["x"] == pytest.approx(p["plot_left"], abs=0.5)
    # Up is more: the target above the baseline, the readings in between, right to left.
    assert p["target"]["y"] < p["baseline"]["y"] + 4
    dots = p["dots"]
    assert dots[0]["x"] > dots[1]["x"] and dots[0]["y"] > dots[1]["y"]
    assert p["line"] == f"{dots[0]['x']:g},{dots[0]['y']:g} {dots[1]['x']:g},{dots[1]['y']:g}"
    assert [(r["date"], r["value"]) for r in p["rows"]] == [
        ("1.1.2027", "100"),
        ("1.6.2027", "150"),
        ("1.6.2028", "200"),
        ("31.12.2029", "300"),
    ]
    assert [t["label"] for t in p["ticks"]] == ["0", "100", "200", "300"]
    english = charts.indicator(objective, readings, chart_id="i", rtl=False).parts
    assert english["baseline"]["x"] + 4 == pytest.approx(english["plot_left"], abs=0.2)
    assert english["dots"][0]["x"] < english["dots"][1]["x"]


# --- pages ----------------------------------------------------------------------------------------


def _cells(page, table_id):
    body = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body)
    ]


@pytest.mark.django_db
@time_machine.travel("2027-07-01 10:00 +03:00", tick=False)
def test_the_work_plan_page_draws_the_gantt_its_quarters_and_the_tracks_indicators(
    municipality, manager, client_for
):
    an_action(municipality)  # 2027-03-01..2028-06-30: 50,000 in 2027, 25,000 in 2028
    an_action(municipality, title="מועדון נוער")
    objective = an_objective(municipality)
    services.reading_add(
        objective=objective, user=manager, measured_on=datetime.date(2027, 6, 1), value=200
    )
    page = client_for(manager).get(base(municipality) + "/work-plan/?track=social").content.decode()
    assert '<figure class="gantt-figure">' in page and "<figcaption>" in page
    assert 'role="img" aria-labelledby="gantt-title"' in page
    assert page.count('class="gantt-bar"') == 2
    assert 'class="gantt-today"' in page
    # Each quarter's share: each action's 50,000 of 2027 over its four quarters (Q1 from March).
    cells = _cells(page, "gantt-quarters")
    assert cells[:4] == ["רבעון", "תקציב", "רבעון 1 2027", "25,000\u00a0₪"]
    assert cells[-1] == "150,000\u00a0₪"
    assert "רבעון 2 2028" in cells and "רבעון 3 2028" not in cells
    # The chart and its table scroll in a labelled region, and the indicator has its chart and table.
    assert (
        'class="chart-scroll border rounded p-2 mb-2 bg-white" tabindex="0" role="region"' in page
    )
    assert f'id="indicator-{objective.pk}"' in page
    assert '<th scope="row">1.6.2027</th><td>מדידה</td><td>200</td>' in page


@pytest.mark.django_db
@time_machine.travel("2027-07-01 10:00 +03:00", tick=False)
def test_the_plan_page_and_the_public_page_draw_every_indicator_with_its_numbers(
    municipality, manager, mayor_office, hq_user, client, client_for
):
    objective = an_objective(municipality)
    for day, value in ((datetime.date(2027, 3, 1), 120), (datetime.date(2027, 6, 1), 200)):
        services.reading_add(objective=objective, user=manager, measured_on=day, value=value)
    version = a_plan_version(municipality)
    _sign(version, manager, mayor_office, hq_user)
    for page in (
        client_for(manager).get(base(municipality) + "/").content.decode(),
        client.get(f"/public/strategy/{municipality.slug}/plan/").content.decode(),
    ):
        figure = page.split(f'id="indicator-{objective.pk}"', 1)[1].split("</figure>", 1)[0]
        assert "<figcaption" in figure and 'role="img"' in figure
        assert figure.count('class="reading"') == 2
        rows = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td>', figure)
        assert rows == [
            ("1.1.2027", "מצב פתיחה", "100"),
            ("1.3.2027", "מדידה", "120"),
            ("1.6.2027", "מדידה", "200"),
            ("31.12.2029", "יעד", "300"),
        ]
        assert 'tabindex="0" role="region" aria-labelledby="progress-caption"' in page


@pytest.mark.django_db
def test_the_pdf_of_a_plan_version_carries_each_tracks_gantt_and_quarters(
    municipality, manager, client_for
):
    import io

    from pypdf import PdfReader

    from strategy.plan_export import _gantts

    version = a_plan_version(municipality)
    gantts = _gantts(version.content["actions"])
    assert [(g["chart"].direction, g["chart"].parts["today"]) for g in gantts] == [("rtl", None)]
    response = client_for(manager).get(base(municipality) + f"/v/{version.pk}/pdf/")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "12,500" in text
