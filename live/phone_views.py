"""The participants' pages, for phones and without an account: joining by the board's code or by the
invitation's personal link, then adding items, voting with dots and raising a hand.

The seat is a random key in a cookie, one per session: a phone that lost its connection comes back to
the same seat, and a key of one session opens nothing in another. A tampered or old invitation link
gets the RSVP's own refusal page; an unknown code says so and changes nothing. While HQ pauses the
municipality every form here is refused (kehila.pausing)."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from committees import links as invitation_links
from committees.models import Invitation
from kehila.forms import add_service_errors
from kehila.pausing import public_paused_notice, refuse_if_paused, refuses_while_paused

from . import links, selectors, services
from .forms import DotsForm, ItemForm, JoinForm
from .models import LiveSession, Participant
from .polling import cache_lost_version, cached_poll_version, etag

# What a participant's move may have changed (the municipality and the meeting, read with the session,
# stay as they were).
LIVE_FIELDS = ["phase", "version", "phone_version", "vote_round", "dots", "closed_at", "question"]


def _by_code(code: str) -> LiveSession | None:
    return (
        LiveSession.objects.select_related("municipality", "meeting")
        .filter(code=(code or "").strip().upper())
        .first()
    )


def _participant(request, session):
    participant = services.participant_by_key(request.COOKIES.get(links.key_cookie(session.pk)))
    if participant is None or participant.session_id != session.pk:
        return None
    participant.session = session
    return participant


# A session's code never changes: once known, its id is kept in this process. A seat never changes either
# once taken (its key, its name, its session; seats are not given up), so a process keeps the ones it
# has met: a phone's poll and moves then read only the session and its municipality, fresh.
_SESSION_IDS: dict[str, int] = {}
_SEATS: dict[tuple[int, str], tuple] = {}
SEAT_FIELDS = ("id", "municipality_id", "session_id", "invitation_id", "name", "is_guest", "key")


def _seat(request, session_id: int, *, own: bool = False):
    """The participant behind this phone's cookie for that session, with the session and municipality
    read now (and with `own`, for a poll, the phone's open turn and whether it has dots: own_columns);
    None for no key, an unknown key or a key of another session."""
    key = request.COOKIES.get(links.key_cookie(session_id))
    if not key:
        return None
    row = _SEATS.get((session_id, key))
    if row is None:
        row = (
            Participant.objects.filter(key=key, session_id=session_id)
            .values_list(*SEAT_FIELDS)
            .first()
        )
        if row is None:
            return None
        if len(_SEATS) > 50_000:
            _SEATS.clear()
        _SEATS[(session_id, key)] = row
    sessions = LiveSession.objects.select_related("municipality").filter(pk=session_id)
    if own:
        sessions = sessions.annotate(**selectors.own_columns(row[0]))
    session = sessions.first()
    if session is None:
        return None
    participant = Participant.from_db("default", SEAT_FIELDS, row)
    participant.session = session
    return participant


def _seat_by_code(request, code: str):
    code = (code or "").strip().upper()
    remembered = _SESSION_IDS.get(code)
    if remembered is not None:
        seat = _seat(request, remembered)
        if seat is not None:
            return seat
        del _SESSION_IDS[code]  # or the code now names another session: ask the database again
    session_id = LiveSession.objects.filter(code=code).values_list("pk", flat=True).first()
    if session_id is None:
        return None
    if len(_SESSION_IDS) > 10_000:
        _SESSION_IDS.clear()
    _SESSION_IDS[code] = session_id
    return _seat(request, session_id)


def _unknown_code(request, status=404):
    return render(request, "live/unknown_code.html", status=status)


@never_cache
@refuses_while_paused
def join(request):
    """A walk-in: the code from the board and a name; they join as a guest."""
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        session = _by_code(form.cleaned_data["code"])
        if session is not None:
            refuse_if_paused(session.municipality)
            known = _participant(request, session)
            if known is not None:
                return redirect(links.join_path(session))
        try:
            participant = services.join_guest(
                code=form.cleaned_data["code"], name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = redirect(links.join_path(participant.session))
            links.set_key(response, participant)
            return response
    return render(request, "live/join.html", {"form": form}, status=400 if form.errors else 200)


def _phone_context(request, session, participant, item_form=None, refusal=None, kept=False) -> dict:
    """A phone's state: what every phone shows, kept once per phone version and language when nothing in
    it is this phone's own (a refused item's text, the municipality's pause), then the phone's own part.
    Only the script's answers (`kept`) take the kept drawing: a page without the script needs its own
    dots and form tokens drawn into the list."""
    seat = selectors.phone_seat(session, participant)
    notice = public_paused_notice(session.municipality)
    context = {
        "session": session,
        "participant": participant,
        "seat": seat,
        "item_form": item_form or ItemForm(),
        "refusal": refusal,
        "poll_url": reverse("live_public:phone_poll", kwargs={"session_id": session.pk}),
        "public_paused": notice,
        # The script's answers carry no form token (one phone's secret): it sends the page's with each form.
        "kept_drawing": kept,
    }
    if kept and item_form is None and not notice:
        context["shared"], context["items_count"] = _shared_drawing(session)
    else:
        items = selectors.phone_items(session, seat.mine)
        context.update(items=items, items_count=len(items), dots_left=seat.dots_left)
    return context


SHARED_SECONDS = 60 * 60


def _shared_drawing(session) -> tuple[str, int]:
    """What every phone of the session shows at this phone version, in this language: drawn by the first
    phone that asks and kept, so sixty phones redrawing after the facilitator's move draw it once. The
    version is in the key: a move gives a new key, and nothing has to be forgotten."""
    key = f"live:phone-html:{session.pk}:{session.phone_version}:{translation.get_language()}"
    kept = cache.get(key)
    if kept is None:
        items = selectors.phone_items(session)
        html = render_to_string(
            "live/_phone_shared.html",
            {
                "session": session,
                "items": items,
                "item_form": ItemForm(),
                "dots_left": session.dots,
                # No form token in it (one phone's secret): the script sends the page's with every form.
                "kept_drawing": True,
            },
        )
        kept = (html, len(items))
        cache.set(key, kept, SHARED_SECONDS)
    return mark_safe(kept[0]), kept[1]  # noqa: S308 - the template's own escaped output


@never_cache
def phone(request, code):
    session = _by_code(code)
    if session is None:
        return _unknown_code(request)
    participant = _participant(request, session)
    if participant is None:
        if session.is_closed:
            return render(request, "live/closed.html", {"session": session})
        form = JoinForm(initial={"code": session.code})
        return render(
            request,
            "live/join.html",
            {
                "form": form,
                "session": session,
                "public_paused": public_paused_notice(session.municipality),
            },
        )
    services.heal_version(session.pk, session.version, session.phone_version)
    context = _phone_context(request, session, participant)
    context["poll_pass"] = links.poll_pass(session.pk, participant.key)
    return render(request, "live/phone.html", context)


PHONE_MOVES = ("item", "dots", "hand", "lower")
PART_HEADER = "X-Live-Part"  # an answer that is one part of the phone's state (live.js)


def _wants_fragment(request) -> bool:
    return request.headers.get("X-Live-Fetch") == "1"


@require_POST
@refuses_while_paused
def phone_act(request, code, action):
    """An item, dots on an item, a hand raised or lowered. With the phone's script the answer is the
    phone's new state (no reload); without it, a redirect back to the phone's page."""
    participant = _seat_by_code(request, code) if action in PHONE_MOVES else None
    if participant is None:
        session = _by_code(code)
        if session is None or action not in PHONE_MOVES:
            return _unknown_code(request)
        refuse_if_paused(session.municipality)
        return redirect(links.join_path(session))
    session = participant.session
    refuse_if_paused(session.municipality)
    item_form = ItemForm(request.POST) if action == "item" else None
    try:
        moved = _phone_move(request, action, participant, item_form)
    except ValidationError as error:
        session.refresh_from_db(fields=LIVE_FIELDS)
        # The text of an item refused only because the session moved on stays in its box.
        fragment = _wants_fragment(request)
        context = _phone_context(
            request, session, participant, item_form, refusal=error.messages, kept=fragment
        )
        template = "live/_phone_state.html" if fragment else "live/phone.html"
        status = 400 if item_form is not None and item_form.errors else 409
        return render(request, template, context, status=status)
    # A phone's own move changes nothing that every phone shows (not the phone version): the session as
    # read before it is the one to draw. A facilitator's move meanwhile comes with the next poll.
    if _wants_fragment(request):
        if isinstance(moved, services.Placed):
            return _dots_answer(request, participant, moved)
        return _fragment(request, session, participant)
    anchor = {"item": "#add-item", "dots": "#vote"}.get(action, "#hand")
    return redirect(links.join_path(session) + anchor)


def _phone_move(request, action, participant, item_form) -> services.Placed | None:
    """Carry out a phone's move; a refusal is raised as the ValidationError the page explains. A vote
    returns the phone's dots as they now are."""
    if action == "item":
        if not item_form.is_valid():
            raise ValidationError(item_form.errors["text"])
        services.item_add(
            session=participant.session,
            participant=participant,
            text=item_form.cleaned_data["text"],
        )
        return None
    if action == "dots":
        form = DotsForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_first_error(form))
        return services.dots_set(
            participant=participant,
            item_id=form.cleaned_data["item"],
            count=form.cleaned_data["count"],
        )
    if action == "hand":
        services.hand_raise(participant=participant)
    else:
        services.hand_lower(participant=participant)
    return None


