"""Who is invited to a meeting: sending and resending the invitations, adding an invitee, the answers
so far, reminders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.permissions import can
from kehila.tenancy import get_for_municipality, municipality_view

from .. import selectors, services
from ..forms import InviteForm
from ..models import (
    Invitation,
    Meeting,
)


@municipality_view("manage_committees")
def meeting_invite(request, meeting_id):
    meeting = get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        sent = services.invitations_send(meeting=meeting, actor=request.user, retry_failed=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if sent:
            messages.success(request, _("Invitations sent: %(count)d.") % {"count": sent})
        else:
            messages.info(request, _("Everyone was already invited; nothing new was sent."))
    return redirect("committees:meeting", slug=request.municipality.slug, meeting_id=meeting.pk)


@municipality_view("manage_committees")
def meeting_mail(request, meeting_id):
    meeting = get_for_municipality(
        Meeting.objects.select_related("committee"), request.municipality, pk=meeting_id
    )
    return render(
        request,
        "committees/meeting_mail.html",
        {"meeting": meeting, "invitees": selectors.meeting_mail(meeting)},
    )


@municipality_view("manage_committees")
def meeting_mail_resend(request, meeting_id):
    meeting = get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    invitation_id = request.POST.get("invitation", "")
    if not invitation_id.isdigit():
        raise Http404
    invitation = get_for_municipality(
        Invitation.objects, request.municipality, pk=int(invitation_id), meeting=meeting
    )
    try:
        services.invitation_resend(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new copy of the invitation is on its way."))
    return redirect(
        "committees:meeting_mail", slug=request.municipality.slug, meeting_id=meeting.pk
    )


@municipality_view("manage_committees")
def invitation_add(request, meeting_id):
    meeting = get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = InviteForm(request.POST, municipality=request.municipality)
    if form.is_valid():
        try:
            services.invitation_add(
                meeting=meeting, person=form.cleaned_data["person"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The person was added to the invitees."))
    else:
        messages.error(request, _("Choose a person of this municipality."))
    return redirect("committees:meeting", slug=request.municipality.slug, meeting_id=meeting.pk)


@municipality_view("view_committees")
def meeting_counts(request, meeting_id):
    """The answers so far, for the meeting page to refresh its counts without a reload."""
    meeting = get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    counts = selectors.rsvp_counts(meeting)
    data = {"yes": counts.yes, "waitlisted": counts.waitlisted, "attended": counts.attended}
    if can(request.user, "manage_committees", request.municipality):
        data.update(no=counts.no, maybe=counts.maybe, none=counts.none)
    return JsonResponse(data)


@municipality_view("manage_committees")
def meeting_remind(request, meeting_id):
    meeting = get_for_municipality(Meeting.objects, request.municipality, pk=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    sent = services.reminders_send(meeting=meeting, actor=request.user)
    messages.success(request, _("Reminders sent: %(count)d.") % {"count": sent})
    return redirect("committees:meeting", slug=request.municipality.slug, meeting_id=meeting.pk)
