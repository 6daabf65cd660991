"""A municipality's committees and meetings. Thin views: permission, selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kehila import gates
from kehila.forms import add_service_errors
from kehila.permissions import can
from kehila.privacy import log_contact_access
from kehila.tenancy import get_for_municipality, municipality_view
from partners.models import Person

from . import ical, links, selectors, services, timeline_sync
from .access import access_action_item
from .forms import (
    ActionItemFormSet,
    ActionStatusForm,
    AgendaItemForm,
    CommitteeForm,
    CommitteeNamesForm,
    CommitteeTimesForm,
    CorrectionForm,
    InviteForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    TargetsForm,
    people_search_url,
)
from .models import (
    AgendaItem,
    Application,
    Committee,
    CommitteeMember,
    Invitation,
    Meeting,
    Minutes,
    Sector,
)

# The name managers_views imports; new code calls kehila.forms.add_service_errors.
_apply_errors = add_service_errors


@municipality_view("view_committees")
def committee_list(request):
    municipality = request.municipality
    context = {
        "committees": list(selectors.committees_of(municipality)),
        "pending_applications": (
            selectors.pending_applications(municipality).count()
            if can(request.user, "manage_committees", municipality)
            else 0
        ),
        "form": CommitteeForm(),
    }
    return render(request, "committees/list.html", context)


@municipality_view("manage_committees")
def committee_create(request):
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(
                municipality=request.municipality, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The committee was created."))
            return redirect(
                "committees:detail", slug=request.municipality.slug, committee_id=committee.pk
            )
    return render(request, "committees/committee_form.html", {"form": form})


@municipality_view("view_committees")
def committee_detail(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    return _committee_page(request, committee)


def _committee_page(request, committee, times_form=None, names_form=None):
    members = list(selectors.active_members(committee))
    voting = [m for m in members if m.has_vote]
    rows = selectors.composition(committee, voting)
    may_manage = can(request.user, "manage_committees", request.municipality)
    context = {
        "committee": committee,
        "members": members,
        "composition": rows,
        "short_rows": [r for r in rows if r.short],
        "size_warning": selectors.size_warning(committee, len(members)),
        "size_min": selectors.WORK_TEAM_MIN,
        "size_max": selectors.WORK_TEAM_MAX,
        "meetings": list(selectors.meetings_of(committee)),
        "member_form": MemberForm(municipality=request.municipality) if may_manage else None,
        "times_form": (times_form or CommitteeTimesForm(instance=committee))
        if may_manage
        else None,
        "names_form": (names_form or CommitteeNamesForm(instance=committee))
        if may_manage
        else None,
        "may_manage": may_manage,
        "feed_url": request.build_absolute_uri(
            reverse(
                "committees_public:committee_feed",
                kwargs={"token": services.committee_feed_token(committee=committee)},
            )
        ),
    }
    return render(request, "committees/committee_detail.html", context)


@municipality_view("manage_committees")
def committee_sharing(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.committee_set_attendance_sharing(
        committee=committee,
        shared=request.POST.get("members_see_attendance") == "on",
        actor=request.user,
    )
    messages.success(request, _("The committee's sharing setting was saved."))
    return redirect("committees:detail", slug=request.municipality.slug, committee_id=committee.pk)


@municipality_view("manage_committees")
def committee_times(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    if request.method != "POST":
        # The address a refused form re-rendered at: opened again (or in another language), it is the
        # committee's page.
        return _committee_page(request, committee)
    form = CommitteeTimesForm(request.POST, instance=Committee.objects.get(pk=committee.pk))
    if not form.is_valid():
        # The page again, with what was typed and why it was refused.
        return _committee_page(request, committee, times_form=form)
    services.committee_set_times(committee=committee, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The committee's days were saved."))
    return redirect("committees:detail", slug=request.municipality.slug, committee_id=committee.pk)


@municipality_view("manage_committees")
def committee_names(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    if request.method != "POST":
        return _committee_page(request, committee)
    form = CommitteeNamesForm(request.POST, instance=Committee.objects.get(pk=committee.pk))
    if not form.is_valid():
        return _committee_page(request, committee, names_form=form)
    services.committee_rename(committee=committee, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The committee's names were saved."))
    return redirect("committees:detail", slug=request.municipality.slug, committee_id=committee.pk)


@municipality_view("manage_committees")
def member_add(request, committee_id):
    committee = get_for_municipality(Committee.objects, request.municipality, pk=committee_id)
    form = MemberForm(request.POST or None, municipality=request.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(committee=committee, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The member was added."))
            return redirect(
                "committees:detail", slug=request.municipality.slug, committee_id=committee.pk
            )
    return render(request, "committees/member_form.html", {"committee": committee, "form": form})


@municipality_view("manage_committees")
def member_end(request, member_id):
    member = get_for_municipality(CommitteeMember.objects, request.municipality, pk=member_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.member_end(member=member, actor=request.user)
    messages.success(request, _("The membership has ended."))
    return redirect(
        "committees:detail", slug=request.municipality.slug, committee_id=member.committee_id
    )


@municipality_view("manage_committees")
def targets(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or Committee.Kind.DESIGN
    if kind not in Committee.Kind.values:
        kind = Committee.Kind.DESIGN
    current = selectors.composition_targets(request.municipality, kind)
    form = TargetsForm(request.POST or None, initial_percents=current)
    if request.method == "POST" and form.is_valid():
        services.composition_targets_set(
            municipality=request.municipality,
            committee_kind=kind,
            percents={s: form.cleaned_data.get(s) for s in Sector.values},
            actor=request.user,
        )
        messages.success(request, _("The composition targets were saved."))
        return redirect(
            reverse("committees:targets", kwargs={"slug": request.municipality.slug})
            + f"?kind={kind}"
        )
    return render(
        request,
        "committees/targets.html",
        {"form": form, "kind": kind, "kinds": Committee.Kind.choices},
    )


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


ACTION_FILTERS = {
    "who": {"all", "assigned", "created"},
    "state": {"open", "done", "all"},
}


@municipality_view("view_committees")
def action_items(request):
    """The municipality's action items, narrowed to those assigned to me or created by me, open or
    done. The team sees all; everyone else sees their own."""
    may_see_all = can(request.user, "take_minutes", request.municipality)
    who = request.GET.get("who", "all" if may_see_all else "assigned")
    state = request.GET.get("state", "open")
    if who not in ACTION_FILTERS["who"] or (who == "all" and not may_see_all):
        who = "assigned"
    if state not in ACTION_FILTERS["state"]:
        state = "open"
    items = list(
        selectors.action_items_for(request.municipality, user=request.user, who=who, state=state)
    )
    for item in items:
        # An owner updates their own item (kehila.permissions); the owner is already loaded, and the
        # municipality is the request's (the same row, not read again per item).
        item.municipality = request.municipality
        item.may_update = may_see_all or can(request.user, "update_action_item", item)
    return render(
        request,
        "committees/action_items.html",
        {
            "items": items,
            "who": who,
            "state": state,
            "may_see_all": may_see_all,
            "may_update": may_see_all,
        },
    )


@municipality_view("view_committees")
def action_item_status(request, action_id):
    item = access_action_item(request, action_id, "update_action_item")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(
            item=item, status=form.cleaned_data["status"], actor=request.user
        )
        messages.success(request, _("The action item was updated."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/m/") and "//" not in next_url:
        return redirect(next_url)
    return redirect(
        "committees:meeting", slug=request.municipality.slug, meeting_id=item.meeting_id
    )


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


@municipality_view("view_committees")
def my_page(request):
    person = (
        selectors.member_person()
        .filter(municipality=request.municipality, user=request.user)
        .order_by("pk")
        .first()
    )
    return render(request, "committees/member_page.html", _member_context(person, public=False))


def _member_context(person, *, public: bool):
    """`person` comes from selectors.member_person(), which brings the feed token along."""
    if person is None:
        return {"person": None, "public": public}
    # Most members have their feed already: read its token with the person, create it only when missing
    # (the service's transaction cost two more round trips on every view).
    token = person.feed_token or services.member_calendar_for(person=person).token
    return {
        "person": person,
        "public": public,
        "memberships": list(selectors.member_committees(person)),
        "invitations": _with_rsvp_paths(list(selectors.member_upcoming(person))),
        "action_items": list(selectors.member_action_items(person)),
        "published_minutes": list(selectors.member_published_minutes(person)),
        "challenges": list(selectors.member_challenges(person)),
        "to_correct": list(selectors.member_minutes_for_correction(person)),
        "correction_form": CorrectionForm(),
        "feed_path": reverse("committees_public:member_feed", kwargs={"token": token}),
    }


def _with_rsvp_paths(invitations):
    for invitation in invitations:
        invitation.rsvp_path = links.rsvp_url(invitation, absolute=False)
    return invitations
