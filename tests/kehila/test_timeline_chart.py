"""The charts' data (issue 17 §2): the timeline's Gantt, the reschedule preview and HQ's national picture,
as coordinates, right to left in Hebrew and Arabic; and the pages that draw them beside their tables."""

import datetime
import re

import pytest
import time_machine
from django.utils import translation

from kehila import national, timeline_chart
from kehila.models import Milestone
from kehila.timeline import Change
from tests.factories import MunicipalityFactory
from tests.kehila.timeline_factories import milestone, plan_program

D = datetime.date
Bar, Item = timeline_chart.Bar, timeline_chart.Item


def _chain(rtl):
    items = [
        Item("a", "A", (Bar(D(2027, 1, 10), D(2027, 1, 10), "planned"),)),
        Item(
            "b",
            "B",
            (
                Bar(D(2027, 1, 10), D(2027, 2, 10), "planned", "late"),
                Bar(D(2027, 2, 11), D(2027, 3, 1), "open", "late"),
            ),
            depends_on=("a",),
            note="19 days overdue",
            state="late",
        ),
    ]
    return timeline_chart.gantt(items, D(2027, 3, 1), rtl=rtl)


def test_the_gantt_runs_left_to_right_in_english_and_right_to_left_in_hebrew():
    ltr, rtl = _chain(False), _chain(True)
    for chart in (ltr, rtl):
        a, b = chart["rows"]
        assert [len(a["bars"]), len(b["bars"])] == [1, 2]
        assert b["top"] > a["top"]  # one row per milestone, in order
        assert chart["today"]["x"] > 0
    ltr_b, rtl_b = ltr["rows"][1]["bars"], rtl["rows"][1]["bars"]
    # the open part (after its day) lies later than the planned part: right in English, left in Hebrew
    assert ltr_b[1]["x"] >= ltr_b[0]["x"] + ltr_b[0]["width"] - 0.2
    assert rtl_b[1]["x"] + rtl_b[1]["width"] <= rtl_b[0]["x"] + 0.2
    # the open bar ends with today (today's line is drawn where the day begins: one day's width)
    day = timeline_chart.CHART_WIDTH / (ltr["last"] - ltr["first"]).days
    assert ltr["today"]["x"] == pytest.approx(ltr_b[1]["x"] + ltr_b[1]["width"] - day, abs=1)
    assert rtl["today"]["x"] == pytest.approx(rtl_b[1]["x"] + day, abs=1)
    # the labels sit where reading starts
    assert ltr["label_x"] < ltr["chart_left"] and rtl["label_x"] > rtl["chart_right"]


def test_a_dependency_line_leaves_from_the_end_of_what_it_depends_on():
    for rtl in (False, True):
        chart = _chain(rtl)
        (link,) = chart["links"]
        assert (link["from"], link["to"]) == ("a", "b")
        x1, y1, y2, x2 = map(float, re.match(r"M(\S+) (\S+)V(\S+)H(\S+)", link["d"]).groups())
        a_bar, b_bar = chart["rows"][0]["bars"][0], chart["rows"][1]["bars"][0]
        assert y1 < y2  # down from a to b
        a_end = a_bar["x"] if rtl else a_bar["x"] + a_bar["width"]
        b_start = b_bar["x"] + b_bar["width"] if rtl else b_bar["x"]
        assert (x1, x2) == pytest.approx((a_end, b_start))


def test_severity_becomes_three_states_and_a_bar_starts_where_its_dependency_falls():
    assert timeline_chart.state_of("on_time", False) == "on_time"
    assert timeline_chart.state_of("early", False) == "on_time"
    assert timeline_chart.state_of("minor", False) == "slipping"
    assert timeline_chart.state_of("minor", True) == "late"  # past its day: late
    assert timeline_chart.state_of("alarm", False) == "late"
    ends = {"a": D(2027, 1, 1), "b": D(2027, 2, 1), "c": D(2027, 3, 1)}
    starts = timeline_chart.spans(ends, {"c": ("a", "b"), "b": ("a",)})
    assert starts == {"a": D(2027, 1, 1), "b": D(2027, 1, 1), "c": D(2027, 2, 1)}


def test_the_preview_has_a_bar_now_and_a_bar_after_for_each_milestone_that_moves():
    current = {"a": D(2027, 1, 1), "b": D(2027, 2, 1), "c": D(2027, 3, 1)}
    depends = {"b": ("a",), "c": ("b",)}
    changes = [Change("b", D(2027, 2, 1), D(2027, 2, 15)), Change("c", D(2027, 3, 1), None)]
    items = timeline_chart.preview_items(
        changes, current, depends, str.upper, lambda c: f"{c.key}!"
    )
    b, c = items
    assert [bar.kind for bar in b.bars] == ["before", "after"]
    assert (b.bars[0].start, b.bars[0].end) == (D(2027, 1, 1), D(2027, 2, 1))
    assert (b.bars[1].start, b.bars[1].end) == (D(2027, 1, 1), D(2027, 2, 15))
    assert [bar.kind for bar in c.bars] == ["before"]  # it leaves the plan
    assert c.depends_on == ("b",) and b.title == "B" and c.note == "c!"


