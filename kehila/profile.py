"""A person's own account: profile, language, which e-mails they get, changing their e-mail address, and
their sessions.

Senders ask `wants(user_or_email, kind)` before queuing a switchable e-mail and render it in
`language_of(user)`. A user who never saved a choice has no Profile row and the defaults of the model
(every e-mail on, Hebrew): the row is made by the first change a person saves, never by reading.
"""

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import mail
from .audit import log_action
from .models import Profile
from .signals import account_calendar_feeds_revoke

# What a sender may ask about. Invitations are always sent: they are how a person gets in at all.
MEETING_REMINDER = "meeting_reminder"
MAX_REMINDER_DAYS = 14  # the earliest a person may ask to be reminded of a meeting
DIGEST = "digest"
ACTION_ITEM_REMINDER = "action_item_reminder"
INVITATION = "invitation"
_FIELD_OF_KIND = {
    MEETING_REMINDER: "meeting_reminders",
    DIGEST: "digests",
    ACTION_ITEM_REMINDER: "action_item_reminders",
}
KINDS = frozenset(_FIELD_OF_KIND) | {INVITATION}

EMAIL_CHANGE_SALT = "kehila.profile.email-change"
EMAIL_CHANGE_MAX_AGE = timedelta(days=2)

# Session data the login stamps, shown in the list of sessions (no model: it lives and dies with the
# session itself).
LOGIN_AT_KEY = "kehila_login_at"
LOGIN_AGENT_KEY = "kehila_login_agent"
# A language to set as the interface's cookie on the next response (see LanguageCookieMiddleware).
PENDING_LANGUAGE_KEY = "kehila_pending_language"

_PHONE_SEPARATORS = re.compile(r"[\s\-().\u200e\u200f\u202a-\u202e]")
_PHONE = re.compile(r"^\+?\d{7,15}$")
INVALID_PHONE = _("Enter a phone number of digits, e.g. 050-1234567 or +972 50 123 4567.")


def default_profile() -> Profile:
    """The choices of someone who never saved any (not saved: reading makes no row)."""
    return Profile(language=settings.LANGUAGE_CODE)


def profile_of(user) -> Profile:
    """The person's saved choices, or the defaults (unsaved) if they have none yet."""
    if user is None or not getattr(user, "pk", None):
        return default_profile()
    try:
        return user.profile
    except Profile.DoesNotExist:
        return default_profile()


def language_of(user, fallback: str | None = None) -> str:
    """The language to speak to `user` in, interface and e-mail: the one they chose, else `fallback`,
    else the portal's first language. A stored language the portal does not speak yet (Arabic until
    issue 17) falls back the same way."""
    spoken = {code for code, _name in settings.LANGUAGES}
    default = fallback if fallback in spoken else settings.LANGUAGE_CODE
    profile = profile_of(user)
    if profile.pk is None:
        return default
    return profile.language if profile.language in spoken else default


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of e-mail: {kind!r}")


def wants(user_or_email, kind: str) -> bool:
    """Whether this person wants e-mails of `kind`. An address is looked up among the accounts: if an
    account with that address turned the kind off, its mailbox gets none; an address with no account
    (a committee member answering by personal links) is not ours to decide here and is answered True."""
    _check_kind(kind)
    if kind == INVITATION:
        return True
    if isinstance(user_or_email, str):
        return user_or_email.strip().lower() not in refusing([user_or_email], kind)
    return bool(getattr(profile_of(user_or_email), _FIELD_OF_KIND[kind]))


def refusing(addresses: Iterable[str], kind: str) -> set[str]:
    """Of `addresses`, those (lower-cased) whose account turned `kind` off: one query for a batch, so a
    sender of many e-mails filters them all at once."""
    _check_kind(kind)
    wanted = {a.strip().lower() for a in addresses if a and a.strip()}
    if kind == INVITATION or not wanted:
        return set()
    # Compared without case: an address typed "Dana@Town.il" is the account's "dana@town.il".
    rows = (
        Profile.objects.filter(**{_FIELD_OF_KIND[kind]: False})
        .annotate(address=Lower("user__email"))
        .filter(address__in=wanted)
    )
    return set(rows.values_list("address", flat=True))


