"""Server-side layouts for the stakeholder pictures, so that they need no JavaScript and print as drawn.

The relationship map is a ring: people on the outer ring, grouped by circle (residents, role holders,
centres of influence) and, inside a circle, by sector, with their names written outward along the radius
so that no two labels overlap however many people there are; organisations on an inner ring, each near
the mean angle of its members, so that affiliation lines stay short. Sensitive relationships are curves
through the middle. Deterministic (the same data always gives the same picture) and linear in the number
of nodes: the selector caps how many reach it.

The influence × consent chart places each person in one of nine cells, names stacked in the cell.

Pure functions over plain data; the pages also give every value as a table for screen readers."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .models import Circle, Consent, Level, Sector

SLOT = 13.0  # units of arc per person on the outer ring: one line of an 11-unit label
MIN_RADIUS = 240.0
LABEL_ROOM = 150.0  # room outside the ring for the names
CIRCLE_ORDER = [c.value for c in Circle] + [""]
SECTOR_ORDER = [s.value for s in Sector] + [""]
RADIUS_BY_INFLUENCE = {Level.LOW: 5, Level.MEDIUM: 7, Level.HIGH: 9}


@dataclass
class Node:
    key: str
    label: str
    x: float
    y: float
    kind: str  # "person", "organisation"
    url: str = ""
    sector: str = ""
    circle: str = ""
    consent: str = ""
    informal: bool = False
    r: float = 6
    # The name's anchor, rotation and text-anchor: along the radius, never upside down.
    lx: float = 0
    ly: float = 0
    rotate: float = 0
    anchor: str = "start"
    sector_label: str = ""
    circle_label: str = ""
    consent_label: str = ""
    organisations: list[str] = field(default_factory=list)


@dataclass
class Edge:
    a: str
    b: str
    path: str
    sensitive: bool
    level: int = 0


@dataclass
class Group:
    circle: str
    label: str
    arc: str
    x: float
    y: float
    count: int


@dataclass
class Picture:
    size: float
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    @property
    def people(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "person"]


def _r(value: float) -> float:
    return round(value, 1)


def _label_position(cx, cy, radius, angle, *, outward=True):
    """Where a radial label starts, its rotation in degrees and its anchor so that it reads upright."""
    x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
    degrees = math.degrees(angle)
    points_right = math.cos(angle) >= -1e-9
    if not outward:
        points_right = not points_right
        degrees += 180
    if points_right:
        return _r(x), _r(y), _r(degrees % 360), "start"
    return _r(x), _r(y), _r((degrees + 180) % 360), "end"


def _order(person: dict):
    circle = person.get("circle") or ""
    sector = person.get("sector") or ""
    return (
        CIRCLE_ORDER.index(circle) if circle in CIRCLE_ORDER else len(CIRCLE_ORDER),
        SECTOR_ORDER.index(sector) if sector in SECTOR_ORDER else len(SECTOR_ORDER),
        person["full_name"],
        person["id"],
    )


def layout(
    people, organisations, affiliations, ties, *, rtl=False, url_for=lambda pk: ""
) -> Picture:
    """people: dicts (id, full_name, sector, circle, consent, influence, influence_kind);
    organisations: objects with pk and name; affiliations: objects with person_id and organisation_id;
    ties: SensitiveRelationship-like objects. In right-to-left languages the ring runs counter-clockwise
    from the top, so that reading order follows the page's direction."""
    people = sorted(people, key=_order)
    circles = [p.get("circle") or "" for p in people]
    group_count = len(dict.fromkeys(circles))
    gaps = group_count if group_count > 1 else 0
    slots = max(len(people) + gaps, 1)
    radius = max(MIN_RADIUS, slots * SLOT / (2 * math.pi))
    size = _r(2 * (radius + LABEL_ROOM))
    c = size / 2
    turn = -1 if rtl else 1
    step = 2 * math.pi / slots

    def angle_of(slot: float) -> float:
        return -math.pi / 2 + turn * step * slot

    picture = Picture(size=size)
    nodes: dict[str, Node] = {}
    angles: dict[int, float] = {}
    slot = 0.0
    spans: dict[str, list[float]] = {}
    previous = None
    sector_labels, circle_labels, consent_labels = (
        dict(Sector.choices),
        dict(Circle.choices),
        dict(Consent.choices),
    )
    for person, circle in zip(people, circles, strict=True):
        if gaps and previous is not None and circle != previous:
            slot += 1
        previous = circle
        angle = angle_of(slot)
        angles[person["id"]] = angle
        spans.setdefault(circle, [slot, slot])[1] = slot
        x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
        lx, ly, rotate, anchor = _label_position(c, c, radius + 14, angle)
        influence = person.get("influence")
        sector, consent = person.get("sector") or "", person.get("consent") or ""
        key = f"p{person['id']}"
        nodes[key] = Node(
            key=key,
            label=person["full_name"],
            x=_r(x),
            y=_r(y),
            kind="person",
            url=url_for(person["id"]),
            sector=sector,
            circle=circle,
            consent=consent,
            informal=person.get("influence_kind") == "informal",
            r=RADIUS_BY_INFLUENCE.get(influence, 6),
            lx=lx,
            ly=ly,
            rotate=rotate,
            anchor=anchor,
            sector_label=sector_labels.get(sector, ""),
            circle_label=circle_labels.get(circle, ""),
            consent_label=consent_labels.get(consent, ""),
            organisations=person.get("organisations", []),
        )
        slot += 1
    if gaps:
        for circle, (first, last) in spans.items():
            picture.groups.append(
                _group(c, radius, angle_of, circle, circle_labels, first, last, turn)
            )

    # Organisations: ordered by the mean angle of their members, spread evenly on the inner ring.
    members = defaultdict(list)
    for a in affiliations:
        if a.person_id in angles:
            members[a.organisation_id].append(angles[a.person_id])

    def mean_angle(org):
        own = members.get(org.pk)
        if not own:
            return (math.inf, org.name, org.pk)
        value = math.atan2(sum(map(math.sin, own)), sum(map(math.cos, own)))
        # Measured from the top of the ring, in the ring's own direction.
        return ((turn * (value + math.pi / 2)) % (2 * math.pi), org.name, org.pk)

    ordered = sorted(organisations, key=mean_angle)
    inner = radius * 0.45 if len(ordered) > 1 else 0.0
    places = _spread([mean_angle(o)[0] for o in ordered], gap=18.0 / max(inner, 1.0))
    for org, place in zip(ordered, places, strict=True):
        angle = -math.pi / 2 + turn * place
        x, y = c + inner * math.cos(angle), c + inner * math.sin(angle)
        if inner:
            lx, ly, rotate, anchor = _label_position(c, c, inner - 12, angle, outward=False)
        else:
            lx, ly, rotate, anchor = _r(x), _r(y + 22), 0.0, "middle"
        key = f"o{org.pk}"
        nodes[key] = Node(
            key=key,
            label=org.name,
            x=_r(x),
            y=_r(y),
            kind="organisation",
            lx=lx,
            ly=ly,
            rotate=rotate,
            anchor=anchor,
        )

    for a in affiliations:
        one, two = nodes.get(f"p{a.person_id}"), nodes.get(f"o{a.organisation_id}")
        if one and two:
            picture.edges.append(
                Edge(one.key, two.key, f"M{one.x} {one.y}L{two.x} {two.y}", sensitive=False)
            )
    for tie in ties:
        keys = [
            f"p{tie.person_a_id}" if tie.person_a_id else f"o{tie.organisation_a_id}",
            f"p{tie.person_b_id}" if tie.person_b_id else f"o{tie.organisation_b_id}",
        ]
        one, two = nodes.get(keys[0]), nodes.get(keys[1])
        if one and two:
            # A curve bent toward the middle: ties stand apart from the straight affiliation lines.
            path = f"M{one.x} {one.y}Q{_r(c)} {_r(c)} {two.x} {two.y}"
            picture.edges.append(Edge(one.key, two.key, path, sensitive=True, level=tie.level))
    picture.nodes = list(nodes.values())
    return picture


