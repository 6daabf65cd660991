"""The stakeholder pictures' geometry (partners.graph) and the map's selector: deterministic, readable at
any size, right to left in Hebrew and Arabic, bounded, and only this municipality's people."""

import math
import random
from types import SimpleNamespace

import pytest

from partners import graph, selectors, services
from partners.models import Consent, Level
from tests.partners.factories import AffiliationFactory, EngagementFactory, PersonFactory

CIRCLES = ["residents", "role_holders", "influence", ""]
SECTORS = ["social", "public", "business", ""]


def people(count):
    return [
        {
            "id": i + 1,
            "full_name": f"אדם {i:03d}",
            "sector": SECTORS[i % 4],
            "circle": CIRCLES[(i // 4) % 4],
            "consent": ["active", "passive", "opposed", None][i % 4],
            "influence": [1, 2, 3, None][(i // 2) % 4],
            "influence_kind": "informal" if i % 5 == 0 else "formal",
        }
        for i in range(count)
    ]


def org(pk, name):
    return SimpleNamespace(pk=pk, name=name)


def aff(person_id, organisation_id):
    return SimpleNamespace(person_id=person_id, organisation_id=organisation_id)


def tie(a, b, level=2):
    return SimpleNamespace(
        person_a_id=a, organisation_a_id=None, person_b_id=b, organisation_b_id=None, level=level
    )


def test_the_layout_is_the_same_whatever_order_the_rows_come_in():
    rows = people(40)
    orgs = [org(1, "אגף הרווחה"), org(2, "מתנ״ס")]
    links = [aff(1, 1), aff(2, 1), aff(3, 2)]
    first = graph.layout(rows, orgs, links, [tie(1, 5)])
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    second = graph.layout(shuffled, orgs[::-1], links, [tie(1, 5)])
    assert [(n.key, n.x, n.y) for n in first.nodes] == [
        (n.key, n.x, n.y) for n in sorted(second.nodes, key=lambda n: first_key(first, n))
    ]


def first_key(picture, node):
    return [n.key for n in picture.nodes].index(node.key)


@pytest.mark.parametrize("count", [3, 40, 150])
def test_people_sit_on_one_ring_far_enough_apart_for_their_names(count):
    picture = graph.layout(people(count), [], [], [])
    c = picture.size / 2
    ring = [math.hypot(n.x - c, n.y - c) for n in picture.people]
    assert max(ring) - min(ring) < 0.5
    radius = ring[0]
    angles = sorted(math.atan2(n.y - c, n.x - c) for n in picture.people)
    gaps = [b - a for a, b in zip(angles, angles[1:], strict=False)]
    assert min(gaps) * radius >= graph.SLOT - 0.5  # one line of a label between neighbours
    assert picture.size <= 2 * (max(graph.MIN_RADIUS, 160 * graph.SLOT / (2 * math.pi)) + 150) + 1


def test_names_read_upright_and_outward():
    picture = graph.layout(people(30), [], [], [])
    c = picture.size / 2
    for n in picture.people:
        assert n.rotate < 90.5 or n.rotate > 269.5, (n.label, n.rotate)
        # The label starts beyond the node, away from the centre.
        assert math.hypot(n.lx - c, n.ly - c) > math.hypot(n.x - c, n.y - c)
        assert n.anchor == ("start" if n.lx >= c - 0.5 else "end")


def test_each_circle_is_one_unbroken_arc_in_the_order_of_the_three_circles():
    picture = graph.layout(people(48), [], [], [])
    c = picture.size / 2

    def clockwise_from_top(n):
        return (math.atan2(n.y - c, n.x - c) + math.pi / 2) % (2 * math.pi)

    order = [n.circle for n in sorted(picture.people, key=clockwise_from_top)]
    runs = [k for i, k in enumerate(order) if i == 0 or order[i - 1] != k]
    assert runs == CIRCLES
    assert [g.circle for g in picture.groups] == CIRCLES
    assert [g.count for g in picture.groups] == [12, 12, 12, 12]


def test_right_to_left_runs_the_ring_the_other_way():
    ltr = graph.layout(people(12), [], [], [], rtl=False)
    rtl = graph.layout(people(12), [], [], [], rtl=True)
    for a, b in zip(ltr.people, rtl.people, strict=True):
        assert a.key == b.key
        assert b.x == pytest.approx(ltr.size - a.x, abs=0.2) and b.y == pytest.approx(a.y, abs=0.2)
    c = ltr.size / 2
    second_ltr, second_rtl = ltr.people[1], rtl.people[1]
    assert (
        second_ltr.x > c > second_rtl.x
    )  # the ring starts at the top and turns toward reading order


def test_organisations_sit_inside_near_their_members_and_edges_join_drawn_nodes_only():
    rows = people(24)
    orgs = [org(1, "ארגון א"), org(2, "ארגון ב")]
    links = [aff(1, 1), aff(2, 1), aff(13, 2), aff(14, 2), aff(999, 1)]
    picture = graph.layout(rows, orgs, links, [tie(1, 13, level=3), tie(1, 999)])
    c = picture.size / 2
    nodes = {n.key: n for n in picture.nodes}
    for key in ("o1", "o2"):
        assert math.hypot(nodes[key].x - c, nodes[key].y - c) < math.hypot(
            nodes["p1"].x - c, nodes["p1"].y - c
        )

    # Each organisation is nearer its own members than the other organisation is.
    def dist(a, b):
        return math.hypot(nodes[a].x - nodes[b].x, nodes[a].y - nodes[b].y)

    assert dist("o1", "p1") < dist("o2", "p1") and dist("o2", "p13") < dist("o1", "p13")
    plain = [(e.a, e.b) for e in picture.edges if not e.sensitive]
    assert sorted(plain) == [("p1", "o1"), ("p13", "o2"), ("p14", "o2"), ("p2", "o1")]
    (sensitive,) = [e for e in picture.edges if e.sensitive]
    assert (sensitive.a, sensitive.b, sensitive.level) == ("p1", "p13", 3)
    assert "Q" in sensitive.path  # a curve, apart from the straight affiliation lines


def test_a_node_says_its_consent_circle_and_sector_and_links_to_the_person():
    picture = graph.layout(people(2), [], [], [], url_for=lambda pk: f"/people/{pk}/")
    first = picture.people[0]
    assert first.url == f"/people/{first.key[1:]}/"
    assert str(first.consent_label) == str(Consent.ACTIVE.label)
    assert first.r == graph.RADIUS_BY_INFLUENCE[Level.LOW] and first.informal


# --- the influence × consent chart ---------------------------------------------------------------


def grid_with(counts: dict, *, names=True):
    """counts: {(influence, consent): n} → the selector's shape, with fake engagements."""
    rows = []
    pk = 0
    for level in sorted(Level, key=lambda lv: -lv.value):
        cells = []
        for consent in Consent:
            n = counts.get((level.value, consent.value), 0)
            engagements = []
            for _ in range(n if names else 0):
                pk += 1
                engagements.append(
                    SimpleNamespace(
                        person_id=pk,
                        person=SimpleNamespace(full_name=f"שם {pk}"),
                        is_informal=False,
                    )
                )
            cells.append(
                {
                    "consent": consent,
                    "count": n,
                    "engagements": engagements,
                    "priority": level == Level.HIGH and consent != Consent.ACTIVE,
                }
            )
        rows.append({"level": level, "cells": cells})
    return {"rows": rows, "consents": list(Consent), "total": sum(counts.values())}


def test_the_chart_stacks_a_crowded_cell_and_counts_the_rest():
    data = grid_with({(3, "opposed"): 14, (3, "active"): 2, (1, "passive"): 1})
    chart = graph.grid_chart(data, with_names=True, url_for=lambda pk: f"/p/{pk}/")
    high = chart["rows"][0]
    opposed = high["cells"][0]
    assert len(opposed["people"]) == graph.GRID_MAX_NAMES and opposed["more"] == 4
    ys = [p["y"] for p in opposed["people"]]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)  # one line each, no overlap
    assert (
        ys[-1] < opposed["y"] + opposed["height"] and opposed["more_y"] < high["y"] + high["height"]
    )
    # The row is as tall as its fullest cell; a sparse row stays short; rows follow one another.
    low = chart["rows"][2]
    assert high["height"] > low["height"]
    assert chart["rows"][1]["y"] == pytest.approx(high["y"] + high["height"])
    assert opposed["people"][0]["url"] == "/p/1/"


def test_the_chart_reads_from_opposed_to_active_in_the_page_direction():
    data = grid_with({(2, "opposed"): 1, (2, "active"): 1})
    ltr = graph.grid_chart(data, with_names=True, rtl=False)
    rtl = graph.grid_chart(data, with_names=True, rtl=True)
    assert [h["consent"] for h in ltr["heads"]] == list(Consent)
    ltr_x = [h["x"] for h in ltr["heads"]]
    rtl_x = [h["x"] for h in rtl["heads"]]
    assert ltr_x == sorted(ltr_x) and rtl_x == sorted(rtl_x, reverse=True)
    assert rtl["anchor"] == "end" and ltr["anchor"] == "start"
    assert rtl["axis_x"] > rtl_x[0] and ltr["axis_x"] < ltr_x[0]


def test_the_chart_without_names_draws_counts_only():
    data = grid_with({(3, "passive"): 5}, names=False)
    chart = graph.grid_chart(data, with_names=False)
    cell = chart["rows"][0]["cells"][1]
    assert cell["count"] == 5 and cell["people"] == [] and cell["more"] == 0


# --- the selector ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_network_filters_by_sector_circle_and_consent(municipality, manager):
    program = municipality.program
    dana = EngagementFactory(
        person__municipality=municipality, sector="business", circle="influence", consent="opposed"
    ).person
    EngagementFactory(person__municipality=municipality, sector="business", consent="active")
    EngagementFactory(person__municipality=municipality, sector="social", consent="opposed")
    loner = PersonFactory(municipality=municipality)  # only in a tie: drawn without filters
    services.relationship_create(
        actor=manager, municipality=municipality, person_a=dana, person_b=loner, level=3
    )
    everyone = selectors.network(municipality, program)
    assert everyone["total_people"] == 4 and len(everyone["ties"]) == 1
    data = selectors.network(municipality, program, {"sector": "business", "consent": "opposed"})
    assert [p["id"] for p in data["people"]] == [dana.pk]
    assert data["ties"] == [] and data["hidden_ties"] == 1
    data = selectors.network(municipality, program, {"circle": "influence", "bogus": "x"})
    assert [p["id"] for p in data["people"]] == [dana.pk]


@pytest.mark.django_db
def test_the_network_keeps_to_its_municipality(municipality, other_municipality):
    EngagementFactory(person__municipality=municipality, person__full_name="שלנו")
    theirs = EngagementFactory(person__municipality=other_municipality, person__full_name="שלהם")
    AffiliationFactory(person=theirs.person)
    data = selectors.network(municipality, municipality.program)
    assert [p["full_name"] for p in data["people"]] == ["שלנו"]
    assert data["organisations"] == []


@pytest.mark.django_db
def test_the_network_draws_the_most_influential_and_counts_the_rest(municipality, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_NETWORK_PEOPLE", 3)
    monkeypatch.setattr(selectors, "MAX_NETWORK_ORGANISATIONS", 1)
    strong = [
        EngagementFactory(person__municipality=municipality, influence=3).person for _ in range(2)
    ]
    medium = EngagementFactory(person__municipality=municipality, influence=2).person
    for _ in range(4):
        EngagementFactory(person__municipality=municipality, influence=1)
    big = AffiliationFactory(person=strong[0]).organisation
    AffiliationFactory(person=strong[1], organisation=big)
    AffiliationFactory(person=medium)
    data = selectors.network(municipality, municipality.program)
    assert {p["id"] for p in data["people"]} == {strong[0].pk, strong[1].pk, medium.pk}
    assert data["hidden_people"] == 4 and data["total_people"] == 7
    assert data["organisations"] == [big] and data["hidden_organisations"] == 1
    assert all(a.organisation_id == big.pk for a in data["affiliations"])


def test_organisations_crowding_one_spot_are_pushed_apart_and_wrap_evenly_when_full():
    assert graph._spread([1.0, 1.0, 1.0], gap=0.2) == pytest.approx([1.0, 1.2, 1.4])
    even = graph._spread([0.5] * 40, gap=0.3)  # 40 × 0.3 > a full turn
    steps = [b - a for a, b in zip(even, even[1:], strict=False)]
    assert steps == pytest.approx([2 * math.pi / 40] * 39)
    assert graph._spread([math.inf, 2.0], gap=0.1) == pytest.approx([2.0, 2.1])
