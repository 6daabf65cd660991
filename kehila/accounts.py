"""Signing in safely: the lockout page, two-factor authentication, idle sessions and the password reset
e-mail.

Two-factor is required of everyone who sees residents' contact details (the program manager, the program
team, HQ, and Django staff, who reach them in the admin) and offered to the others; whoever has enrolled
must verify at every login. The rule is enforced by a middleware, not by each view, so that a page added
tomorrow cannot forget it.
"""

import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import mail
from .audit import log_action
from .net import client_ip
from .permissions import requires_second_factor
from .profile import language_of

RECOVERY_CODE_COUNT = 10
LAST_ACTIVITY_KEY = "kehila_last_activity"
# A session that has looked once and found no authenticator for an optional user; enrolling clears it.
NO_DEVICE_KEY = "kehila_no_otp_device"
# The stamp is rewritten at most this often: a session write per minute, not per request.
ACTIVITY_RESOLUTION_SECONDS = 60

# Pages an unverified user may still open: signing in and out, enrolling, the language switch and the
# pages that need no login at all.
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "two_factor_enrol",
        "two_factor_verify",
        "set_language",
        "accessibility",
        "healthz",
    }
)


def requires_two_factor(user) -> bool:
    """The rule is decided in kehila.permissions (the roles that see residents' contact details)."""
    return requires_second_factor(user)


def _has_authenticator(request) -> bool:
    if request.session.get(NO_DEVICE_KEY):
        return False
    found = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if not found:
        request.session[NO_DEVICE_KEY] = True
    return found


class TwoFactorMiddleware:
    """After django_otp's middleware: a signed-in user who must verify and has not is sent to enrol (no
    authenticator yet) or to enter a code, and the page they asked for does not run, so nothing changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if SESSION_KEY not in request.session or not request.user.is_authenticated:
            return None
        if request.user.is_verified():
            return None
        match = request.resolver_match
        if match.url_name in OPEN_URL_NAMES or request.path.startswith("/public/"):
            return None
        if requires_two_factor(request.user):
            enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
        elif _has_authenticator(request):
            enrolled = True
        else:
            return None
        target = "two_factor_verify" if enrolled else "two_factor_enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class IdleTimeoutMiddleware:
    """Ends a signed-in session after KEHILA_IDLE_TIMEOUT_MINUTES without a request: a municipal computer
    left open in a shared office must not keep residents' details on screen for the next person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.KEHILA_IDLE_TIMEOUT_MINUTES * 60
        if timeout <= 0 or SESSION_KEY not in request.session:
            return self.get_response(request)
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > timeout:
            logout(request)
            query = {"idle": "1"}
            if request.method == "GET":
                query["next"] = request.get_full_path()
            return redirect(f"{reverse('login')}?{urlencode(query)}")
        if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def lockout_response(request, original_response=None, credentials=None):
    """axes' answer to a locked-out login: the login page again, saying why, with 429."""
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "locked_out": True,
            "lockout_minutes": _lockout_minutes(),
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        status=429,
    )


def _lockout_minutes() -> int | None:
    cooloff = settings.AXES_COOLOFF_TIME
    return int(cooloff.total_seconds() // 60) if cooloff else None


@transaction.atomic
def two_factor_enrol(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm `device` with a first code from the app and issue fresh recovery codes (returned to be
    shown once: only the person sees them, and any earlier codes stop working). None if the code is
    wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    log_action(actor=user, action="two_factor_enrolled", obj=user)
    return codes


@transaction.atomic
def two_factor_verify(*, user, token: str):
    """The device that accepts `token` (the app's code, or a recovery code, which is then used up), or
    None. django_otp's TOTP device refuses a code at or before the last one it accepted, so each code
    works once."""
    token = token.strip().replace(" ", "")
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                if model is StaticDevice:
                    log_action(actor=user, action="two_factor_recovery_code_used", obj=user)
                return device
    return None


@transaction.atomic
def two_factor_remove(*, user) -> None:
    """Forget the person's authenticator and recovery codes (a new phone, or turning it off where it is
    optional). Only a verified session may ask; a required role is sent to enrol again at once."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log_action(actor=user, action="two_factor_removed", obj=user)


def session_verify(request, device) -> None:
    otp_login(request, device)
    request.session.pop(NO_DEVICE_KEY, None)


def totp_device_for_enrolment(user) -> TOTPDevice:
    """The unconfirmed device the person is enrolling, kept while they fetch their phone."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(data: str) -> str:
    """The provisioning URL as an inline SVG: no image request, no third-party QR service."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


# Reset e-mails per hour: per address (nobody's inbox is flooded through the form) and per client address
# (nobody probes or floods many inboxes from one machine). Over the limit the form answers as always and
# sends nothing, so the limit itself tells nobody whether the address has an account.
RESET_LIMIT_PER_EMAIL = 3
RESET_LIMIT_PER_CLIENT = 20
RESET_WINDOW_SECONDS = 3600


def rate_limited(key: str, *, limit: int, window: int) -> bool:
    """Count one more event under `key`; True once the window holds more than `limit`. `add` then `incr`,
    so that two requests at once cannot both start the window at one."""
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > limit


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the e-mail sent the portal's way (kehila.mail, in the user's language
    and once). The key carries a hash of the token, never the token: the key is stored in a table an
    administrator can read, and the token is a password. Django's view answers with the same page
    whether or not an account has the address; the rate limit below keeps it so."""

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"].strip().lower()
        by_email = hashlib.sha256(email.encode()).hexdigest()[:32]
        client = (client_ip(request) if request is not None else None) or "unknown"
        # Both counted on every request, so that one limit being reached does not spare the other.
        over_email = rate_limited(
            f"kehila:reset:email:{by_email}",
            limit=RESET_LIMIT_PER_EMAIL,
            window=RESET_WINDOW_SECONDS,
        )
        over_client = rate_limited(
            f"kehila:reset:client:{client}",
            limit=RESET_LIMIT_PER_CLIENT,
            window=RESET_WINDOW_SECONDS,
        )
        if over_email or over_client:
            log_action(
                actor=None,
                action="password_reset_rate_limited",
                data={"by": "email" if over_email else "client", "from": client},
            )
            return
        return super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        digest = hashlib.sha256(context["token"].encode()).hexdigest()[:32]
        mail.send_once(
            key=f"password-reset:{context['uid']}:{digest}",
            to=to_email,
            subject_template=subject_template_name,
            body_template=email_template_name,
            context={key: context[key] for key in ("email", "domain", "site_name", "uid", "token")}
            | {"protocol": context["protocol"]},
            # The account's own language if the person chose one, else the page they asked from.
            language=language_of(context["user"], fallback=(get_language() or "he")[:2]),
        )
