"""A meeting's page: scheduling and editing it, its agenda, the printed agenda and .ics, cancelling,
attendance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kehila import gates
from kehila.forms import add_service_errors
from kehila.permissions import can
from kehila.tenancy import get_for_municipality, municipality_view

from .. import ical, selectors, services, timeline_sync
from ..forms import (
    AgendaItemForm,
    InviteForm,
    MeetingForm,
)
from ..models import (
    AgendaItem,
    Committee,
    Invitation,
    Meeting,
)
from .minutes import _minutes_context


@municipality_view("manage_committees")
def meeting_create(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    form = MeetingForm(
        request.POST or None, initial={"capacity": committee.capacity}, committee=committee
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                committee=committee, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was scheduled. Now add its agenda."))
            return redirect(
                "committees:meeting", slug=request.municipality.slug, meeting_id=meeting.pk
            )
    return render(request, "committees/meeting_form.html", {"committee": committee, "form": form})


@municipality_view("manage_committees")
def meeting_edit(request, meeting_id):
    meeting = get_for_municipality(
        Meeting.objects.select_related("committee"), request.municipality, pk=meeting_id
    )
    form = MeetingForm(request.POST or None, instance=meeting, committee=meeting.committee)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            # A meeting that is a timeline milestone moves it and what follows: the organiser sees
            # what moves first and confirms that same day (a changed day shows a new preview).
            preview = timeline_sync.move_preview(meeting, form.cleaned_data["starts_at"])
            if preview is not None and request.POST.get("previewed") != preview["day"]:
                return render(
                    request,
                    "committees/meeting_form.html",
                    {
                        "committee": meeting.committee,
                        "form": form,
                        "meeting": meeting,
                        "preview": preview,
                    },
                )
            services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was updated."))
            return redirect(
                "committees:meeting", slug=request.municipality.slug, meeting_id=meeting.pk
            )
    return render(
        request,
        "committees/meeting_form.html",
        {"committee": meeting.committee, "form": form, "meeting": meeting},
    )


def _meeting_context(request, meeting):
    may_manage = can(request.user, "manage_committees", request.municipality)
    counts = selectors.rsvp_counts(meeting)
    page = selectors.invitee_page(
        meeting, counts, organiser=may_manage, number=request.GET.get("page")
    )
    invite_open = may_manage and meeting.status != Meeting.Status.CANCELLED
    return {
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.all()),
        "page": page,
        "invitations": page.object_list,
        "attendance_hidden": not may_manage and not meeting.committee.members_see_attendance,
        "counts": counts,
        "may_manage": may_manage,
        "may_take_minutes": can(request.user, "take_minutes", request.municipality),
        # The team, or the body's chair, runs the meeting's live session (the live app).
        "may_facilitate": meeting.status != Meeting.Status.CANCELLED
        and can(request.user, "facilitate_meetings", meeting),
        "minutes": getattr(meeting, "minutes", None),
        "action_items": list(
            meeting.action_items.select_related("owner").only(
                "meeting_id", "title", "owner__full_name", "due_on", "status"
            )
        ),
        "responses": Invitation.Response.choices,
        "invite_form": (
            InviteForm(municipality=request.municipality, auto_id="id_invite_%s")
            if invite_open
            else None
        ),
        "rsvp_open": services.rsvp_open_reason(meeting) is None,
        **_minutes_context(request, meeting),
    }


@municipality_view("view_committees")
def meeting_detail(request, meeting_id):
    meeting = get_for_municipality(
        Meeting.objects.select_related("committee", "minutes", "managers_meeting"),
        request.municipality,
        pk=meeting_id,
    )
    return render(request, "committees/meeting_detail.html", _meeting_context(request, meeting))


@municipality_view("view_committees")
def meeting_agenda_print(request, meeting_id):
    meeting = get_for_municipality(
        Meeting.objects.select_related("committee"), request.municipality, pk=meeting_id
    )
    return render(
        request,
        "committees/agenda_print.html",
        {"meeting": meeting, "agenda": list(meeting.agenda_items.all())},
    )


@municipality_view("view_committees")
def meeting_ics(request, meeting_id):
    meeting = get_for_municipality(
        Meeting.objects.select_related("committee"), request.municipality, pk=meeting_id
    )
    response = HttpResponse(ical.meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@municipality_view("view_committees")
def agenda_item_attachment(request, item_id):
    """Agenda papers are the municipality's: served through tenancy, never from a public media URL."""
    item = get_for_municipality(AgendaItem.objects, request.municipality, pk=item_id)
    if not item.attachment:
        raise Http404("No attachment")
    return FileResponse(
        item.attachment.open("rb"),
        as_attachment=True,
        filename=item.attachment.name.rsplit("/", 1)[-1],
    )


@municipality_view("manage_committees")
def agenda_item_add(request, meeting_id):
    meeting = get_for_municipality(
        Meeting.objects.select_related("committee"), request.municipality, pk=meeting_id
    )
    form = AgendaItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agenda item was added."))
            return redirect(
                reverse(
                    "committees:meeting",
                    kwargs={"slug": request.municipality.slug, "meeting_id": meeting.pk},
                )
                + "#agenda-heading"
            )
    return render(request, "committees/agenda_form.html", {"meeting": meeting, "form": form})


@municipality_view("manage_committees")
def agenda_item_delete(request, item_id):
    item = get_for_municipality(AgendaItem.objects, request.municipality, pk=item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.agenda_item_delete(item=item, actor=request.user)
    messages.success(request, _("The agenda item was removed."))
    return redirect(
        "committees:meeting", slug=request.municipality.slug, meeting_id=item.meeting_id
    )


@municipality_view("manage_committees")
def meeting_cancel(request, meeting_id):
    meeting = get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.meeting_cancel(meeting=meeting, actor=request.user)
    messages.success(request, _("The meeting was cancelled and the invitees were told."))
    return redirect("committees:meeting", slug=request.municipality.slug, meeting_id=meeting.pk)


@municipality_view("manage_committees")
def meeting_attendance(request, meeting_id):
    meeting = get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ids = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
    # The form shows one page of invitees: the others keep what was recorded for them.
    shown = {int(v) for v in request.POST.getlist("shown") if v.isdigit()}
    try:
        services.attendance_record(
            meeting=meeting,
            attended_ids=ids,
            actor=request.user,
            shown_ids=shown if "shown" in request.POST else None,
        )
    except gates.GateClosed as closed:
        messages.error(request, " ".join(closed.messages))
    else:
        messages.success(request, _("Attendance was saved."))
    url = reverse(
        "committees:meeting", kwargs={"slug": request.municipality.slug, "meeting_id": meeting.pk}
    )
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)
