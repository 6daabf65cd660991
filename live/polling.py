"""The board and the phones poll with conditional requests: each asks "still version N?" and an unchanged
session answers 304 from one cache read, before sessions, users or the database are touched.

Polling rather than server-sent events: a poll is a short ordinary request, so it passes the TLS proxy and
any number of gunicorn workers and machines unchanged, holds no worker for an open stream, and a phone
that lost its connection simply asks again with the version it has. The version lives in PostgreSQL (the
truth) and in the shared cache (Redis in production; one process's memory under `make run`).
"""

import re

from django.http import HttpResponseNotModified

from .services import cached_phone_version, cached_version

POLL_PATH = re.compile(
    r"^(?:/m/[-\w]+)?/live/(?P<session>\d+)/poll/(?P<variant>board|facilitator|phone)/$"
)


def etag(version: int) -> str:
    return f'"live-{version}"'


def cache_lost_version(request) -> bool:
    """Whether a poll found no version in the cache (or did not ask: its first poll, or a full one). A
    move's answer never needs to put them back: its change was published when it committed."""
    return request.method == "GET" and not getattr(request, "live_version_cached", False)


class NotModifiedMiddleware:
    """First in the chain: a poll whose version is the cached one ends here, without a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET":
            match = POLL_PATH.match(request.path_info)
            asked = request.headers.get("If-None-Match")
            if match and asked:
                session_id = int(match["session"])
                phone = match["variant"] == "phone"
                version = cached_phone_version(session_id) if phone else cached_version(session_id)
                # The poll's view puts the versions back only when the cache had lost them.
                request.live_version_cached = version is not None
                if version is not None and asked == etag(version):
                    response = HttpResponseNotModified()
                    response["ETag"] = asked
                    response["Cache-Control"] = "no-cache, private"
                    return response
        return self.get_response(request)
