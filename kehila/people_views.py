"""The team page: a municipality's people with accounts, its pending invitations and the invite
form, and the manager's changes of role and removals of access. Every write is a service of
kehila.people or kehila.invitations; a refusal re-renders the page with its reason and changes nothing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import invitations, people
from .forms import add_service_errors
from .invitation_views import InviteForm, _invitation_rows
from .models import Membership, Role, Track
from .permissions import can, roles_assignable_by, roles_invitable_by
from .tenancy import access, municipality_view


class RoleForm(forms.Form):
    """One row's change: the roles offered are those the actor may give, so HQ is never one."""

    role = forms.ChoiceField(label=_("Role"))
    track = forms.ChoiceField(label=_("Track"), choices=[("", "—"), *Track.choices], required=False)

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]
        self.fields["role"].error_messages["invalid_choice"] = gettext(
            "You may not give this role here."
        )


def _invite_form(request, data=None) -> InviteForm | None:
    municipality = request.municipality
    roles = roles_invitable_by(request.user, municipality)
    if not roles:
        return None
    initial = {"language": municipality.default_language}
    # "Invite to an account" on a committee's member list opens this page with the address and the role.
    if request.method == "GET":
        if request.GET.get("email"):
            initial["email"] = request.GET["email"][:254]
        if request.GET.get("role") in roles:
            initial["role"] = request.GET["role"]
    return InviteForm(data, roles=roles, initial=initial)


def _page(request, *, form=None, errors=(), status=200):
    municipality = request.municipality
    user = request.user
    assignable = roles_assignable_by(user, municipality)
    labels = dict(Role.choices)
    return render(
        request,
        "kehila/people/team.html",
        {
            "people": people.people_of(municipality),
            "rows": _invitation_rows(municipality),
            "now": timezone.now(),
            "form": form if form is not None else _invite_form(request),
            "may_invite": can(user, "invite_people", municipality),
            "may_manage": can(user, "manage_people", municipality),
            "roles": [(role, labels[role]) for role in assignable],
            "tracks": Track.choices,
            "errors": list(errors),
        },
        status=status,
    )


@municipality_view("view_people")
def team(request):
    if request.method == "POST":
        return _invite(request)
    return _page(request)


def _invite(request):
    municipality = request.municipality
    form = _invite_form(request, request.POST)
    if form is None:
        # The page is open to this user but inviting is not (the rule table may part the two).
        return _page(request, errors=[gettext("You may not invite people here.")], status=403)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitations.invite(
                actor=request.user,
                municipality=municipality,
                email=data["email"],
                role=data["role"],
                track=data["track"],
                language=data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                gettext("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("kehila:people", slug=municipality.slug)
    return _page(request, form=form, status=400)


def _name(membership: Membership) -> str:
    user = membership.user
    return user.get_full_name() or user.email or user.get_username()


def _after_own_change(request):
    """Where the actor goes once their change is saved: the team page, unless it was their own access
    they changed away."""
    municipality = request.municipality
    if can(request.user, "view_people", municipality):
        return redirect("kehila:people", slug=municipality.slug)
    if can(request.user, "view_program", municipality):
        return redirect("kehila:dashboard", slug=municipality.slug)
    return redirect("home")


@municipality_view("manage_people")
def membership_role(request, membership_id: int):
    # Looked up before the method is checked: another municipality's (or HQ's) membership is 404.
    membership = access(
        request, Membership.objects.select_related("user"), "manage_people", pk=membership_id
    )
    if request.method != "POST":
        return _to_the_page(request)
    form = RoleForm(request.POST, roles=roles_assignable_by(request.user, request.municipality))
    if not form.is_valid():
        return _page(request, errors=_form_errors(form), status=400)
    previous = (membership.role, membership.track)
    try:
        membership = people.membership_change_role(
            actor=request.user,
            membership=membership,
            role=form.cleaned_data["role"],
            track=form.cleaned_data["track"],
        )
    except ValidationError as error:
        return _page(request, errors=error.messages, status=400)
    if (membership.role, membership.track) == previous:
        messages.info(
            request,
            gettext("%(name)s already has this role: nothing changed.")
            % {"name": _name(membership)},
        )
    else:
        role = membership.get_role_display()
        if membership.track:
            role = f"{role} · {membership.get_track_display()}"
        messages.success(
            request,
            gettext("%(name)s is now: %(role)s.") % {"name": _name(membership), "role": role},
        )
    return _after_own_change(request)


@municipality_view("manage_people")
def membership_remove(request, membership_id: int):
    municipality = request.municipality
    if (
        request.method == "POST"
        and not Membership.objects.filter(municipality=municipality, pk=membership_id).exists()
        and people.was_removed(municipality, membership_id)
    ):
        # The same click arriving twice: the first one removed it.
        messages.info(request, gettext("This access was already removed."))
        return _after_own_change(request)
    membership = access(
        request, Membership.objects.select_related("user"), "manage_people", pk=membership_id
    )
    if request.method != "POST":
        return _to_the_page(request)
    try:
        people.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        return _page(request, errors=error.messages, status=400)
    messages.success(
        request,
        gettext("%(name)s no longer has access to %(municipality)s; their account stays.")
        % {"name": _name(membership), "municipality": str(municipality)},
    )
    return _after_own_change(request)


def _to_the_page(request):
    """A GET of a change's address (a refusal's page reloaded, or opened in another language) shows
    the team page: the change itself is only ever a POST."""
    return redirect("kehila:people", slug=request.municipality.slug)


def _form_errors(form: forms.Form) -> list[str]:
    return [message for messages_ in form.errors.values() for message in messages_]


@municipality_view("invite_people")
def invitations_moved(request):
    """The invitations' own page became part of the team page: its address (in e-mails already sent,
    in bookmarks) leads there, and a form still sent to it is handled as the team page's."""
    if request.method == "POST":
        return _invite(request)
    return redirect("kehila:people", slug=request.municipality.slug)
