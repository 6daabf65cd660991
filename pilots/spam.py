"""Spam resistance for the public forms: a honeypot field and a per-address rate limit in the cache."""

from django.core.cache import cache

from kehila.net import client_ip

HONEYPOT_FIELD = "website"


def client_address(request) -> str:
    return client_ip(request) or "unknown"


def rate_limited(request, kind: str, *, limit: int = 5, window: int = 600) -> bool:
    """Count this request against the address's budget for `kind`; True once it is over `limit`.

    `cache.add` then `incr` so that two concurrent requests cannot both start the window at one."""
    key = f"pilots:rate:{kind}:{client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > limit
