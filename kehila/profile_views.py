"""My account: a person's own profile, e-mail address, language, notifications and sessions.

Every page acts on the signed-in person alone (request.user): no URL names another user, so nobody can
reach anyone else's account through these pages.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import profile as services
from .models import Profile
from .signals import account_calendar_feeds

DAYS_CHOICES = [(n, n) for n in (1, 2, 3, 5, 7, 14)]


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Profile.Language.choices,
        help_text=_("The language of the portal's pages and of the e-mails you get."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Optional. Only you see it; it is never exported."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )

    def clean_phone(self):
        return services.normalise_phone(self.cleaned_data["phone"])


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )


class NotificationsForm(forms.Form):
    meeting_reminders = forms.BooleanField(label=_("Meeting reminders"), required=False)
    reminder_days_before = forms.TypedChoiceField(
        label=_("Remind me this many days before a meeting"), choices=DAYS_CHOICES, coerce=int
    )
    digests = forms.BooleanField(label=_("Weekly digest"), required=False)
    action_item_reminders = forms.BooleanField(label=_("Action item reminders"), required=False)


def _initial(user, profile: Profile) -> dict:
    return {
        "profile": {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": profile.language,
            "phone": profile.phone,
        },
        "notifications": {
            "meeting_reminders": profile.meeting_reminders,
            "reminder_days_before": profile.reminder_days_before,
            "digests": profile.digests,
            "action_item_reminders": profile.action_item_reminders,
        },
    }


def _feeds(user) -> list[dict]:
    feeds = []
    for _receiver, answer in account_calendar_feeds.send(sender=None, user=user):
        feeds.extend(answer or [])
    return feeds


def _account_page(request, *, status=200, **forms_given):
    user = request.user
    profile = services.profile_of(user)
    initial = _initial(user, profile)
    sessions = services.sessions_of(user)
    context = {
        "profile_form": forms_given.get("profile_form") or ProfileForm(initial=initial["profile"]),
        "email_form": forms_given.get("email_form") or EmailForm(),
        "notifications_form": forms_given.get("notifications_form")
        or NotificationsForm(initial=initial["notifications"]),
        "sessions": sessions,
        "this_session": request.session.session_key,
        "other_sessions": sum(1 for s in sessions if s["key"] != request.session.session_key),
        "feeds": _feeds(user),
        "enrolled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "recovery_left": StaticToken.objects.filter(device__user=user).count(),
    }
    return render(request, "registration/account.html", context, status=status)


@login_required
def account(request):
    return _account_page(request)


@require_POST
@login_required
def account_profile(request):
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _account_page(request, status=400, profile_form=form)
    data = form.cleaned_data
    try:
        services.profile_update(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            phone=data["phone"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _account_page(request, status=400, profile_form=form)
    language = services.language_of(request.user)
    # The choice takes effect now, for this answer and every page after it (the cookie).
    translation.activate(language)
    messages.success(request, gettext("Your profile is saved."))
    response = redirect("account")
    services.set_language_cookie(response, language)
    return response


@require_POST
@login_required
def account_notifications(request):
    form = NotificationsForm(request.POST)
    if not form.is_valid():
        return _account_page(request, status=400, notifications_form=form)
    services.notifications_update(user=request.user, **form.cleaned_data)
    messages.success(request, gettext("Your e-mail choices are saved."))
    return redirect("account")


@require_POST
@login_required
def account_email_change(request):
    form = EmailForm(request.POST)
    if not form.is_valid():
        return _account_page(request, status=400, email_form=form)
    new_email = form.cleaned_data["email"]
    if new_email.lower() == (request.user.email or "").lower():
        form.add_error("email", gettext("This is already your address."))
        return _account_page(request, status=400, email_form=form)
    services.email_change_request(user=request.user, new_email=new_email)
    # The same sentence whatever the address: the page tells nobody which addresses have accounts.
    messages.info(
        request,
        gettext(
            "We sent a link to %(email)s. Your address changes when you open it, signed in as you."
        )
        % {"email": new_email},
    )
    return redirect("account")


@login_required
def account_email_confirm(request, token):
    """GET shows what the link would do; only the POST changes the address (a GET never writes: mail
    scanners open links)."""
    try:
        if request.method == "POST":
            new_email = services.email_change_confirm(user=request.user, token=token)
            messages.success(
                request, gettext("Your e-mail address is now %(email)s.") % {"email": new_email}
            )
            return redirect("account")
        new_email = services.email_change_read(user=request.user, token=token)
    except services.EmailChangeRefused as refusal:
        return render(
            request,
            "registration/account_email_confirm.html",
            {"refusal": refusal.reason},
            status=400,
        )
    return render(
        request, "registration/account_email_confirm.html", {"new_email": new_email, "token": token}
    )


@require_POST
@login_required
def account_sessions_end(request):
    ended = services.sessions_end_others(user=request.user, keep_key=request.session.session_key)
    messages.success(
        request,
        translation.ngettext(
            "%(count)d other session was signed out.",
            "%(count)d other sessions were signed out.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("account")


@require_POST
@login_required
def account_calendar_revoke(request):
    services.calendar_feeds_revoke(user=request.user)
    messages.success(request, gettext("Your calendar addresses were revoked."))
    return redirect("account")