def _spread(targets: list[float], *, gap: float) -> list[float]:
    """Angles (from the top, in the ring's direction) as near their targets as the gap between
    neighbours allows: each is pushed past the one before; when they cannot fit, evenly around."""
    count = len(targets)
    if not count:
        return []
    gap = min(gap, 2 * math.pi / count)
    known = [t for t in targets if t != math.inf]
    fallback = known[-1] if known else 0.0
    places = []
    for target in targets:
        target = fallback if target == math.inf else target
        places.append(target if not places else max(target, places[-1] + gap))
        fallback = places[-1] + gap
    if places[-1] - places[0] > 2 * math.pi - gap:
        start = places[0]
        return [start + 2 * math.pi * i / count for i in range(count)]
    return places


def _group(c, radius, angle_of, circle, labels, first, last, turn) -> Group:
    """An arc just inside the ring over one circle's people, and its name beside the arc's middle."""
    arc_radius = radius - 18
    a, b = angle_of(first - 0.4), angle_of(last + 0.4)
    x1, y1 = c + arc_radius * math.cos(a), c + arc_radius * math.sin(a)
    x2, y2 = c + arc_radius * math.cos(b), c + arc_radius * math.sin(b)
    large = 1 if abs(b - a) > math.pi else 0
    sweep = 1 if turn > 0 else 0
    middle = angle_of((first + last) / 2)
    label_radius = radius - 40
    return Group(
        circle=circle,
        label=labels.get(circle, ""),
        arc=f"M{_r(x1)} {_r(y1)}A{_r(arc_radius)} {_r(arc_radius)} 0 {large} {sweep} {_r(x2)} {_r(y2)}",
        x=_r(c + label_radius * math.cos(middle)),
        y=_r(c + label_radius * math.sin(middle) + 4),
        count=int(last - first + 1),
    )


