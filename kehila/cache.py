"""Cached fragments of expensive pages, invalidated by a generation number per municipality and topic.

A fragment's key carries its topic's current generation (and the language), so changing anything the
fragment shows only has to give the topic a new generation: `bump(topic, municipality_id)`, called by the
owning app's signal handlers. It bumps at once (the writer's own next read is fresh) and again when the
transaction commits (a reader that raced the write may have cached the old data under the first new
number). Generations are timestamps, not counters, so a flushed cache never hands back a fragment under a
number that was used before.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

FRAGMENT_TIMEOUT = 24 * 60 * 60


def _generation_key(topic: str, municipality_id: int) -> str:
    return f"kehila:gen:{topic}:{municipality_id}"


def generation(topic: str, municipality_id: int) -> int:
    key = _generation_key(topic, municipality_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def bump(topic: str, municipality_id: int) -> None:
    """Everything cached under `topic` for the municipality is stale from now on."""
    key = _generation_key(topic, municipality_id)
    cache.set(key, time.time_ns(), timeout=None)
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), timeout=None))


def fragment(topic: str, municipality_id: int, name: str, compute):
    """`compute()`'s value, cached until the topic's next bump (per language: fragments hold text)."""
    key = (
        f"kehila:frag:{topic}:{municipality_id}:{generation(topic, municipality_id)}:"
        f"{translation.get_language()}:{name}"
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=FRAGMENT_TIMEOUT)
    return value
