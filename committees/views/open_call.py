"""The answers to the open call to join the design committee, and the decision on each."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kehila.privacy import log_contact_access
from kehila.tenancy import get_for_municipality, municipality_view

from .. import selectors, services
from ..models import Application


@municipality_view("manage_committees")
def applications(request):
    pending = list(selectors.pending_applications(request.municipality))
    decided = list(selectors.decided_applications(request.municipality))
    open_call_url = request.build_absolute_uri(
        reverse("committees_public:apply", kwargs={"slug": request.municipality.slug})
    )
    if pending or decided:
        log_contact_access(request, pending + decided)
    return render(
        request,
        "committees/applications.html",
        {"pending": pending, "decided": decided, "open_call_url": open_call_url},
    )


@municipality_view("manage_committees")
def application_decide(request, application_id):
    application = get_for_municipality(Application.objects, request.municipality, pk=application_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    decision = request.POST.get("decision")
    try:
        with transaction.atomic():
            if decision == "accept":
                services.application_accept(application=application, actor=request.user)
                messages.success(request, _("The applicant joined the committee."))
            elif decision == "decline":
                services.application_decline(application=application, actor=request.user)
                messages.success(request, _("The application was declined."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("committees:applications", slug=request.municipality.slug)