# --- the influence × consent chart ----------------------------------------------------------------

GRID_AXIS = 110.0  # room for the influence labels beside the rows
GRID_COLUMN = 190.0
GRID_LINE = 18.0
GRID_PAD = 28.0  # room at the top of a cell for its count
GRID_MAX_NAMES = 10  # per cell; the rest are counted ("and 4 more") and listed in the table
GRID_HEAD = 34.0  # room above the cells for the consent labels


def grid_chart(grid: dict, *, with_names: bool, rtl: bool = False, url_for=lambda pk: "") -> dict:
    """Cells of the influence (rows, high on top) × consent (columns, opposed to active in reading
    order) chart, each with its people stacked as lines; rows are as tall as their fullest cell."""
    consents = grid["consents"]
    width = GRID_AXIS + GRID_COLUMN * len(consents)
    y = GRID_HEAD
    rows = []
    for row in grid["rows"]:
        most = max((_shown(cell, with_names) for cell in row["cells"]), default=0)
        height = GRID_PAD + max(most, 1) * GRID_LINE + 8
        cells = []
        for i, cell in enumerate(row["cells"]):
            column = len(consents) - 1 - i if rtl else i
            x = (0 if rtl else GRID_AXIS) + column * GRID_COLUMN
            people = []
            if with_names:
                for n, e in enumerate(cell["engagements"][:GRID_MAX_NAMES]):
                    people.append(
                        {
                            "name": e.person.full_name,
                            "url": url_for(e.person_id),
                            "informal": e.is_informal,
                            "y": _r(y + GRID_PAD + n * GRID_LINE + 12),
                        }
                    )
            start = x + GRID_COLUMN - 12 if rtl else x + 12  # where a line of the cell begins
            cells.append(
                {
                    **cell,
                    "marker_x": _r(start - 4 if rtl else start + 4),
                    "text_x": _r(start - 14 if rtl else start + 14),
                    "start_x": _r(start),
                    "middle_x": _r(x + GRID_COLUMN / 2),
                    "x": _r(x),
                    "y": _r(y),
                    "width": GRID_COLUMN,
                    "height": _r(height),
                    "people": people,
                    "more": max(cell["count"] - len(people), 0) if with_names else 0,
                    "more_y": _r(y + GRID_PAD + len(people) * GRID_LINE + 12),
                }
            )
        label_x = width - GRID_AXIS + 8 if rtl else GRID_AXIS - 8
        rows.append(
            {
                "level": row["level"],
                "y": _r(y),
                "height": _r(height),
                "cells": cells,
                "label_x": _r(label_x),
                "label_y": _r(y + height / 2 + 4),
            }
        )
        y += height
    heads = []
    for i, consent in enumerate(consents):
        column = len(consents) - 1 - i if rtl else i
        x = (0 if rtl else GRID_AXIS) + column * GRID_COLUMN + GRID_COLUMN / 2
        heads.append({"consent": consent, "x": _r(x)})
    return {
        "width": _r(width),
        "height": _r(y + 4),
        "rows": rows,
        "heads": heads,
        "axis_anchor": "start" if rtl else "end",
        "anchor": "end" if rtl else "start",
        "axis_x": _r(width - GRID_AXIS + 8 if rtl else GRID_AXIS - 8),
        "cells_left": 0 if rtl else GRID_AXIS,
        "cells_width": GRID_COLUMN * len(consents),
    }


def _shown(cell, with_names) -> int:
    if not with_names:
        return 1
    names = min(cell["count"], GRID_MAX_NAMES)
    return names + (1 if cell["count"] > names else 0)
