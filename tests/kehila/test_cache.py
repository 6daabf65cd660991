"""Cached fragments (kehila/cache.py): computed once per generation, recomputed after a bump."""

import pytest
from django.core.cache import cache as django_cache
from django.utils import translation

from kehila import cache


@pytest.mark.django_db
def test_a_fragment_is_computed_once_until_its_topic_is_bumped():
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}"

    assert cache.fragment("plan", 7, "x", compute) == "value 1"
    assert cache.fragment("plan", 7, "x", compute) == "value 1"
    cache.bump("plan", 8)  # another municipality's change
    assert cache.fragment("plan", 7, "x", compute) == "value 1"
    cache.bump("plan", 7)
    assert cache.fragment("plan", 7, "x", compute) == "value 2"
    assert len(calls) == 2


def test_fragments_are_per_language():
    with translation.override("he"):
        assert cache.fragment("plan", 1, "x", lambda: "עברית") == "עברית"
    with translation.override("en"):
        assert cache.fragment("plan", 1, "x", lambda: "English") == "English"


def test_a_flushed_cache_never_reuses_an_old_generation():
    first = cache.generation("plan", 3)
    django_cache.clear()
    assert cache.generation("plan", 3) != first


@pytest.mark.django_db(transaction=True)
def test_the_bump_is_repeated_when_the_transaction_commits():
    from django.db import transaction

    with transaction.atomic():
        cache.bump("plan", 5)
        inside = cache.generation("plan", 5)
    assert cache.generation("plan", 5) != inside
