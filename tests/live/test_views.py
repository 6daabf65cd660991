"""The live session's pages (issue 18): the facilitator opens and runs it, the board shows it, phones
join by the code or the invitation's link, and the polls answer 304 without a query while nothing changed."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committees import links as invitation_links
from committees.models import CommitteeMember, Minutes
from kehila.pausing import municipality_pause
from live import deciding, links, services
from live.models import Dot, Item, LiveSession, Participant
from strategy.models import FocusChallenge
from tests.committees.factories import (
    InvitationFactory,
    MeetingFactory,
    MemberFactory,
    PersonFactory,
)
from tests.helpers import assert_nothing_changed

pytestmark = pytest.mark.django_db
Phase = LiveSession.Phase


@pytest.fixture
def meeting(municipality):
    return MeetingFactory(
        committee__municipality=municipality, committee__kind="design", started=True
    )


@pytest.fixture
def session(meeting, manager):
    return services.session_open(
        meeting=meeting, actor=manager, note_taker="רונית", question="מה מפריע לכם?"
    )


def _url(name, session, **kwargs):
    return reverse(
        f"live:{name}",
        kwargs={"slug": session.municipality.slug, "session_id": session.pk, **kwargs},
    )


def _act(client, session, action, **data):
    return client.post(_url("act", session, action=action), data)


def _phone(client, session, name="דנה"):
    response = client.post(reverse("live_public:join"), {"code": session.code, "name": name})
    assert response.status_code == 302, response.content.decode()[:500]
    return Participant.objects.get(session=session, name=name)


# --- opening -------------------------------------------------------------------------------------------


def test_the_facilitator_opens_the_session_from_the_meeting_page(client, manager, meeting):
    client.force_login(manager)
    page = client.get(
        reverse(
            "committees:meeting",
            kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk},
        )
    )
    start = reverse(
        "live:start", kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk}
    )
    assert start in page.content.decode()
    response = client.post(
        start, {"note_taker": "רונית", "seeds": "list", "seed_list": "תחבורה\nנוער\n"}
    )
    session = LiveSession.objects.get(meeting=meeting)
    assert response.status_code == 302 and response["Location"] == _url("facilitate", session)
    assert list(session.items.values_list("text", flat=True)) == ["תחבורה", "נוער"]
    # Opening again goes to the open session.
    assert client.get(start)["Location"] == _url("facilitate", session)


def test_without_a_note_taker_the_form_says_so_and_nothing_opens(client, manager, meeting):
    client.force_login(manager)
    start = reverse(
        "live:start", kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk}
    )
    with assert_nothing_changed():
        response = client.post(start, {"note_taker": " ", "question": "שאלה"})
    assert response.status_code == 400
    assert 'value="שאלה"' in response.content.decode()


def test_a_member_who_does_not_chair_the_body_cannot_open_or_watch(
    client, committee_member, meeting, session
):
    client.force_login(committee_member)
    start = reverse(
        "live:start", kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk}
    )
    for url in [
        start,
        _url("facilitate", session),
        _url("board", session),
        _url("board_poll", session),
    ]:
        assert client.get(url).status_code == 403, url
    with assert_nothing_changed():
        assert _act(client, session, "phase", phase="vote").status_code == 403


def test_the_chair_facilitates_but_the_team_closes(client, committee_member, meeting, session):
    person = PersonFactory(municipality=meeting.municipality, user=committee_member)
    MemberFactory(committee=meeting.committee, person=person, role=CommitteeMember.Role.CHAIR)
    client.force_login(committee_member)
    page = client.get(_url("facilitate", session)).content.decode()
    assert 'id="close-session"' not in page
    assert _act(client, session, "phase", phase="cluster").status_code == 302
    with assert_nothing_changed():
        response = _act(client, session, "close")
    assert response.status_code == 409
    assert (
        escape(
            _("The program team closes the session: closing writes the meeting's minutes draft.")
        )
        in response.content.decode()
    )


# --- the board and the polls ---------------------------------------------------------------------------


def test_the_board_shows_the_code_the_link_a_qr_code_and_escaped_items(client, manager, session):
    services.item_add(session=session, actor=manager, text="<script>alert(1)</script> חניה")
    client.force_login(manager)
    page = client.get(_url("board", session)).content.decode()
    assert session.code in page and links.join_short(session) in page
    assert "<svg" in page and "מה מפריע לכם?" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; חניה" in page and "<script>alert(1)" not in page


def test_an_unchanged_poll_answers_304_from_the_cache_without_a_query(
    client, manager, session, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    first = client.get(_url("board_poll", session))
    assert first.status_code == 200
    tag = first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_url("board_poll", session), headers={"if-none-match": tag})
    assert again.status_code == 304 and len(queries) == 0
    # A change moves the version: the next poll answers with the new state.
    with django_capture_on_commit_callbacks(execute=True):
        services.item_add(session=session, actor=manager, text="תאורה ברחוב")
    changed = client.get(_url("board_poll", session), headers={"if-none-match": tag})
    assert changed.status_code == 200 and "תאורה ברחוב" in changed.content.decode()
    assert changed["ETag"] != tag


def test_the_board_asks_each_second_and_every_two_while_voting(client, manager, session):
    """An item is up within two seconds; while voting each dot changes the totals, and the board's
    redrawing must not take what the room's phones need."""
    client.force_login(manager)
    assert 'data-live-interval="1000"' in client.get(_url("board", session)).content.decode()
    assert 'data-live-interval="1000"' in client.get(_url("board_poll", session)).content.decode()
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    assert 'data-live-interval="2000"' in client.get(_url("board_poll", session)).content.decode()
    assert 'data-live-interval="2000"' in client.get(_url("board", session)).content.decode()
    services.phase_set(session=session, actor=manager, phase=Phase.DECIDE)
    assert 'data-live-interval="1000"' in client.get(_url("board_poll", session)).content.decode()


