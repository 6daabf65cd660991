"""How a phone reaches a session: the short link and QR code on the board (a walk-in types a name), or
the invitation's personal link (an invitee, already known). The phone's seat is a key in a cookie."""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from kehila.accounts import qr_svg

KEY_COOKIE_SECONDS = 60 * 60 * 12


def join_path(session) -> str:
    return reverse("live_public:phone", kwargs={"code": session.code})


def join_url(session) -> str:
    return settings.SITE_URL + join_path(session)


def join_short(session) -> str:
    """The link as people type it from the back of the hall: no scheme."""
    return join_url(session).split("://", 1)[-1]


def join_qr_svg(session) -> str:
    return qr_svg(join_url(session))


def key_cookie(session_id: int) -> str:
    return f"kehila_live_{session_id}"


def set_key(response, participant) -> None:
    response.set_cookie(
        key_cookie(participant.session_id),
        participant.key,
        max_age=KEY_COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def poll_pass(session_id: int, key: str) -> str:
    """What a phone's script shows with its polls so that a poll can be answered without reading the seat
    (live.phone_views): proof, without a query, that the cookie's key is one this server gave for this
    session. A key of another session, or a made-up one, has no pass that matches."""
    return salted_hmac("live.phone-poll", f"{session_id}:{key}").hexdigest()[:32]


def pass_matches(session_id: int, key: str | None, shown: str | None) -> bool:
    return bool(key and shown) and constant_time_compare(poll_pass(session_id, key), shown)
