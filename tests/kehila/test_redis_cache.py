"""The production cache (Redis) keeps one redis-py client per connection pool (kehila.redis_cache)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis as redis_py

from kehila.redis_cache import RedisCache

ROOT = Path(__file__).resolve().parents[2]
URL = "redis://127.0.0.1:6379/14"


def _reachable() -> bool:
    try:
        return redis_py.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis_py.RedisError:
        return False


def test_a_redis_cache_url_gets_the_backend_that_keeps_its_client():
    env = {**os.environ, "CACHE_URL": URL, "DJANGO_SETTINGS_MODULE": "kehila.settings"}
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.CACHES['default'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'kehila.redis_cache.RedisCache'" in printed and URL in printed


def test_one_client_serves_every_call_and_the_cache_still_works():
    backend = RedisCache(URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"})
    client = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is client and backend._cache.get_client("k") is client
    if not _reachable():
        if os.environ.get("KEHILA_REQUIRE_SERVICES"):
            pytest.fail(f"Redis at {URL} is required here but unreachable")
        pytest.skip(f"Redis at {URL} unreachable")
    backend.set("answer", {"live": 7}, 30)
    assert backend.get("answer") == {"live": 7}
    assert backend.add("answer", "other", 30) is False
    backend.delete("answer")
    assert backend.get("answer") is None