def test_a_poll_with_a_stale_cache_reads_the_database(client, manager, session):
    """The cache lost the version (flushed, another machine): the poll answers from the database."""
    from django.core.cache import cache

    client.force_login(manager)
    tag = client.get(_url("board_poll", session))["ETag"]
    cache.delete(services.version_key(session.pk))
    assert (
        client.get(_url("board_poll", session), headers={"if-none-match": tag}).status_code == 200
    )


def test_the_board_poll_draws_in_a_fixed_number_of_queries(client, manager, session):
    client.force_login(manager)
    phone = Participant.objects.create(
        municipality=session.municipality, session=session, name="א", key="k1", is_guest=True
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("board_poll", session)).status_code == 200
        return len(queries)

    services.item_add(session=session, participant=phone, text="אחד")
    count()  # the first request reads what later ones find cached (the login's session)
    few = count()
    for n in range(30):
        services.item_add(session=session, participant=phone, text=f"פריט {n}")
    assert count() == few


# --- phones --------------------------------------------------------------------------------------------


def test_a_walk_in_joins_by_the_code_adds_an_item_and_it_reaches_the_board(
    client, manager, session
):
    response = client.post(
        reverse("live_public:join"), {"code": session.code.lower(), "name": " דנה  כהן "}
    )
    participant = Participant.objects.get(session=session)
    assert participant.is_guest and participant.name == "דנה כהן"
    assert response["Location"] == links.join_path(session)
    assert client.cookies[links.key_cookie(session.pk)].value == participant.key
    page = client.get(links.join_path(session)).content.decode()
    assert "דנה כהן" in page and 'id="add-item"' in page
    client.post(
        reverse("live_public:phone_act", kwargs={"code": session.code, "action": "item"}),
        {"text": "אין מקום לנוער"},
    )
    # A double tap sends it twice: one item.
    client.post(
        reverse("live_public:phone_act", kwargs={"code": session.code, "action": "item"}),
        {"text": "אין מקום לנוער"},
    )
    assert list(session.items.values_list("text", "author_id")) == [
        ("אין מקום לנוער", participant.pk)
    ]
    client.force_login(manager)
    board = client.get(_url("board_poll", session)).content.decode()
    assert "אין מקום לנוער" in board and "דנה כהן" not in board  # authors hidden by default


def test_an_unknown_code_says_so_and_changes_nothing(client, session):
    with assert_nothing_changed():
        response = client.post(reverse("live_public:join"), {"code": "ZZZZZZ", "name": "דנה"})
    assert response.status_code == 400
    assert (
        escape(_("No live session has this code. Check the code on the board."))
        in response.content.decode()
    )
    assert client.get("/j/NOSUCH/").status_code == 404


def test_a_closed_joining_turns_walk_ins_away(client, manager, session):
    services.session_configure(
        session=session,
        actor=manager,
        settings=services.Settings(
            question="",
            joining_open=False,
            show_authors=False,
            totals_live=True,
            speaker_seconds=60,
        ),
    )
    with assert_nothing_changed():
        response = client.post(reverse("live_public:join"), {"code": session.code, "name": "דנה"})
    assert response.status_code == 400
    assert (
        escape(_("The facilitator has closed joining for this session."))
        in response.content.decode()
    )