def _first_error(form) -> list:
    return [message for errors in form.errors.values() for message in errors]


def _dots_answer(request, participant, placed):
    """A vote from the script is answered with the phone's dots alone: nothing else a phone shows moved,
    and drawing the rest again was a quarter of a vote's work. live.js puts them on the list in place."""
    seat = selectors.Seat(participant, placed.mine, placed.left, my_items=[], my_turn=None)
    response = render(request, "live/_phone_mine.html", {"seat": seat})
    response[PART_HEADER] = "phone-mine"
    response["Cache-Control"] = "no-cache, private"
    return response


def _fragment(request, session, participant):
    context = _phone_context(request, session, participant, kept=True)
    own = context["seat"].own
    blank = (
        "shared" in context
        and own is not None
        and own.shows_nothing_own(session.phase, session.vote_round)
    )
    # Drawn without this phone's marks of its own: the same answer for every phone with nothing of its own.
    context["blank"] = blank
    response = render(request, "live/_phone_state.html", context)
    if blank:
        cache.set(
            _blank_key(session.pk, session.phone_version),
            (response.content, session.phase, session.vote_round),
            SHARED_SECONDS,
        )
    _poll_headers(response, session.phone_version)
    if cache_lost_version(request):
        services.heal_version(session.pk, session.version, session.phone_version)
    return response


