"""After a facilitator's move every phone asks for the new state at once, and most have nothing of their
own in it: they get one drawing from the cache, without their seat being read (live.phone_views); a
phone with a part of its own, or without a pass its page was given, is drawn for itself."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from live import links, polling, services
from live.models import LiveSession
from live.selectors import Own
from tests.committees.factories import MeetingFactory

pytestmark = pytest.mark.django_db

Phase = LiveSession.Phase
NOTHING = "hand=0 items=0 dots="


@pytest.fixture
def session(municipality, manager):
    meeting = MeetingFactory(committee__municipality=municipality, started=True)
    session = services.session_open(
        meeting=meeting, actor=manager, note_taker="רונית", question="מה חשוב?"
    )
    services.item_add(session=session, actor=manager, text="תאורה ברחוב הרצל")
    return session


def _phone(session, name):
    client = Client()
    response = client.post(reverse("live_public:join"), {"code": session.code, "name": name})
    assert response.status_code == 302
    participant = session.participants.get(name=name)
    return client, participant


def _published(session):
    """What a change's commit does (the tests' transaction never commits): its versions to the cache."""
    session.refresh_from_db()
    services.remember_version(session.pk, session.version, session.phone_version)
    return session


def _poll(client, session, own=NOTHING, shown=None, participant=None, version=None):
    headers = {"if-none-match": polling.etag(version if version is not None else 0)}
    if own is not None:
        headers["x-live-own"] = own
    if shown is None and participant is not None:
        shown = links.poll_pass(session.pk, participant.key)
    if shown:
        headers["x-live-pass"] = shown
    return client.get(
        reverse("live_public:phone_poll", kwargs={"session_id": session.pk}), headers=headers
    )


def _vote(session, manager):
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    return _published(session)


def test_phones_with_nothing_of_their_own_share_one_drawing_without_a_query(session, manager):
    (first, a), (second, b) = _phone(session, "דנה"), _phone(session, "חאלד")
    _vote(session, manager)
    drawn = _poll(first, session, participant=a)
    assert drawn.status_code == 200 and "תאורה ברחוב הרצל" in drawn.content.decode()
    with CaptureQueriesContext(connection) as queries:
        shared = _poll(second, session, participant=b)
    assert shared.status_code == 200 and len(queries) == 0
    assert shared.content == drawn.content
    assert shared["ETag"] == polling.etag(session.phone_version)
    assert shared["Cache-Control"] == "no-cache, private"
    # Nobody's marks of their own and nobody's form token in it: every such phone gets it.
    page = shared.content.decode()
    assert "data-own-hand" not in page and "data-own-items" not in page
    assert "csrfmiddlewaretoken" not in page


def test_a_full_poll_is_drawn_for_itself_and_puts_right_a_seat_open_in_two_browsers(
    session, manager
):
    """An invitee's seat opened on a phone and a laptop: a hand raised on one is nothing of its own to
    the other's script, until its next full poll (live.js, without a version) is drawn for it."""
    (first, a), (_phone_of_b, b) = _phone(session, "דנה"), _phone(session, "חאלד")
    _vote(session, manager)
    _poll(first, session, participant=a)
    laptop = Client()
    laptop.cookies.load({links.key_cookie(session.pk): b.key})
    services.hand_raise(participant=b)  # from the phone
    _published(session)
    stale = _poll(laptop, session, participant=b)
    assert stale.status_code == 200 and 'id="my-hand"' not in stale.content.decode()
    shown = links.poll_pass(session.pk, b.key)
    url = reverse("live_public:phone_poll", kwargs={"session_id": session.pk})
    headers = {"x-live-own": NOTHING, "x-live-pass": shown}
    with CaptureQueriesContext(connection) as queries:
        full = laptop.get(url, headers=headers)
    page = full.content.decode()
    assert full.status_code == 200 and len(queries) > 0
    assert 'id="my-hand"' in page and 'data-own-hand="1"' in page


def test_a_new_version_is_drawn_again(session, manager):
    (first, a), (second, b) = _phone(session, "דנה"), _phone(session, "חאלד")
    _vote(session, manager)
    _poll(first, session, participant=a)
    services.phase_set(session=session, actor=manager, phase=Phase.DECIDE)
    _published(session)
    with CaptureQueriesContext(connection) as queries:
        answer = _poll(second, session, participant=b)
    assert len(queries) > 0 and 'id="phone-watch"' in answer.content.decode()


@pytest.mark.parametrize(
    "phase, move, own",
    [
        (Phase.VOTE, "dots", "hand=0 items=0 dots={round}"),
        (Phase.VOTE, "hand", "hand=1 items=0 dots="),
        (Phase.COLLECT, "item", "hand=0 items=1 dots="),
    ],
)
def test_a_phone_with_a_part_of_its_own_is_drawn_for_itself(session, manager, phase, move, own):
    (first, a), (second, b) = _phone(session, "דנה"), _phone(session, "חאלד")
    if phase == Phase.VOTE:
        _vote(session, manager)
    _poll(first, session, participant=a)  # the drawing every phone with nothing of its own gets
    item = session.items.get()
    if move == "dots":
        services.dots_set(participant=b, item_id=item.pk, count=2)
    elif move == "hand":
        services.hand_raise(participant=b)
    else:
        services.item_add(session=session, participant=b, text="ספסלים בפארק")
    _published(session)
    with CaptureQueriesContext(connection) as queries:
        answer = _poll(
            second,
            session,
            own=own.format(round=session.vote_round),
            participant=b,
            version=session.phone_version - 1,
        )
    page = answer.content.decode()
    assert answer.status_code == 200 and len(queries) > 0
    expected = {
        "dots": f'data-item="{item.pk}" data-n="2"',
        "hand": 'id="my-hand"',
        "item": "ספסלים בפארק",
    }[move]
    assert expected in page and "data-own-hand" in page


