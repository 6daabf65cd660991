"""Searching a municipality: the matching rule every picker and the search page share, and the registry
of what can be searched.

The core knows no stage app: each app registers its sources in its AppConfig.ready()
(`register_source`), as kehila.consistency's checks are registered. A source names the permission a
user needs to see it (an action of kehila.permissions.RULES) and a function that finds its rows inside one
municipality; the search page asks every source the user may see and groups the hits by kind.

On PostgreSQL the words are matched by full-text search with the 'simple' configuration (Hebrew and Arabic
have no stemmer in PostgreSQL: words are matched as written, each as a prefix, so "דנ" finds "דנה");
elsewhere (SQLite in development and tests) every word must appear in one of the fields (icontains)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Municipality
from .permissions import can

PICKER_LIMIT = 20
PAGE_LIMIT = 20

_WORD = re.compile(r"\w+")


def normalise_query(text: str) -> str:
    """Hebrew users type gershayim and geresh in several ways (מנכ"ל, מנכ״ל): search with one of them."""
    return (
        (text or "")
        .strip()
        .replace("\u05f4", '"')
        .replace("\u05f3", "'")
        .replace("\u201d", '"')
        .replace("\u2019", "'")
    )[:200]


def words_of(query: str) -> list[str]:
    """The words of a query as PostgreSQL's parser would split them (letters and digits of any script)."""
    return _WORD.findall(normalise_query(query))[:8]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def text_filter(queryset: QuerySet, fields: Sequence[str], query: str) -> QuerySet:
    """`queryset` narrowed to rows whose `fields` hold every word of `query` (an empty query: no rows),
    ranked best first on PostgreSQL; the caller orders otherwise."""
    words = words_of(query)
    if not words:
        return queryset.none()
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="simple")
        # Each word a prefix (word:*), all of them required: the words are \w+ only, nothing to escape.
        tsquery = SearchQuery(
            " & ".join(f"{w}:*" for w in words), config="simple", search_type="raw"
        )
        return (
            queryset.annotate(_search=vector, _rank=SearchRank(vector, tsquery))
            .filter(_search=tsquery)
            .order_by("-_rank", *queryset.query.order_by)
        )
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(any_field)
    return queryset


# --- the search page's sources ------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    text: str
    url: str
    detail: str = ""


Finder = Callable[[Municipality, str, object, int], list[Hit]]


@dataclass(frozen=True)
class Source:
    key: str
    label: object  # a lazy translation: the group's heading
    action: str  # the permission (kehila.permissions.RULES) needed to see any of it
    find: Finder  # (municipality, query, user, limit) -> hits the user may see, best first


SOURCES: dict[str, Source] = {}


def register_source(key: str, label, action: str, find: Finder) -> None:
    """Add a kind of thing to search. The same key twice replaces it (app reloads in tests stay harmless)."""
    SOURCES[key] = Source(key, label, action, find)


@dataclass(frozen=True)
class Group:
    source: Source
    hits: list[Hit]
    more: bool  # there were more hits than shown


def search(user, municipality: Municipality, query: str, *, limit: int = PAGE_LIMIT) -> list[Group]:
    """Every source the user may see, asked in registration order; the groups with hits."""
    if not words_of(query):
        return []
    groups = []
    for source in SOURCES.values():
        if not can(user, source.action, municipality):
            continue
        hits = list(source.find(municipality, query, user, limit + 1))
        if hits:
            groups.append(Group(source, hits[:limit], len(hits) > limit))
    return groups