def test_horizontal_bars_grow_from_the_labels_side():
    entries = [("x", "X", 3), ("y", "Y", 0), ("z", "Z", 6)]
    ltr, rtl = national.hbars(entries, rtl=False), national.hbars(entries, rtl=True)
    assert [b["value"] for b in ltr["bars"]] == [3, 0, 6]
    x_l, z_l = ltr["bars"][0], ltr["bars"][2]
    assert x_l["x"] == z_l["x"] == national.LABEL_WIDTH and z_l["width"] == 2 * x_l["width"]
    x_r, z_r = rtl["bars"][0], rtl["bars"][2]
    origin = rtl["width"] - national.LABEL_WIDTH
    assert x_r["x"] + x_r["width"] == pytest.approx(origin) and z_r["x"] < x_r["x"]


def test_slips_fall_into_buckets_and_the_unmeasured_are_counted_apart():
    with translation.override("en"):
        chart = national.slip_histogram([None, -3, 0, 1, 7, 8, 14, 15, 40, 61, 300, None])
    counts = {bar["key"]: bar["value"] for bar in chart["bars"]}
    assert counts == {"on_time": 2, "1_7": 2, "8_14": 2, "15_30": 1, "31_60": 1, "61_plus": 2}
    assert chart["unmeasured"] == 2
    labels = [bar["label"] for bar in chart["bars"]]
    assert labels[0] == "On time or early" and labels[-1] == "More than 60 days late"
    assert labels[1] == "1–7 days late"


def test_municipalities_by_stage_show_every_stage_in_order():
    chart = national.by_stage({1: "kickoff", 2: "kickoff", 3: "mapping", 4: None})
    counts = {bar["key"]: bar["value"] for bar in chart["bars"]}
    assert counts["kickoff"] == 2 and counts["mapping"] == 1 and counts["hearts"] == 0
    assert counts["all_done"] == 1
    assert [bar["key"] for bar in chart["bars"]][:2] == ["kickoff", "hearts"]


@pytest.mark.django_db
@time_machine.travel(D(2027, 2, 1))
def test_the_next_month_counts_open_milestones_of_every_municipality_from_today():
    first, second = MunicipalityFactory(), MunicipalityFactory()
    plan_program(first)
    plan_program(second)
    design_2 = milestone(first.program, "design_2")
    Milestone.objects.filter(pk=design_2.pk).update(planned=D(2027, 2, 10))
    chart = national.next_month(D(2027, 2, 1))
    expected = Milestone.objects.filter(
        status="planned", planned__gte=D(2027, 2, 1), planned__lte=D(2027, 3, 3)
    )
    assert chart["count"] == expected.count() > 0
    assert sum(day["count"] for day in chart["days"]) == chart["count"]
    assert [i["day"] for i in chart["items"]] == sorted(i["day"] for i in chart["items"])
    assert all(D(2027, 2, 1) <= i["day"] <= D(2027, 3, 3) for i in chart["items"])
    tenth = next(day for day in chart["days"] if day["day"] == D(2027, 2, 10))
    assert tenth["count"] >= 1


# --- the pages --------------------------------------------------------------------------------------


def _bars(page: str, chart_id: str) -> dict[str, list[tuple[str, float]]]:
    """{milestone key: [(kind, x), ...]} of one chart on the page."""
    figure = page.split(f'<figure class="kchart" id="{chart_id}">')[1].split("</figure>")[0]
    rows = {}
    for key, body in re.findall(
        r'<g class="kchart-row" data-key="([^"]+)"[^>]*>(.*?)</g>', figure, re.S
    ):
        rows[key] = [
            (kind, float(x))
            for x, kind in re.findall(r'<rect x="([\d.]+)"[^>]*data-kind="([a-z]+)"', body)
        ]
    return rows


def _figure(page: str, chart_id: str) -> str:
    return page.split(f'id="{chart_id}"')[1].split("</figure>")[0]


def _assert_accessible_chart(page: str, chart_id: str):
    figure = _figure(page, chart_id)
    assert "<figcaption>" in figure
    assert re.search(r'class="kchart-scroll" tabindex="0" role="region" aria-label="[^"]+"', figure)
    assert f'role="img" aria-labelledby="{chart_id}-title"' in figure
    assert f'<title id="{chart_id}-title">' in figure


