"""Walks the whole URL map, so tests that must cover every page cover pages added later too."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # fully qualified, e.g. "partners:person_detail"
    route: str  # e.g. "m/<slug:slug>/partners/<int:person_id>/"
    params: tuple[str, ...]


def all_routes() -> list[Route]:
    found = []

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}{p.namespace}:"
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern) and p.name:
                params = tuple(m.group("name") for m in PARAM.finditer(route))
                found.append(Route(f"{namespace}{p.name}", route, params))

    walk(get_resolver().url_patterns)
    return found


def municipality_routes() -> list[Route]:
    return [r for r in all_routes() if r.route.startswith("m/<slug:slug>/")]