def reminder_days_of(addresses: Iterable[str], *, default: int) -> dict[str, int]:
    """How many days before a meeting each address (lower-cased) wants its reminder: an account's
    choice where it made one, `default` for the others (one query for a batch)."""
    wanted = {a.strip().lower() for a in addresses if a and a.strip()}
    days = dict.fromkeys(wanted, default)
    if wanted:
        rows = (
            Profile.objects.annotate(address=Lower("user__email"))
            .filter(address__in=wanted)
            .values_list("address", "reminder_days_before")
        )
        days.update(rows)
    return days


def reminder_days_before(user) -> int:
    """How many days before a meeting the person wants its reminder."""
    return profile_of(user).reminder_days_before


def normalise_phone(raw: str) -> str:
    """A phone kept as typed but without separators, or '' for none. Simple on purpose: the stage apps'
    Israeli-number rules are theirs, and the core does not import them."""
    value = _PHONE_SEPARATORS.sub("", raw or "")
    if not value:
        return ""
    if not _PHONE.match(value):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return value


def _profile_for_update(user) -> Profile:
    profile, _created = Profile.objects.select_for_update().get_or_create(
        user=user, defaults={"language": settings.LANGUAGE_CODE}
    )
    return profile


@transaction.atomic
def profile_update(*, user, first_name: str, last_name: str, language: str, phone: str) -> Profile:
    """Save the person's name, language and phone. The e-mail address changes only through
    `email_change_request` and the link it sends."""
    if language not in Profile.Language.values:
        raise ValidationError(_("Choose one of the languages offered."), code="invalid_language")
    phone = normalise_phone(phone)
    profile = _profile_for_update(user)
    changed = []
    if (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
        changed.append("name")
    if profile.language != language:
        changed.append("language")
    if profile.phone != phone:
        changed.append("phone")
    profile.language, profile.phone = language, phone
    profile.save()
    # The phone itself is not written into the trail: it is private, and the trail is read by others.
    log_action(actor=user, action="profile_updated", obj=user, data={"changed": changed})
    return profile


@transaction.atomic
def notifications_update(
    *,
    user,
    meeting_reminders: bool,
    reminder_days_before: int,
    digests: bool,
    action_item_reminders: bool,
) -> Profile:
    if not 1 <= reminder_days_before <= MAX_REMINDER_DAYS:
        raise ValidationError(_("Choose between 1 and 14 days."), code="invalid_days")
    profile = _profile_for_update(user)
    profile.meeting_reminders = meeting_reminders
    profile.reminder_days_before = reminder_days_before
    profile.digests = digests
    profile.action_item_reminders = action_item_reminders
    profile.save()
    log_action(
        actor=user,
        action="notifications_updated",
        obj=user,
        data={
            "meeting_reminders": meeting_reminders,
            "reminder_days_before": reminder_days_before,
            "digests": digests,
            "action_item_reminders": action_item_reminders,
        },
    )
    return profile


# --- changing the e-mail address ---------------------------------------------------------------------


class EmailChangeRefused(Exception):
    """The link cannot change the address; `reason` is a translated sentence for the person."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def email_change_token(*, user, new_email: str) -> str:
    """A signed link's token. It names the address it replaces, so once used (the address is no longer
    that one) it changes nothing: single-use without a table."""
    return signing.dumps(
        {"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT, compress=True
    )


@transaction.atomic
def email_change_request(*, user, new_email: str) -> bool:
    """E-mail a confirmation link to `new_email`; the address changes only when the link is opened.

    The answer to the person is the same whether or not the address belongs to another account (the
    form must not tell): that case is refused when the link is opened, by the holder of that mailbox."""
    new_email = new_email.strip()
    if not new_email or new_email.lower() == (user.email or "").lower():
        return False
    token = email_change_token(user=user, new_email=new_email)
    log_action(actor=user, action="email_change_requested", obj=user)
    return mail.send_once(
        # Each request is its own e-mail (a second request resends); the key holds a hash, not the link.
        key=f"email-change:{user.pk}:{hashlib.sha256(token.encode()).hexdigest()[:32]}",
        to=new_email,
        subject_template="kehila/email/email_change_subject.txt",
        body_template="kehila/email/email_change_body.txt",
        context={
            "user": user,
            "new_email": new_email,
            "url": reverse("account_email_confirm", kwargs={"token": token}),
            "days": EMAIL_CHANGE_MAX_AGE.days,
        },
        language=language_of(user),
    )


def email_change_read(*, user, token: str) -> str:
    """The new address a link would set for `user`, or EmailChangeRefused saying why not."""
    try:
        data = signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired:
        raise EmailChangeRefused(
            _("This link has expired. Ask for the change again on your account page.")
        ) from None
    except signing.BadSignature:
        raise EmailChangeRefused(
            _("This link is not valid. Copy the whole link from the e-mail, or ask again.")
        ) from None
    if data.get("u") != user.pk:
        raise EmailChangeRefused(
            _("This link was sent for another account. Sign in as that account to use it.")
        )
    if (user.email or "") != data.get("old"):
        raise EmailChangeRefused(
            _("This link was already used, or your address changed since it was sent.")
        )
    new_email = data["new"]
    User = get_user_model()
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailChangeRefused(
            _("This address belongs to another account: it cannot be used for this one.")
        )
    return new_email


@transaction.atomic
def email_change_confirm(*, user, token: str) -> str:
    """Set the address the link names (raises EmailChangeRefused) and tell the old address."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    new_email = email_change_read(user=user, token=token)
    old_email = user.email
    user.email = new_email
    user.save(update_fields=["email"])
    log_action(actor=user, action="email_changed", obj=user)
    if old_email:
        mail.send_once(
            key=f"email-changed:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
            to=old_email,
            subject_template="kehila/email/email_changed_subject.txt",
            body_template="kehila/email/email_changed_body.txt",
            context={"user": user, "new_email": new_email},
            language=language_of(user),
        )
    return new_email