@pytest.mark.django_db
@time_machine.travel(D(2027, 2, 1))
def test_the_timeline_draws_a_gantt_beside_its_table_right_to_left_in_hebrew(
    client_for, manager, municipality
):
    program = plan_program(municipality)
    page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()
    _assert_accessible_chart(page, "gantt")
    bars = _bars(page, "gantt")
    table_keys = re.findall(r'<tr id="milestone-([^"]+)"', page)
    assert list(bars) == table_keys  # a chart row for every table row, in the same order
    # design_1 (24 January, not held): planned and an open bar, late; design_3 comes later: more to the left
    assert [kind for kind, _x in bars["design_1"]] == ["planned", "open"]
    assert bars["design_3"][0][1] < bars["design_1"][0][1]
    # dependencies: design_2 hangs from design_1; the regular meetings hang from nothing
    figure = _figure(page, "gantt")
    assert 'data-from="design_1" data-to="design_2"' in figure
    assert 'data-to="steering_regular' not in figure
    assert 'class="kchart-today"' in figure
    late = Milestone.objects.get(program=program, key="design_1")
    assert late.planned == D(2027, 1, 24)
    assert 'data-key="design_1" data-state="late"' in figure
    assert "באיחור של 8 ימים" in figure.split('data-key="design_1"')[1].split("</g>")[0]


@pytest.mark.django_db
@time_machine.travel(D(2027, 2, 1))
def test_the_timeline_runs_left_to_right_in_english_and_marks_held_milestones(
    client_for, manager, municipality, in_english
):
    program = plan_program(municipality)
    Milestone.objects.filter(program=program, key="design_1").update(
        status="held", actual=D(2027, 1, 27)
    )
    page = client_for(manager).get(f"/m/{municipality.slug}/timeline/").content.decode()
    bars = _bars(page, "gantt")
    assert bars["design_3"][0][1] > bars["design_1"][0][1]
    assert [kind for kind, _x in bars["design_1"]] == ["planned", "actual"]
    assert "3 days late" in _figure(page, "gantt").split('data-key="design_1"')[1].split("</g>")[0]


@pytest.mark.django_db
@time_machine.travel(D(2027, 2, 1))
def test_the_reschedule_preview_draws_each_milestone_before_and_after(
    client_for, manager, municipality, in_english
):
    plan_program(municipality)
    data = {"milestone": "design_2", "action": "pin", "date": "2027-05-09", "preview": "1"}
    page = (
        client_for(manager)
        .post(f"/m/{municipality.slug}/timeline/reschedule/", data)
        .content.decode()
    )
    _assert_accessible_chart(page, "preview-chart")
    bars = _bars(page, "preview-chart")
    table = page.split('id="preview-table"')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == len(bars) > 1
    assert "design_2" in bars and "launch_conference" in bars
    for key in ("design_2", "launch_conference"):
        (before, x_before), (after, x_after) = bars[key]
        assert (before, after) == ("before", "after")
    # design_2 moves later: its after bar ends further right (LTR) than its before bar
    figure = _figure(page, "preview-chart")
    row = figure.split('data-key="design_2"')[1].split("</g>")[0]
    ends = re.findall(r'data-end="([\d-]+)"', row)
    assert ends[1] == "2027-05-09" and ends[0] < ends[1]
    assert re.search(r"\d+ days later", row)


@pytest.mark.django_db
@time_machine.travel(D(2027, 2, 1))
def test_hq_draws_stages_slips_and_the_next_month_with_their_tables(
    client_for, hq_user, municipality, other_municipality
):
    plan_program(municipality)
    page = client_for(hq_user).get("/hq/").content.decode()
    for chart_id in ("chart-stages", "chart-slips", "chart-next-month"):
        _assert_accessible_chart(page, chart_id)
    # both municipalities have a stage; the counts in the table add up to them
    stages = page.split('id="chart-stages-table"')[1].split("</table>")[0]
    assert sum(map(int, re.findall(r"<td>(\d+)</td>", stages))) == 2
    # the one with a plan slipped eight days (design_1 overdue), the other has nothing to measure
    slips = page.split('id="chart-slips-table"')[1].split("</table>")[0]
    counts = dict(re.findall(r'<tr data-key="([a-z0-9_]+)">.*?<td>(\d+)</td>', slips))
    assert counts["8_14"] == "1" and sum(map(int, counts.values())) == 1
    assert 'id="slips-unmeasured"' in page
    # the next month: every open milestone of 1 February to 3 March, listed by date
    due = Milestone.objects.filter(planned__gte=D(2027, 2, 1), planned__lte=D(2027, 3, 3))
    listed = page.split('id="next-month-table"')[1].split("</table>")[0]
    assert listed.count("<tr><td>") == due.filter(status="planned").count() > 0
    # right to left in Hebrew: the bars grow leftwards from the labels on the right
    figure = _figure(page, "chart-stages")
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', figure).group(1))
    xs = [
        float(x) + float(w)
        for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', figure)
    ]
    assert xs and all(end == pytest.approx(width - national.LABEL_WIDTH) for end in xs)