def test_an_older_round_s_dots_are_nothing_of_its_own(session, manager):
    (first, a), (second, b) = _phone(session, "דנה"), _phone(session, "חאלד")
    _vote(session, manager)
    services.dots_set(participant=b, item_id=session.items.get().pk, count=1)
    services.phase_set(session=session, actor=manager, phase=Phase.CLUSTER)
    _vote(session, manager)
    _poll(first, session, participant=a)
    with CaptureQueriesContext(connection) as queries:
        answer = _poll(
            second, session, own=f"hand=0 items=0 dots={session.vote_round - 1}", participant=b
        )
    assert answer.status_code == 200 and len(queries) == 0


@pytest.mark.parametrize("own", [None, "hand=0 items=0", "hand=0 items=0 dots=x", ""])
def test_a_poll_that_does_not_say_all_it_has_is_drawn_for_itself(session, manager, own):
    (first, a), (second, b) = _phone(session, "דנה"), _phone(session, "חאלד")
    _vote(session, manager)
    _poll(first, session, participant=a)
    with CaptureQueriesContext(connection) as queries:
        answer = _poll(second, session, own=own, participant=b)
    assert answer.status_code == 200 and len(queries) > 0


def test_a_made_up_pass_or_another_session_s_seat_gets_the_same_refusal(
    session, manager, municipality
):
    """The drawing is in the cache: without the pass check a stranger would read it."""
    first, a = _phone(session, "דנה")
    _vote(session, manager)
    _poll(first, session, participant=a)
    other = services.session_open(
        meeting=MeetingFactory(committee__municipality=municipality, started=True),
        actor=manager,
        note_taker="רונית",
    )
    elsewhere, c = _phone(other, "זר")
    attempts = [
        # no seat, a pass of its own making
        (Client(), {}, "0" * 32),
        # a seat of another session, under this session's cookie, with its own pass
        (elsewhere, {links.key_cookie(session.pk): c.key}, links.poll_pass(other.pk, c.key)),
        # a seat of another session with a pass for this session that it cannot have been given
        (elsewhere, {links.key_cookie(session.pk): c.key}, links.poll_pass(other.pk, a.key)),
    ]
    for client, cookies, shown in attempts:
        client.cookies.load(cookies)
        answer = _poll(client, session, shown=shown)
        assert answer.status_code == 403
        assert "תאורה ברחוב הרצל" not in answer.content.decode()


def test_the_phone_s_page_carries_its_pass_and_what_it_has_of_its_own(session, manager):
    client, participant = _phone(session, "דנה")
    page = client.get(links.join_path(session)).content.decode()
    assert f'data-live-pass="{links.poll_pass(session.pk, participant.key)}"' in page
    # All three parts, so that its script can say them with its first poll (selectors.Own.parse).
    assert 'data-own-hand="0"' in page and 'data-own-items="0"' in page
    assert f'data-own-dots="{session.vote_round}"' in page  # not known while collecting: yes


def test_a_vote_s_answer_says_the_round_the_phone_has_dots_in(session, manager):
    client, participant = _phone(session, "דנה")
    _vote(session, manager)
    item = session.items.get()
    dots = reverse("live_public:phone_act", kwargs={"code": session.code, "action": "dots"})
    answer = client.post(dots, {"dots": f"{item.pk}:1"}, headers={"x-live-fetch": "1"})
    assert f'data-own-dots="{session.vote_round}"' in answer.content.decode()
    answer = client.post(dots, {"dots": f"{item.pk}:0"}, headers={"x-live-fetch": "1"})
    assert 'data-own-dots=""' in answer.content.decode()


@pytest.mark.parametrize(
    "own, phase, vote_round, nothing",
    [
        (Own(False, False, None), Phase.VOTE, 1, True),
        (Own(True, False, None), Phase.CLUSTER, 1, False),
        (Own(False, True, None), Phase.COLLECT, 0, False),
        (Own(False, True, None), Phase.VOTE, 1, True),
        (Own(False, False, 1), Phase.VOTE, 1, False),
        (Own(False, False, 1), Phase.VOTE, 2, True),
        (Own(False, False, 1), Phase.DECIDE, 1, True),
    ],
)
def test_what_a_phone_has_of_its_own_at_a_version(own, phase, vote_round, nothing):
    assert own.shows_nothing_own(phase, vote_round) is nothing


def test_the_script_s_header_as_live_js_sends_it():
    assert Own.parse("hand=0 items=1 dots=3") == Own(False, True, 3)
    assert Own.parse("hand=1 items=0 dots=") == Own(True, False, None)