@transaction.atomic
def calendar_feeds_revoke(*, user) -> int:
    """Revoke the person's personal calendar feeds: the stage app that keeps them answers the signal
    (the core does not know them). Returns how many were revoked."""
    revoked = sum(
        answer or 0
        for _receiver, answer in account_calendar_feeds_revoke.send(sender=None, user=user)
    )
    log_action(actor=user, action="calendar_feeds_revoked", obj=user, data={"revoked": revoked})
    return revoked


# --- sessions ----------------------------------------------------------------------------------------


def sessions_of(user) -> list[dict]:
    """The person's live sessions, newest activity first.

    Read from Django's session table by decoding each live session: the table is the truth (a session
    that exists can be used), where a list kept beside it at login could miss sessions begun before it
    existed or outlive ones that expired. One pass over the live sessions is acceptable at the portal's
    scale (a few thousand staff)."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    found = []
    live = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data", "expire_date"
    )
    for row in live.iterator(chunk_size=500):
        data = store.decode(row.session_data)
        if str(data.get(SESSION_KEY)) != str(user.pk):
            continue
        found.append(
            {
                "key": row.session_key,
                "expires": row.expire_date,
                "login_at": _stamp(data.get(LOGIN_AT_KEY)),
                "last_activity": _stamp(data.get("kehila_last_activity")),
                "agent": data.get(LOGIN_AGENT_KEY, ""),
            }
        )
    found.sort(key=lambda s: s["last_activity"] or s["login_at"] or s["expires"], reverse=True)
    return found


def _stamp(value):
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def sessions_end_others(*, user, keep_key: str | None) -> int:
    """End every session of `user` except `keep_key` (this browser's). Through the session engine, so a
    cached session goes from the cache too, not only from the table. Returns how many ended."""
    from importlib import import_module

    engine = import_module(settings.SESSION_ENGINE)
    ended = 0
    for session in sessions_of(user):
        if session["key"] == keep_key:
            continue
        engine.SessionStore(session_key=session["key"]).delete()
        ended += 1
    log_action(actor=user, action="sessions_ended_elsewhere", obj=user, data={"ended": ended})
    return ended


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """At login (user_logged_in, connected in KehilaConfig.ready): when and from which browser, for the
    list of sessions; and the person's chosen language, to become the interface's on the response."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[LOGIN_AT_KEY] = int(timezone.now().timestamp())
    session[LOGIN_AGENT_KEY] = request.META.get("HTTP_USER_AGENT", "")[:200]
    if Profile.objects.filter(user=user).exists():
        session[PENDING_LANGUAGE_KEY] = language_of(user)


class LanguageCookieMiddleware:
    """Sets the interface's language cookie once after a login, to the language the person chose (the
    login signal leaves it in the session; a signal cannot touch the response). Reads only the session
    that is already loaded: no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get(PENDING_LANGUAGE_KEY):
            set_language_cookie(response, session.pop(PENDING_LANGUAGE_KEY))
        return response


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
