"""The pages of invitations: resending and withdrawing one (the list and the invite form are
the team page's, kehila.people_views), the invitee's page behind the e-mailed link (no login needed),
and HQ's form that opens a municipality. Every write is a service of kehila.invitations."""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import invitations
from .forms import CalendarForm, add_service_errors
from .models import LANGUAGE_CHOICES, Invitation, Municipality, Role, Track
from .net import client_ip
from .pausing import refuse_if_paused, refuses_while_paused
from .permissions import require, role_needs_track, role_requires_second_factor
from .tenancy import access, municipality_view

# --- a municipality's invitations ---------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    track = forms.ChoiceField(
        label=_("Track"),
        choices=[("", "—"), *Track.choices],
        required=False,
        help_text=_("For a track lead: the track they lead."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]

    def clean(self):
        data = super().clean()
        if role_needs_track(data.get("role", "")) and not data.get("track"):
            self.add_error("track", gettext("Choose the track the track lead leads."))
        return data


def _invitation_rows(municipality: Municipality):
    return list(
        Invitation.objects.open()
        .filter(municipality=municipality)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def _act(request, invitation_id: int, service, done: str):
    # Looked up before the method is checked: another municipality's invitation is 404 whatever the verb.
    invitation = access(request, Invitation.objects.all(), "invite_people", pk=invitation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        service(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("kehila:people", slug=request.municipality.slug)


@municipality_view("invite_people")
def invitation_resend(request, invitation_id: int):
    return _act(
        request,
        invitation_id,
        invitations.resend,
        gettext("The invitation to %(email)s was sent again."),
    )


@municipality_view("invite_people")
def invitation_revoke(request, invitation_id: int):
    return _act(
        request,
        invitation_id,
        invitations.revoke,
        gettext("The invitation to %(email)s was withdrawn."),
    )


# --- the invitee's page -------------------------------------------------------------------------------


class NewAccountForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data["password1"]:
            self.add_error("password2", gettext("The two passwords differ."))
        return data


class RequestLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The address the invitation was sent to."),
    )


PROBLEMS = {
    "tampered": (
        pgettext_lazy("invitation link", "This link is not valid"),
        _(
            "The link is incomplete or was changed. Open it again from the e-mail, or copy all of it "
            "into the browser."
        ),
        400,
    ),
    "superseded": (
        pgettext_lazy("invitation link", "A newer invitation was sent"),
        _("This invitation was sent to you again: use the link in the newest e-mail."),
        410,
    ),
    "accepted": (
        pgettext_lazy("invitation link", "This invitation was already used"),
        _("Each invitation link works once. If it was you who joined, log in with your account."),
        410,
    ),
    "revoked": (
        pgettext_lazy("invitation link", "This invitation was withdrawn"),
        _("The person who invited you withdrew the invitation."),
        410,
    ),
    "expired": (
        pgettext_lazy("invitation link", "This invitation has expired"),
        _("Invitation links work for a limited time."),
        410,
    ),
}


def _problem_page(request, signed: str, problem: str, *, form=None):
    title, text, status = PROBLEMS[problem]
    return render(
        request,
        "kehila/invitations/link_problem.html",
        {
            "problem": problem,
            "title": title,
            "text": text,
            "signed": signed,
            "form": form or RequestLinkForm(),
        },
        status=status if form is None or not form.errors else 400,
    )


def _after_joining(invitation: Invitation, user) -> str:
    dashboard = invitation.municipality.get_absolute_url()
    if role_requires_second_factor(invitation.role):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return f"{reverse('two_factor_enrol')}?{urlencode({'next': dashboard})}"
    return dashboard


@refuses_while_paused
def invitation_accept(request, signed: str):
    """GET shows what the invitation is and writes nothing; POST joins (with the signed-in account, or
    with a new one made from the form)."""
    check = invitations.invitation_from_link(signed)
    if check.problem:
        return _problem_page(request, signed, check.problem)
    invitation = check.invitation
    mode = _accept_mode(request.user, invitation)
    form = NewAccountForm(request.POST or None) if mode == "create" else None
    if request.method != "POST":
        return _accept_page(request, invitation, mode, form)
    # Joining adds a role to the municipality: a write, refused while HQ pauses it.
    refuse_if_paused(invitation.municipality)
    if mode == "login":
        return redirect(_login_url(request))
    if mode == "join":
        return _accept_join(request, invitation)
    if mode == "create":
        return _accept_create(request, invitation, form)
    errors = [gettext("This invitation is for another e-mail address.")]
    return _accept_page(request, invitation, mode, form, errors=errors)


def _accept_mode(user, invitation: Invitation) -> str:
    """Signed in: "join" as the invitee, "other" as someone else. Signed out: "login" when the invitee
    has an account, else "create"."""
    if user.is_authenticated:
        return "join" if invitations.normalize_email(user.email) == invitation.email else "other"
    return "login" if invitations.account_exists(invitation.email) else "create"


def _accept_join(request, invitation: Invitation):
    try:
        invitations.accept(invitation=invitation, user=request.user)
    except ValidationError as error:
        return _accept_page(request, invitation, "join", None, errors=error.messages)
    return _joined(request, invitation, request.user)


def _accept_create(request, invitation: Invitation, form: NewAccountForm):
    if not form.is_valid():
        return _accept_page(request, invitation, "create", form)
    try:
        user = invitations.accept_with_new_account(
            invitation=invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
    except ValidationError as error:
        if getattr(error, "code", None) is None and not hasattr(error, "error_dict"):
            # The password validators' list: it belongs beside the password.
            form.add_error("password1", error)
        else:
            add_service_errors(form, error)
        return _accept_page(request, invitation, "create", form)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return _joined(request, invitation, user)


def _joined(request, invitation: Invitation, user):
    messages.success(request, gettext("You joined %(name)s.") % _names(invitation))
    return redirect(_after_joining(invitation, user))


def _login_url(request) -> str:
    return f"{reverse('login')}?{urlencode({'next': request.path})}"


def _accept_page(request, invitation: Invitation, mode: str, form, *, errors=()):
    inviter = invitation.invited_by
    return render(
        request,
        "kehila/invitations/accept.html",
        {
            "invitation": invitation,
            "mode": mode,
            "form": form,
            "errors": list(errors),
            "municipality_name": invitations.municipality_name(
                invitation.municipality, get_language() or "he"
            ),
            "inviter_name": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "login_url": _login_url(request),
        },
        status=400 if request.method == "POST" else 200,
    )


def _names(invitation: Invitation) -> dict:
    return {"name": str(invitation.municipality)}


@require_POST
@refuses_while_paused
def invitation_request(request, signed: str):
    """Ask for a new link. The answer is the same whether or not anything matched (only the holder of
    a link that is ours learns that its municipality is paused, which its own pages say anyway)."""
    check = invitations.invitation_from_link(signed)
    if check.invitation is not None:
        refuse_if_paused(check.invitation.municipality)
    form = RequestLinkForm(request.POST)
    if not form.is_valid():
        return _problem_page(request, signed, check.problem or "tampered", form=form)
    invitations.request_new_link(
        signed=signed, email=form.cleaned_data["email"], client=client_ip(request) or "unknown"
    )
    return render(request, "kehila/invitations/request_sent.html")


# --- HQ opens a municipality --------------------------------------------------------------------------


class MunicipalityOpenForm(forms.Form):
    name = forms.CharField(label=_("Name in Hebrew"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    name_ar = forms.CharField(label=_("Name in Arabic"), max_length=200, required=False)
    slug = forms.SlugField(
        label=_("Address name"),
        max_length=50,
        help_text=_(
            "Latin letters, digits and hyphens: it is part of the address of every page of the "
            "municipality."
        ),
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The language of e-mails to people who have not chosen one."),
    )
    # The timeline calendar's own field: the same choices, labels and explanation.
    communities = copy.deepcopy(CalendarForm.base_fields["communities"])
    start_date = forms.DateField(
        label=_("Program start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    manager_email = forms.EmailField(
        label=_("Program manager's e-mail"),
        help_text=_("They receive an invitation to set a password and join as the manager."),
    )

    def clean_slug(self):
        return self.cleaned_data["slug"].lower()


@login_required
def hq_municipality_new(request):
    require(request.user, "open_municipality")
    form = MunicipalityOpenForm(
        request.POST or None, initial={"default_language": "he", "communities": ["jewish"]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            municipality, invitation = invitations.municipality_open(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                gettext("%(name)s is open. An invitation was sent to %(email)s.")
                % {"name": str(municipality), "email": invitation.email},
            )
            return redirect("kehila:people", slug=municipality.slug)
    return render(
        request,
        "kehila/invitations/municipality_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
