"""A server-side layout for the relationship map: organisations on an inner ring, people on an outer
ring, so the picture needs no JavaScript. Pure function over plain data; the page also lists every tie
as text for screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass

SIZE = 720
CENTRE = SIZE / 2


@dataclass
class Node:
    key: str
    label: str
    x: float
    y: float
    kind: str  # "person", "organisation"
    informal: bool = False
    url: str = ""


@dataclass
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    sensitive: bool
    level: int = 0


def _ring(count: int, radius: float, offset: float = 0.0):
    for i in range(count):
        angle = offset + 2 * math.pi * i / max(count, 1) - math.pi / 2
        yield (
            round(CENTRE + radius * math.cos(angle), 1),
            round(CENTRE + radius * math.sin(angle), 1),
        )


def layout(people, organisations, affiliations, ties, informal, url_for=lambda p: "") -> dict:
    nodes: dict[str, Node] = {}
    inner = 150 if len(organisations) > 1 else 0
    for org, (x, y) in zip(organisations, _ring(len(organisations), inner), strict=True):
        nodes[f"o{org.pk}"] = Node(f"o{org.pk}", org.name, x, y, "organisation")
    for person, (x, y) in zip(people, _ring(len(people), 310, 0.1), strict=True):
        nodes[f"p{person.pk}"] = Node(
            f"p{person.pk}",
            person.full_name,
            x,
            y,
            "person",
            informal=person.pk in informal,
            url=url_for(person),
        )
    edges = []
    for a in affiliations:
        one, two = nodes.get(f"p{a.person_id}"), nodes.get(f"o{a.organisation_id}")
        if one and two:
            edges.append(Edge(one.x, one.y, two.x, two.y, sensitive=False))
    for tie in ties:
        keys = []
        for person, org in ((tie.person_a, tie.organisation_a), (tie.person_b, tie.organisation_b)):
            keys.append(f"p{person.pk}" if person else f"o{org.pk}")
        one, two = nodes.get(keys[0]), nodes.get(keys[1])
        if one and two:
            edges.append(Edge(one.x, one.y, two.x, two.y, sensitive=True, level=tie.level))
    return {"size": SIZE, "nodes": list(nodes.values()), "edges": edges}