def _poll_headers(response, phone_version: int) -> None:
    response["ETag"] = etag(phone_version)
    response["Cache-Control"] = "no-cache, private"


def _blank_key(session_id: int, phone_version: int) -> str:
    return f"live:phone-blank:{session_id}:{phone_version}:{translation.get_language()}"


PASS_HEADER = "X-Live-Pass"  # noqa: S105 - a header's name: links.poll_pass, sent by live.js


def _blank_answer(request, session_id: int):
    """After a facilitator's move sixty phones ask for the new state together, and most have nothing of
    their own in it (no dot yet in the new round, no hand raised, no item while collecting): the one
    drawing every such phone gets, from the cache, without reading the seat. The phone's script says
    what it has of its own (selectors.Own) and shows the pass its page was given for its seat.

    Not for the full poll live.js sends now and then without a version: it is drawn for itself and
    puts right what the phone believes it has (an invitee's seat opened in two browsers gets a hand
    raised or a dot put in the other)."""
    if "If-None-Match" not in request.headers:
        return None
    version = cached_poll_version(request)
    own = selectors.Own.parse(request.headers.get(selectors.Own.HEADER))
    if version is None or own is None:
        return None
    key = request.COOKIES.get(links.key_cookie(session_id))
    if not links.pass_matches(session_id, key, request.headers.get(PASS_HEADER)):
        return None
    kept = cache.get(_blank_key(session_id, version))
    if kept is None or not own.shows_nothing_own(phase=kept[1], vote_round=kept[2]):
        return None
    response = HttpResponse(kept[0])
    _poll_headers(response, version)
    return response


def phone_poll(request, session_id):
    """The phone's state as HTML, or 304 (live.polling) while the session has not changed."""
    answer = _blank_answer(request, session_id)
    if answer is not None:
        return answer
    participant = _seat(request, session_id, own=True)
    if participant is None:
        return _unknown_code(request, status=403)
    return _fragment(request, participant.session, participant)


def _bad_link(request, error):
    expired = isinstance(error, invitation_links.LinkExpired)
    return render(
        request,
        "committees/public/bad_link.html",
        {"expired": expired},
        status=410 if expired else 400,
    )


@never_cache
@refuses_while_paused
def by_invitation(request, token):
    """An invitee joins through their invitation's personal link: no account, no password, no name to
    type. The join is a button (a POST): mail scanners that open links must not take a seat."""
    try:
        invitation_id = invitation_links.invitation_id_from(token)
    except (invitation_links.LinkExpired, invitation_links.LinkInvalid) as error:
        return _bad_link(request, error)
    invitation = (
        Invitation.objects.select_related("meeting__committee", "person", "municipality")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return _bad_link(request, invitation_links.LinkInvalid())
    session = invitation.meeting.live_sessions.filter(closed_at__isnull=True).first()
    context = {
        "invitation": invitation,
        "meeting": invitation.meeting,
        "session": session,
        "rsvp_path": invitation_links.rsvp_url(invitation, absolute=False),
        "public_paused": public_paused_notice(invitation.municipality),
    }
    if session is None:
        return render(
            request, "live/not_open.html", context, status=409 if request.method == "POST" else 200
        )
    known = _participant(request, session)
    if known is not None and known.invitation_id == invitation.pk:
        return redirect(links.join_path(session))
    if request.method == "POST":
        refuse_if_paused(invitation.municipality)
        try:
            participant = services.join_invitee(session=session, invitation=invitation)
        except ValidationError as error:
            context["refusal"] = error.messages
            return render(request, "live/by_invitation.html", context, status=409)
        response = redirect(links.join_path(session))
        links.set_key(response, participant)
        return response
    return render(request, "live/by_invitation.html", context)
