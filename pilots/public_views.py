"""Public pilot pages (no login): the hackathon's page, registration, the initiative form and the lead's
personal link. None of them shows anything about another person's registration or submission.

While HQ pauses the municipality every form here is refused before it is read (kehila.pausing), and the
pages show the notice in the form's place."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehila.forms import add_service_errors
from kehila.pausing import public_paused_notice, refuse_if_paused, refuses_while_paused

from . import links, selectors, services
from .forms import InitiativeForm, ProgressForm, RegistrationForm
from .models import Hackathon
from .spam import rate_limited


def _public_hackathon(hackathon_id):
    return get_object_or_404(Hackathon.objects.select_related("municipality"), pk=hackathon_id)


def _too_many(request, hackathon):
    return render(request, "pilots/public/too_many.html", {"hackathon": hackathon}, status=429)


def hackathon(request, hackathon_id):
    hackathon = _public_hackathon(hackathon_id)
    context = {
        "hackathon": hackathon,
        "challenges": selectors.challenges_for(hackathon.municipality),
        "registration_open": hackathon.registration_is_open(),
        "submissions_open": hackathon.submissions_are_open(),
    }
    return render(request, "pilots/public/hackathon.html", context)


@refuses_while_paused
def register(request, hackathon_id):
    hackathon = _public_hackathon(hackathon_id)
    if not hackathon.registration_is_open():
        return render(
            request,
            "pilots/public/closed.html",
            {"hackathon": hackathon, "what": "registration"},
            status=410,
        )
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        refuse_if_paused(hackathon.municipality)
        if form.is_spam():
            return redirect("pilots_public:thanks", hackathon_id=hackathon.pk)
        if rate_limited(request, "register"):
            return _too_many(request, hackathon)
        if form.is_valid():
            data = {**form.cleaned_data, "language": translation.get_language() or "he"}
            try:
                services.participant_register(hackathon=hackathon, data=data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("pilots_public:thanks", hackathon_id=hackathon.pk)
    return render(
        request,
        "pilots/public/register.html",
        {
            "hackathon": hackathon,
            "form": form,
            "public_paused": public_paused_notice(hackathon.municipality),
        },
    )


@refuses_while_paused
def submit(request, hackathon_id):
    hackathon = _public_hackathon(hackathon_id)
    if not hackathon.submissions_are_open():
        return render(
            request,
            "pilots/public/closed.html",
            {"hackathon": hackathon, "what": "submission"},
            status=410,
        )
    form = InitiativeForm(request.POST or None, municipality=hackathon.municipality)
    if request.method == "POST":
        refuse_if_paused(hackathon.municipality)
        if form.is_spam():
            return redirect("pilots_public:thanks", hackathon_id=hackathon.pk)
        if rate_limited(request, "submit"):
            return _too_many(request, hackathon)
        if form.is_valid():
            try:
                services.initiative_submit(
                    hackathon=hackathon,
                    data=form.cleaned_data,
                    language=translation.get_language() or "he",
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("pilots_public:thanks", hackathon_id=hackathon.pk)
    return render(
        request,
        "pilots/public/submit.html",
        {
            "hackathon": hackathon,
            "form": form,
            "public_paused": public_paused_notice(hackathon.municipality),
        },
    )


def thanks(request, hackathon_id):
    """The same page whatever was (or was not) saved: it confirms nothing about anyone's submission."""
    return render(
        request, "pilots/public/thanks.html", {"hackathon": _public_hackathon(hackathon_id)}
    )


def _from_token(request, token):
    """(initiative, None) or (None, response): a clear page for a tampered or expired link."""
    try:
        initiative_id = links.initiative_id_from_token(token)
    except signing.SignatureExpired:
        return None, render(request, "pilots/public/bad_link.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return None, render(request, "pilots/public/bad_link.html", {"expired": False}, status=400)
    initiative = selectors.initiative_for_link(initiative_id)
    if initiative is None:
        return None, render(request, "pilots/public/bad_link.html", {"expired": False}, status=400)
    return initiative, None


@refuses_while_paused
def initiative(request, token):
    """The lead's personal link: the initiative, editable until the submission deadline."""
    initiative, failure = _from_token(request, token)
    if failure:
        return failure
    hackathon = initiative.hackathon
    if request.method != "POST":
        form = InitiativeForm(instance=initiative, municipality=hackathon.municipality)
        editable = hackathon.submissions_are_open()
        return _lead_page(request, hackathon, initiative, token, form, editable=editable)
    refuse_if_paused(hackathon.municipality)
    try:
        services.refuse_after_deadline(hackathon)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        form = InitiativeForm(instance=initiative, municipality=hackathon.municipality)
        return _lead_page(request, hackathon, initiative, token, form, editable=False, status=410)
    if rate_limited(request, "edit", limit=20):
        return _too_many(request, hackathon)
    form = InitiativeForm(request.POST, instance=initiative, municipality=hackathon.municipality)
    if _lead_edit(form, initiative):
        messages.success(request, _("Your initiative was saved."))
        return redirect("pilots_public:initiative", token=token)
    # Validating wrote the refused values onto the instance: the page shows what is saved. (The
    # refresh drops the cached hackathon, so the page is given the one already loaded.)
    initiative.refresh_from_db()
    return _lead_page(request, hackathon, initiative, token, form, editable=True, status=400)


def _lead_edit(form, initiative) -> bool:
    """True once the lead's changes are saved; otherwise the form says why not."""
    if not form.is_valid():
        return False
    try:
        services.initiative_update_by_lead(initiative=initiative, data=form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _lead_page(request, hackathon, initiative, token, form, *, editable, status=200):
    context = {
        "initiative": initiative,
        "hackathon": hackathon,
        "form": form,
        "editable": editable,
        "may_report": initiative.reports_progress,
        "progress_form": ProgressForm(),
        "reports": initiative.progress_reports.all(),
        "token": token,
        "public_paused": public_paused_notice(hackathon.municipality),
    }
    return render(request, "pilots/public/initiative.html", context, status=status)


@require_POST
@refuses_while_paused
def progress(request, token):
    initiative, failure = _from_token(request, token)
    if failure:
        return failure
    refuse_if_paused(initiative.hackathon.municipality)
    form = ProgressForm(request.POST)
    if rate_limited(request, "progress", limit=20):
        return _too_many(request, initiative.hackathon)
    if form.is_valid():
        try:
            services.progress_report(initiative=initiative, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Thank you: your progress report was sent to the program team.")
            )
    else:
        messages.error(request, _("Write what has happened before sending."))
    return redirect("pilots_public:initiative", token=token)
