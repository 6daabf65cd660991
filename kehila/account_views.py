"""A person's own sign-in pages: enrolling an authenticator, entering a code, the account's security page,
and HQ's list of locked-out logins."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import accounts
from .audit import log_action
from .net import client_ip
from .permissions import can


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("one-time password", "Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return settings.LOGIN_REDIRECT_URL


@login_required
def two_factor_enrol(request):
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("two_factor_verify")
    device = accounts.totp_device_for_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = accounts.two_factor_enrol(
            user=request.user, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            device.refresh_from_db()
            accounts.session_verify(request, device)
            # Shown in this answer and nowhere else: they are not kept anywhere the person can reopen.
            return render(
                request,
                "registration/two_factor_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", _("That code is not right. Enter the code the app shows now."))
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr": accounts.qr_svg(device.config_url),
            "secret": _spaced(device.bin_key),
            "required": accounts.requires_two_factor(request.user),
            "next": request.GET.get("next", request.POST.get("next", "")),
        },
        status=400 if form.errors else 200,
    )


def _spaced(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("two_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = accounts.two_factor_verify(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            accounts.session_verify(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right, or it was already used."))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def two_factor_remove(request):
    if not request.user.is_verified():
        # Reached only by a session without two-factor: nothing of the kind to remove.
        raise PermissionDenied
    accounts.two_factor_remove(user=request.user)
    return redirect("account_security")


@login_required
def account_security(request):
    enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    recovery_left = StaticToken.objects.filter(device__user=request.user).count()
    return render(
        request,
        "registration/account_security.html",
        {
            "enrolled": enrolled,
            "recovery_left": recovery_left,
            "required": accounts.requires_two_factor(request.user),
        },
    )


def _locked(field: str):
    """Usernames or addresses whose failures in the current window reach the limit (axes adds up a
    username's failures across addresses, and an address's across usernames)."""
    attempts = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    rows = (
        attempts.exclude(**{field: None})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")[:200]
    )
    return [{"value": row[field], "failures": row["failures"], "last": row["last"]} for row in rows]


@login_required
def hq_lockouts(request):
    if not can(request.user, "view_hq"):
        raise PermissionDenied
    return render(
        request,
        "kehila/hq_lockouts.html",
        {
            "tables": [
                (_("Locked usernames"), "username", _locked("username")),
                (_("Locked addresses"), "ip_address", _locked("ip_address")),
            ]
        },
    )


@require_POST
@login_required
def hq_lockout_lift(request):
    if not can(request.user, "view_hq"):
        raise PermissionDenied
    username = request.POST.get("username", "").strip()
    address = request.POST.get("ip_address", "").strip()
    if not username and not address:
        return redirect("hq_lockouts")
    with transaction.atomic():
        if username:
            axes_reset(username=username)
        if address:
            axes_reset(ip=address)
        log_action(
            actor=request.user,
            action="login_lockout_lifted",
            # Where HQ acted from, by the same address the lock itself counts.
            data={"username": username, "ip_address": address, "from": client_ip(request)},
        )
    return redirect("hq_lockouts")
