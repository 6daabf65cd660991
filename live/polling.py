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
    """Whether a poll found no version in the cache. A move's answer never needs to put them back: its
    change was published when it committed."""
    return request.method == "GET" and cached_poll_version(request) is None


def cached_poll_version(request) -> int | None:
    """The version the cache gave this poll before its view (None: lost, or not a poll)."""
    return getattr(request, "live_version", None)


# The version a front layer already read from the cache for this poll (None: the cache had none).
ASKED_KEY = "kehila.live_version"


def _unchanged(path: str, asked: str | None) -> tuple[int | None, bool]:
    """(the version the cache has for this poll, whether it is the one asked for): one cache read, for
    a full poll too (it asks for no version), whose view then puts the versions back only if lost."""
    match = POLL_PATH.match(path)
    if match is None:
        return None, False
    session_id = int(match["session"])
    phone = match["variant"] == "phone"
    version = cached_phone_version(session_id) if phone else cached_version(session_id)
    return version, version is not None and asked == etag(version)


NOT_MODIFIED_HEADERS = [("Cache-Control", "no-cache, private")]


class NotModifiedApp:
    """The same answer one layer further out, around Django itself (kehila.wsgi, so under gunicorn and the
    development server alike): an unchanged poll then builds no request, sends no signal and runs no
    middleware. Four polls in five are unchanged, and Django's own work was two thirds of their cost
    (bench/README.md)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("HTTP_IF_NONE_MATCH"):
            asked = environ["HTTP_IF_NONE_MATCH"]
            version, unchanged = _unchanged(environ.get("PATH_INFO", ""), asked)
            if unchanged:
                start_response("304 Not Modified", [("ETag", asked), *NOT_MODIFIED_HEADERS])
                return []
            environ[ASKED_KEY] = version
        return self.application(environ, start_response)


class NotModifiedMiddleware:
    """First in the chain, for what calls Django without kehila.wsgi (the test client): a poll whose
    version is the cached one ends here, without a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET":
            asked = request.headers.get("If-None-Match")
            if ASKED_KEY in request.META:
                # The poll's view puts the versions back only when the cache had lost them.
                request.live_version = request.META[ASKED_KEY]
            else:
                request.live_version, unchanged = _unchanged(request.path_info, asked)
                if unchanged:
                    response = HttpResponseNotModified()
                    response["ETag"] = asked
                    for header, value in NOT_MODIFIED_HEADERS:
                        response[header] = value
                    return response
        return self.get_response(request)