def test_an_invitee_joins_through_the_invitations_link_once(client, meeting, session):
    invitation = InvitationFactory(meeting=meeting)
    # The link's token carries the second it was made: the page's and this one are made in the same.
    with time_machine.travel(timezone.now(), tick=False):
        url = reverse(
            "live_public:by_invitation", kwargs={"token": invitation_links.rsvp_token(invitation)}
        )
        # The RSVP page offers the live session while it is open.
        rsvp = client.get(invitation_links.rsvp_url(invitation, absolute=False)).content.decode()
    assert url in rsvp
    # Opening the link (a mail scanner does) takes no seat; the button does.
    with assert_nothing_changed():
        assert client.get(url).status_code == 200
    assert client.post(url)["Location"] == links.join_path(session)
    assert client.post(url)["Location"] == links.join_path(session)
    participant = Participant.objects.get(session=session)
    assert participant.invitation == invitation and not participant.is_guest


def test_a_tampered_invitation_link_gets_the_rsvp_refusal(client, session):
    with assert_nothing_changed():
        response = client.post(
            reverse("live_public:by_invitation", kwargs={"token": "forged:token"})
        )
    assert response.status_code == 400


def test_a_phone_that_sends_its_vote_again_votes_once(client, manager, session):
    item = services.item_add(session=session, actor=manager, text="חניה")
    participant = _phone(client, session)
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    dots = reverse("live_public:phone_act", kwargs={"code": session.code, "action": "dots"})
    for _resend in range(3):
        response = client.post(dots, {"dots": f"{item.pk}:2"}, headers={"x-live-fetch": "1"})
        assert response.status_code == 200
    assert Dot.objects.filter(participant=participant).count() == 2
    left = ngettext("You have %(counter)s dot left.", "You have %(counter)s dots left.", 1)
    assert escape(left % {"counter": 1}) in response.content.decode()
    too_many = client.post(dots, {"dots": f"{item.pk}:4"}, headers={"x-live-fetch": "1"})
    assert too_many.status_code == 409 and Dot.objects.filter(participant=participant).count() == 2


