"""The unchanged poll's answer in front of Django (live.polling.NotModifiedApp, kehila.wsgi): 304 from one
cache read, without a query and without Django building a request; anything else goes on to Django, told
what the cache said."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

import kehila.wsgi
from live import links, polling, services
from tests.committees.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(municipality, manager):
    meeting = MeetingFactory(committee__municipality=municipality, started=True)
    return services.session_open(meeting=meeting, actor=manager, note_taker="רונית", question="?")


class Django:
    """Stands for Django behind the front: records what reached it."""

    def __init__(self):
        self.reached = []

    def __call__(self, environ, start_response):
        self.reached.append(environ)
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"drawn"]


def _call(app, path, **headers):
    environ = RequestFactory().get(path, **headers).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def _phone_poll(session):
    return f"/live/{session.pk}/poll/phone/"


def test_the_portal_wsgi_application_has_the_front():
    assert isinstance(kehila.wsgi.application, polling.NotModifiedApp)


def test_an_unchanged_poll_is_answered_before_django_without_a_query(session):
    django = Django()
    front = polling.NotModifiedApp(django)
    tag = polling.etag(session.phone_version)
    with CaptureQueriesContext(connection) as queries:
        status, headers, body = _call(front, _phone_poll(session), HTTP_IF_NONE_MATCH=tag)
    assert status.startswith("304") and body == b"" and not queries
    assert headers["ETag"] == tag and headers["Cache-Control"] == "no-cache, private"
    assert django.reached == []


@pytest.mark.parametrize(
    "path, tag",
    [
        ("phone", '"live-0"'),  # an older version
        ("phone", None),  # a first poll
        ("board", "phone"),  # the board's version is not the phones'
        ("/live/1/board/", "phone"),  # not a poll
    ],
)
def test_anything_else_goes_on_to_django(session, manager, path, tag):
    services.item_add(session=session, actor=manager, text="תאורה")  # the board's version moves
    services.remember_version(session.pk, session.version + 1, session.phone_version)
    path = {
        "phone": _phone_poll(session),
        "board": f"/m/{session.municipality.slug}/live/{session.pk}/poll/board/",
    }.get(path, path)
    tag = polling.etag(session.phone_version) if tag == "phone" else tag
    django = Django()
    headers = {"HTTP_IF_NONE_MATCH": tag} if tag else {}
    status, _headers, body = _call(polling.NotModifiedApp(django), path, **headers)
    assert status == "200 OK" and body == b"drawn" and len(django.reached) == 1


@pytest.fixture
def test_connection_kept():
    """Django's handler closes the database connection after each request; the test's transaction lives
    in it (the test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("test_connection_kept")
def test_django_is_told_the_cache_had_the_version_so_the_view_does_not_put_it_back(
    session, monkeypatch
):
    healed = []
    monkeypatch.setattr(services, "heal_version", lambda *args: healed.append(args))
    participant = services.join_guest(code=session.code, name="דנה")
    cookie = f"{links.key_cookie(session.pk)}={participant.key}"
    older = polling.etag(session.phone_version - 1)
    status, headers, body = _call(
        kehila.wsgi.application, _phone_poll(session), HTTP_IF_NONE_MATCH=older, HTTP_COOKIE=cookie
    )
    assert status == "200 OK" and headers["ETag"] == polling.etag(session.phone_version)
    assert b'id="phone-state"' in body and healed == []
    # The cache lost the versions: the poll's answer puts them back.
    from django.core.cache import cache

    cache.clear()
    status, _headers, _body = _call(
        kehila.wsgi.application, _phone_poll(session), HTTP_IF_NONE_MATCH=older, HTTP_COOKIE=cookie
    )
    assert status == "200 OK" and len(healed) == 1
