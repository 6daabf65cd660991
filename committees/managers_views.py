"""The all-managers meeting's pages: one page carries every step the guidance names, on
top of the committees' meeting (its agenda, invitations and RSVP pages stay the committees' own)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kehila.forms import add_service_errors
from kehila.permissions import can
from kehila.search import PICKER_LIMIT
from kehila.tenancy import get_for_municipality, municipality_view
from partners import selectors as partner_selectors

from . import managers_meeting as services
from . import selectors
from .managers_forms import (
    ChallengeForm,
    FollowUpForm,
    ManagersMeetingForm,
    NoteTakerForm,
    SummaryForm,
)
from .models import ManagersMeeting


def _get(request, managers_meeting_id) -> ManagersMeeting:
    return get_for_municipality(
        ManagersMeeting.objects.select_related(
            "municipality", "meeting__committee", "patron", "note_taker"
        ),
        request.municipality,
        pk=managers_meeting_id,
    )


def _page(request, managers_meeting, anchor=""):
    return redirect(
        reverse(
            "committees:managers_meeting",
            kwargs={
                "slug": request.municipality.slug,
                "managers_meeting_id": managers_meeting.pk,
            },
        )
        + anchor
    )


@municipality_view("manage_committees")
def managers_meeting_create(request):
    form = ManagersMeetingForm(request.POST or None, initial={"title": _("All-managers meeting")})
    if request.method == "POST" and form.is_valid():
        try:
            managers_meeting = services.managers_meeting_create(
                municipality=request.municipality, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The meeting was scheduled with the invite list from the mapping."),
            )
            return _page(request, managers_meeting)
    return render(request, "committees/managers_meeting_form.html", {"form": form})


def _render_page(request, managers_meeting, **forms):
    """The meeting's page; a refused note-taker or follow-up form is drawn bound, with its errors
    (a name typed without JavaScript that matched several offers them there: kehila.widgets)."""
    meeting = managers_meeting.meeting
    follow_ups = list(selectors.managers_meeting_follow_ups(managers_meeting))
    done, total = selectors.follow_up_progress(follow_ups)
    context = {
        "managers_meeting": managers_meeting,
        "meeting": meeting,
        "counts": selectors.rsvp_counts(meeting),
        "agenda": list(meeting.agenda_items.all()),
        "challenges": list(managers_meeting.challenges.all()),
        "follow_ups": follow_ups,
        "done": done,
        "total": total,
        "units_without_head": list(partner_selectors.units_without_head(request.municipality)),
        "record_refusal": services.record_refusal(managers_meeting),
        "may_take_minutes": can(request.user, "take_minutes", request.municipality),
        "note_taker_form": forms.get("note_taker_form")
        or NoteTakerForm(
            managers_meeting=managers_meeting, initial={"person": managers_meeting.note_taker_id}
        ),
        "challenge_form": ChallengeForm(),
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(managers_meeting=managers_meeting),
        "summary_form": SummaryForm(initial={"summary": managers_meeting.summary}),
    }
    return render(request, "committees/managers_meeting.html", context)


@municipality_view("manage_committees")
def managers_meeting_detail(request, managers_meeting_id):
    return _render_page(request, _get(request, managers_meeting_id))


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _report(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@municipality_view("manage_committees")
def managers_meeting_invite(request, managers_meeting_id):
    managers_meeting = _get(request, managers_meeting_id)
    if refused := _post_only(request):
        return refused
    try:
        sent = services.managers_meeting_invite(
            managers_meeting=managers_meeting, actor=request.user
        )
    except ValidationError as error:
        _report(request, error)
    else:
        if sent:
            messages.success(request, _("Invitations sent: %(count)d.") % {"count": sent})
        else:
            messages.info(request, _("Everyone was already invited; nothing new was sent."))
    return _page(request, managers_meeting, "#invitations-heading")


@municipality_view("manage_committees")
def managers_meeting_note_taker(request, managers_meeting_id):
    managers_meeting = _get(request, managers_meeting_id)
    if refused := _post_only(request):
        return refused
    form = NoteTakerForm(request.POST, managers_meeting=managers_meeting)
    if form.is_valid():
        services.managers_meeting_name_note_taker(
            managers_meeting=managers_meeting,
            person=form.cleaned_data["person"],
            actor=request.user,
        )
        messages.success(request, _("The note-taker was named."))
        return _page(request, managers_meeting, "#note-taker-heading")
    return _render_page(request, managers_meeting, note_taker_form=form)


@municipality_view("take_minutes")
def managers_meeting_challenge(request, managers_meeting_id):
    managers_meeting = _get(request, managers_meeting_id)
    if refused := _post_only(request):
        return refused
    form = ChallengeForm(request.POST)
    if form.is_valid():
        try:
            services.challenge_record(
                managers_meeting=managers_meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The challenge was recorded."))
    else:
        messages.error(request, _("Write the challenge."))
    return _page(request, managers_meeting, "#challenges-heading")


@municipality_view("take_minutes")
def managers_meeting_follow_up(request, managers_meeting_id):
    managers_meeting = _get(request, managers_meeting_id)
    if refused := _post_only(request):
        return refused
    form = FollowUpForm(request.POST, managers_meeting=managers_meeting)
    if not form.is_valid():
        return _render_page(request, managers_meeting, follow_up_form=form)
    try:
        services.follow_up_add(
            managers_meeting=managers_meeting, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The follow-up item was added."))
    return _page(request, managers_meeting, "#follow-ups-heading")


@municipality_view("manage_committees")
def managers_meeting_summary(request, managers_meeting_id):
    managers_meeting = _get(request, managers_meeting_id)
    if refused := _post_only(request):
        return refused
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            sent = services.summary_send(
                managers_meeting=managers_meeting,
                summary=form.cleaned_data["summary"],
                actor=request.user,
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(
                request, _("The summary was sent to %(count)d participants.") % {"count": sent}
            )
    else:
        messages.error(request, _("Write the summary first."))
    return _page(request, managers_meeting, "#summary-heading")


@municipality_view("manage_committees")
def managers_meeting_invitees_search(request, managers_meeting_id):
    """The note-taker's and the follow-up owners' picker (kehila.widgets): the meeting's invitees
    matching ?q=, 20 at a time, as [{value, text}]; names, titles and neighbourhoods, no contacts."""
    managers_meeting = _get(request, managers_meeting_id)
    people = selectors.meeting_people_matching(
        managers_meeting.meeting, request.GET.get("q", ""), limit=PICKER_LIMIT
    )
    return JsonResponse(
        [
            {
                "value": str(p["id"]),
                "text": " · ".join(
                    part for part in (p["full_name"], p["title"], p["neighbourhood"]) if part
                ),
            }
            for p in people
        ],
        safe=False,
    )


@municipality_view("manage_committees")
def managers_meeting_follow_ups(request, managers_meeting_id):
    """The promise kept: every follow-up item with its owner and whether it is done."""
    managers_meeting = _get(request, managers_meeting_id)
    follow_ups = list(selectors.managers_meeting_follow_ups(managers_meeting))
    done, total = selectors.follow_up_progress(follow_ups)
    return render(
        request,
        "committees/managers_follow_ups.html",
        {
            "managers_meeting": managers_meeting,
            "meeting": managers_meeting.meeting,
            "follow_ups": follow_ups,
            "done": done,
            "total": total,
        },
    )