def test_a_vote_from_the_script_is_answered_with_the_phones_dots_alone(client, manager, session):
    """Nothing else a phone shows moved with its own vote: the answer is its dots (live.js puts them on
    the list), not the list drawn again, and it asks nothing about the phone's hand."""
    item = services.item_add(session=session, actor=manager, text="חניה")
    _phone(client, session)
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    dots = reverse("live_public:phone_act", kwargs={"code": session.code, "action": "dots"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(dots, {"dots": f"{item.pk}:2"}, headers={"x-live-fetch": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and response["X-Live-Part"] == "phone-mine"
    assert f'data-item="{item.pk}" data-n="2"' in page and 'data-left="1"' in page
    assert 'id="vote"' not in page and 'id="phone-state"' not in page
    assert not [q for q in queries if "live_turn" in q["sql"]]
    # Without the script the vote is the form's own: back to the page, which draws everything.
    plain = client.post(dots, {"dots": f"{item.pk}:1"})
    assert plain.status_code == 302 and "X-Live-Part" not in plain


def test_a_closed_session_refuses_the_phones_clearly(client, manager, session):
    _phone(client, session)
    deciding.session_close(session=session, actor=manager)
    url = reverse("live_public:phone_act", kwargs={"code": session.code, "action": "item"})
    with assert_nothing_changed():
        response = client.post(url, {"text": "מאוחר"})
    assert response.status_code == 409
    assert (
        escape(_("This live session is closed: nothing more can be added or changed."))
        in response.content.decode()
    )


def test_one_sessions_key_opens_nothing_in_another(
    client, manager, session, outsider, other_municipality
):
    _phone(client, session)
    theirs = services.session_open(
        meeting=MeetingFactory(committee__municipality=other_municipality, started=True),
        actor=outsider,
        note_taker="x",
    )
    services.item_add(session=theirs, actor=outsider, text="סוד של עיר אחרת")
    poll = reverse("live_public:phone_poll", kwargs={"session_id": theirs.pk})
    assert client.get(poll).status_code == 403
    page = client.get(links.join_path(theirs)).content.decode()
    assert 'id="join-form"' in page and "סוד של עיר אחרת" not in page
    with assert_nothing_changed():
        client.post(
            reverse("live_public:phone_act", kwargs={"code": theirs.code, "action": "item"}),
            {"text": "פלישה"},
        )


def test_a_paused_municipality_takes_nothing_from_the_phones(client, manager, hq_user, session):
    _phone(client, session)
    municipality_pause(municipality=session.municipality, actor=hq_user, reason="בדיקה")
    url = reverse("live_public:phone_act", kwargs={"code": session.code, "action": "item"})
    with assert_nothing_changed():
        response = client.post(url, {"text": "פריט"})
    assert response.status_code == 403


# --- the funnel, end to end through the facilitator's page --------------------------------------------


def test_the_facilitator_runs_the_funnel_to_five_focus_challenges_and_the_minutes(
    client, manager, meeting, session
):
    invitation = InvitationFactory(meeting=meeting)
    participant = services.join_invitee(session=session, invitation=invitation)
    texts = ["תחבורה", "נוער", "קשישים", "ניקיון", "תעסוקה", "תחבורה ציבורית", "פסולת"]
    items = [services.item_add(session=session, participant=participant, text=t) for t in texts]
    client.force_login(manager)
    assert _act(client, session, "phase", phase="cluster").status_code == 302
    assert _act(client, session, "cluster", title="תנועה").status_code == 302
    cluster = session.clusters.get()
    assert _act(client, session, "group", item=items[0].pk, cluster=cluster.pk).status_code == 302
    assert _act(client, session, "merge", item=items[5].pk, into=items[0].pk).status_code == 302
    assert _act(client, session, "hide", item=items[6].pk, hidden="1").status_code == 302
    assert _act(client, session, "phase", phase="vote", dots=3).status_code == 302
    session.refresh_from_db()
    services.dots_set(participant=participant, item_id=items[1].pk, count=3)
    assert _act(client, session, "phase", phase="decide").status_code == 302
    page = client.get(_url("facilitate", session)).content.decode()
    assert 'id="focus-form"' in page
    chosen = {f"place_{n}": items[i].pk for n, i in enumerate([1, 0, 2, 3, 4], start=1)}
    assert _act(client, session, "focus", **chosen).status_code == 302
    assert list(
        FocusChallenge.objects.filter(municipality=meeting.municipality).values_list(
            "title", flat=True
        )
    ) == ["נוער", "תחבורה", "קשישים", "ניקיון", "תעסוקה"]
    response = _act(client, session, "close")
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert "נוער" in minutes.decisions and "פסולת" not in minutes.summary
    invitation.refresh_from_db()
    assert invitation.attended


def test_a_refused_move_keeps_what_was_typed(client, manager, session):
    client.force_login(manager)
    services.phase_set(session=session, actor=manager, phase=Phase.CLUSTER)
    with assert_nothing_changed():
        response = _act(client, session, "item", text="רעיון שלא נכנס")
    assert response.status_code == 409
    body = response.content.decode()
    assert escape(_("Items are added while collecting; the facilitator has moved on.")) in body
    services.phase_set(session=session, actor=manager, phase=Phase.COLLECT)
    with assert_nothing_changed():
        response = _act(client, session, "item", text="א" * 300)
    assert response.status_code == 400 and "א" * 300 in response.content.decode()


def test_four_focus_challenges_are_refused_with_the_reason(client, manager, session):
    items = [services.item_add(session=session, actor=manager, text=f"פריט {n}") for n in range(5)]
    services.phase_set(session=session, actor=manager, phase=Phase.DECIDE)
    client.force_login(manager)
    chosen = {f"place_{n}": items[n - 1].pk for n in range(1, 5)}
    with assert_nothing_changed():
        response = _act(client, session, "focus", **chosen)
    assert response.status_code == 400
    assert not Item.objects.filter(outcome="focus").exists()


def test_phones_redraw_for_the_facilitators_moves_not_for_each_others_votes(
    client, manager, session, django_capture_on_commit_callbacks
):
    """Sixty phones must not all redraw each time one of them adds an item or a dot: the phones'
    version moves only with what every phone shows; the board's moves with everything."""
    other = Participant.objects.create(
        municipality=session.municipality, session=session, name="אחר", key="other", is_guest=True
    )
    _phone(client, session)
    poll = reverse("live_public:phone_poll", kwargs={"session_id": session.pk})
    tag = client.get(poll)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_add(session=session, participant=other, text="של מישהו אחר")
        services.hand_raise(participant=other)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(poll, headers={"if-none-match": tag}).status_code == 304
    assert len(queries) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.phase_set(session=session, actor=manager, phase=Phase.VOTE)
    moved = client.get(poll, headers={"if-none-match": tag})
    assert moved.status_code == 200 and moved["ETag"] != tag
    tag = moved["ETag"]
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.dots_set(participant=other, item_id=item.pk, count=2)
    assert client.get(poll, headers={"if-none-match": tag}).status_code == 304


def test_a_process_local_cache_is_a_deployment_warning(monkeypatch):
    from types import SimpleNamespace

    from live import checks

    def backend(name):
        monkeypatch.setattr(
            checks, "settings", SimpleNamespace(CACHES={"default": {"BACKEND": name}})
        )
        return [w.id for w in checks.shared_cache(None)]

    assert backend("django.core.cache.backends.locmem.LocMemCache") == ["live.W001"]
    assert backend("django.core.cache.backends.redis.RedisCache") == []


def test_items_stay_plain_text_in_the_minutes(client, manager, meeting, session):
    services.item_add(session=session, actor=manager, text="<img src=x onerror=alert(1)> גינה")
    services.phase_set(session=session, actor=manager, phase=Phase.DECIDE)
    item = session.items.get()
    deciding.outcome_set(session=session, actor=manager, item_id=item.pk, outcome="decision")
    deciding.session_close(session=session, actor=manager)
    client.force_login(manager)
    page = client.get(
        reverse(
            "committees:meeting",
            kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk},
        )
    ).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt; גינה" in page and "<img src=x" not in page


def test_a_phones_poll_draws_in_a_fixed_number_of_queries(client, manager, session):
    participant = _phone(client, session)
    poll = reverse("live_public:phone_poll", kwargs={"session_id": session.pk})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(poll).status_code == 200
        return len(queries)

    services.item_add(session=session, participant=participant, text="אחד")
    count()  # the phone's first poll: its process learns the seat behind its key
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE)
    drawing = count()  # the first phone at this version draws what every phone shows
    kept = count()  # the others take that drawing: one query fewer, whatever the number of items
    assert kept == drawing - 1
    services.phase_set(session=session, actor=manager, phase=Phase.COLLECT)
    for n in range(30):
        services.item_add(session=session, participant=participant, text=f"פריט {n}")
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE)
    assert (count(), count()) == (drawing, kept)


def _poll(client, session):
    return client.get(
        reverse("live_public:phone_poll", kwargs={"session_id": session.pk}),
        headers={"x-live-fetch": "1"},
    ).content.decode()


def test_the_shared_drawing_leaves_the_form_token_out_without_a_warning(
    client, manager, session, settings
):
    """Drawn without a request, a {% csrf_token %} in its forms would warn on every new version (DEBUG,
    as under `make run`): the kept drawing leaves the token out on purpose."""
    import warnings

    settings.DEBUG = True
    _phone(client, session)
    services.item_add(session=session, actor=manager, text="חניה")
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = _poll(client, session)
    assert 'id="phone-mine"' in page and "data-vote-item" in page
    assert [f"{w.filename}:{w.lineno} {w.message}" for w in caught] == []


def test_a_phones_poll_reads_its_hand_and_whether_it_has_dots_with_its_session(
    client, manager, session
):
    """Once the shared part is drawn and the seat known, a phone's new state while voting is one query
    (the session with the phone's open turn and whether it has dots in the round: right after the
    round opens none has), two once it has dots; the hand shown is the one it has now."""
    parking = services.item_add(session=session, actor=manager, text="חניה")
    participant = _phone(client, session)
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    _poll(client, session)  # the first phone draws the shared part and its process learns the seat
    with CaptureQueriesContext(connection) as queries:
        page = _poll(client, session)
    assert 'id="raise-hand"' in page and 'data-left="3"' in page and len(queries) == 1
    turn = services.hand_raise(participant=participant)
    services.dots_set(participant=participant, item_id=parking.pk, count=2)
    with CaptureQueriesContext(connection) as queries:
        page = _poll(client, session)
    assert 'id="my-hand"' in page and 'id="lower-hand"' in page and len(queries) == 2
    assert f'data-item="{parking.pk}" data-n="2"' in page and 'data-left="1"' in page
    services.floor_give(session=session, actor=manager, turn_id=turn.pk)
    assert 'id="my-floor"' in _poll(client, session)
    services.hand_lower(participant=participant)
    page = _poll(client, session)
    assert 'id="raise-hand"' in page and 'id="my-floor"' not in page
    # A new round: the dots of the last one are not this round's.
    services.phase_set(session=session, actor=manager, phase=Phase.CLUSTER)
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    session.refresh_from_db()
    assert session.vote_round == 2 and 'data-left="3"' in _poll(client, session)


def test_phones_share_one_drawing_and_each_gets_only_its_own_dots(manager, session):
    """What every phone shows is drawn once per version; a phone's dots and form token are its own."""
    from django.test import Client

    first, second = Client(), Client()
    a = _phone(first, session, "דנה")
    _phone(second, session, "חאלד")
    parking = services.item_add(session=session, participant=a, text="חניה")
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    services.dots_set(participant=a, item_id=parking.pk, count=2)
    mine, theirs = _poll(first, session), _poll(second, session)
    assert f'data-item="{parking.pk}" data-n="2"' in mine
    assert f'data-item="{parking.pk}"' not in theirs
    left = ngettext("You have %(counter)s dot left.", "You have %(counter)s dots left.", 1)
    assert escape(left % {"counter": 1}) in mine and escape(left % {"counter": 1}) not in theirs
    # The shared list is the same drawing for both, with no one's form token in it.
    shared = lambda page: page[page.index('id="phone-phase"') : page.index('id="phone-mine"')]  # noqa: E731
    assert shared(mine) == shared(theirs)
    # No form token in a poll's answer at all: each phone's is on its own page, sent by the script.
    assert "csrfmiddlewaretoken" not in mine and "csrfmiddlewaretoken" not in theirs
    for phone in (first, second):
        assert 'data-live-csrf="' in phone.get(links.join_path(session)).content.decode()
    token = lambda c: c.cookies["csrftoken"].value  # noqa: E731
    assert token(first) != token(second)


def test_a_page_without_the_script_draws_the_phones_own_dots_into_the_list(
    client, manager, session
):
    participant = _phone(client, session)
    parking = services.item_add(session=session, participant=participant, text="חניה")
    services.phase_set(session=session, actor=manager, phase=Phase.VOTE, dots=3)
    dots = reverse("live_public:phone_act", kwargs={"code": session.code, "action": "dots"})
    response = client.post(dots, {"dots": f"{parking.pk}:1"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'value="{parking.pk}:2"' in page and f'value="{parking.pk}:0"' in page
    assert "csrfmiddlewaretoken" in page[page.index('id="vote"') :]


def test_a_poll_puts_back_the_versions_a_cache_lost(client, session):
    from django.core.cache import cache

    _phone(client, session)
    session.refresh_from_db()
    cache.clear()
    assert "phone-state" in _poll(client, session)
    assert services.cached_phone_version(session.pk) == session.phone_version
    assert services.cached_version(session.pk) == session.version


def test_a_poll_never_puts_back_an_older_version_than_the_cache_has(session):
    from django.core.cache import cache

    services.remember_version(session.pk, 7, 5)
    services.heal_version(session.pk, 6, 4)  # read just before the change that published 7 and 5
    assert (services.cached_version(session.pk), services.cached_phone_version(session.pk)) == (
        7,
        5,
    )
    cache.clear()
    services.heal_version(session.pk, 6, 4)  # the cache lost them: the reader's are put back
    assert (services.cached_version(session.pk), services.cached_phone_version(session.pk)) == (
        6,
        4,
    )


def test_a_move_is_confirmed_in_the_facilitators_language(client, manager, session):
    client.force_login(manager)
    page = client.post(_url("act", session, action="cluster"), {"title": "תנועה"}, follow=True)
    assert escape(_("The heading was added.")) in page.content.decode()
    client.cookies["django_language"] = "ar"
    page = client.post(_url("act", session, action="cluster"), {"title": "نقل"}, follow=True)
    assert "أُضيف العنوان." in page.content.decode()


def test_a_key_put_under_another_sessions_cookie_opens_nothing(
    client, manager, session, outsider, other_municipality
):
    """The cookie's name is no protection: a phone may send its key under any session's name."""
    participant = _phone(client, session)
    theirs = services.session_open(
        meeting=MeetingFactory(committee__municipality=other_municipality, started=True),
        actor=outsider,
        note_taker="x",
    )
    client.cookies[links.key_cookie(theirs.pk)] = participant.key
    poll = reverse("live_public:phone_poll", kwargs={"session_id": theirs.pk})
    assert client.get(poll).status_code == 403
    with assert_nothing_changed():
        client.post(
            reverse("live_public:phone_act", kwargs={"code": theirs.code, "action": "item"}),
            {"text": "פלישה"},
        )
