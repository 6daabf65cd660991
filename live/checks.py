"""A deployment check: the polls' 304 trusts the cache's version, so every web process must share it."""

from django.conf import settings
from django.core import checks

PROCESS_LOCAL = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL:
        return [
            checks.Warning(
                "The default cache is local to one process: with several web processes a live "
                "session's poll could answer 304 from a version another process never saw.",
                hint="Set CACHE_URL to the shared Redis (redis://…), as docker-compose.yml does.",
                id="live.W001",
            )
        ]
    return []
