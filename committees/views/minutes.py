"""A meeting's minutes: the gate before them, writing them, circulating, correcting and approving
them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kehila import gates
from kehila.forms import add_service_errors
from kehila.permissions import can
from kehila.tenancy import get_for_municipality, municipality_view
from partners.models import Person

from .. import services
from ..forms import (
    ActionItemFormSet,
    CorrectionForm,
    MinutesForm,
    people_search_url,
)
from ..models import (
    Meeting,
    Minutes,
)


def _minutes_context(request, meeting):
    """The minutes gate and lifecycle as the meeting page shows them: what is missing, who may open the
    gate, the state, the corrections and the exceptions written on the meeting or its minutes."""
    minutes = getattr(meeting, "minutes", None)
    record_missing = services.minutes_record_missing(meeting)
    record_override = (
        gates.override_for(services.MINUTES_RECORD_GATE, meeting) if record_missing else None
    )
    context = {
        "record_missing": [] if record_override else record_missing,
        "may_override": can(request.user, "override_gate", request.municipality),
        "overrides": gates.overrides_on(meeting),
        "corrections": [],
        "approve_missing": [],
        "may_correct": False,
    }
    if minutes is not None:
        context["overrides"] += gates.overrides_on(minutes)
        context["corrections"] = list(minutes.corrections.all())
        if minutes.state == Minutes.State.CIRCULATED:
            approve_missing = services.minutes_approve_missing(minutes)
            if approve_missing and gates.override_for(services.MINUTES_APPROVE_GATE, minutes):
                approve_missing = []
            context["approve_missing"] = approve_missing
            context["corrections_open"] = minutes.corrections_open(timezone.localdate())
            context["may_correct"] = context["corrections_open"] and services.may_correct(
                minutes, user=request.user
            )
            context["correction_form"] = CorrectionForm()
    return context


@municipality_view("take_minutes")
def meeting_minutes(request, meeting_id):
    meeting = get_for_municipality(
        Meeting.objects.select_related("committee", "minutes"), request.municipality, pk=meeting_id
    )
    existing = getattr(meeting, "minutes", None)
    gate = _minutes_context(request, meeting)
    if gate["record_missing"] or (existing and existing.state == Minutes.State.APPROVED):
        # Nothing to write yet (or any more): the page says why and, to the manager, how to open it.
        return render(
            request,
            "committees/minutes_form.html",
            {"meeting": meeting, "form": None, "minutes": existing, **gate},
        )
    form = MinutesForm(
        request.POST or None, initial=MinutesForm.initial_for(existing, request.user)
    )
    formset = _action_items_formset(request)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.minutes_save(
                meeting=meeting,
                action_items=formset.action_items(),
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect(
                "committees:meeting", slug=request.municipality.slug, meeting_id=meeting.pk
            )
    return render(
        request,
        "committees/minutes_form.html",
        {"meeting": meeting, "form": form, "formset": formset, "minutes": existing},
    )


def _action_items_formset(request):
    """The new action items' rows, their owners picked among the municipality's people."""
    return ActionItemFormSet(
        request.POST or None,
        prefix="actions",
        form_kwargs={
            "people": Person.objects.filter(municipality=request.municipality),
            "search_url": people_search_url(request.municipality),
        },
    )


def _back_to_meeting(request, meeting_id):
    return redirect(
        reverse(
            "committees:meeting",
            kwargs={"slug": request.municipality.slug, "meeting_id": meeting_id},
        )
        + "#minutes-heading"
    )


def _minutes_of(request, meeting_id) -> Minutes:
    return get_for_municipality(
        Minutes.objects.select_related("meeting__committee", "meeting__municipality"),
        request.municipality,
        meeting_id=meeting_id,
    )


@municipality_view("take_minutes")
def minutes_circulate(request, meeting_id):
    # The meeting first (404 for another municipality's), then the method, then its minutes.
    get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    minutes = _minutes_of(request, meeting_id)
    try:
        sent = services.minutes_circulate(minutes=minutes, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The minutes were circulated to the attendees (%(count)s e-mails).")
            % {"count": sent},
        )
    return _back_to_meeting(request, meeting_id)


@municipality_view("take_minutes")
def minutes_approve(request, meeting_id):
    # The meeting first (404 for another municipality's), then the method, then its minutes.
    get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    minutes = _minutes_of(request, meeting_id)
    try:
        services.minutes_approve(minutes=minutes, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes were approved and are now locked."))
    return _back_to_meeting(request, meeting_id)


@municipality_view("view_committees")
def minutes_correct(request, meeting_id):
    # The meeting first (404 for another municipality's), then the method, then its minutes.
    get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    minutes = _minutes_of(request, meeting_id)
    if not services.may_correct(minutes, user=request.user):
        raise PermissionDenied
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_correct(
                minutes=minutes, text=form.cleaned_data["text"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your correction was sent."))
    else:
        messages.error(request, _("Write the correction."))
    return _back_to_meeting(request, meeting_id)


@municipality_view("override_gate")
def minutes_gate_override(request, meeting_id, gate):
    """The manager or HQ opens the minutes gate for this meeting (or the approval for its minutes)."""
    meeting = get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if gate == services.MINUTES_RECORD_GATE:
        obj = meeting
    elif gate == services.MINUTES_APPROVE_GATE:
        obj = _minutes_of(request, meeting_id)
    else:
        raise Http404
    try:
        gates.gate_override(
            actor=request.user, gate=gate, obj=obj, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The gate was opened; the reason is shown on the meeting."))
    return _back_to_meeting(request, meeting_id)
