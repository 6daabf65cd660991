"""Pages for people without an account: the RSVP link, the member page, calendar feeds, the open call.

A personal link that is tampered with or too old renders a page that says so (400/410) and changes
nothing. None of these pages shows another person's data. While HQ pauses the municipality, every
form here is refused before it is read (kehila.pausing.refuse_if_paused) and the pages show the notice in
its place; revoking one's own calendar feed stays open, since it only stops a leak.
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kehila.models import Municipality
from kehila.net import client_ip
from kehila.pausing import public_paused_notice, refuse_if_paused, refuses_while_paused
from partners.models import Person

from . import ical, links, selectors, services
from .forms import ApplicationForm, CorrectionForm, RsvpForm
from .models import Committee, Invitation, MemberCalendar, Minutes
from .views import _member_context

APPLY_LIMIT = 5  # applications per address per hour
APPLY_WINDOW = 60 * 60


def _bad_link(request, error):
    expired = isinstance(error, links.LinkExpired)
    return render(
        request,
        "committees/public/bad_link.html",
        {"expired": expired},
        status=410 if expired else 400,
    )


@never_cache
@refuses_while_paused
def rsvp(request, token):
    try:
        invitation_id = links.invitation_id_from(token)
    except (links.LinkExpired, links.LinkInvalid) as error:
        return _bad_link(request, error)
    if request.method == "POST":
        # An answer needs only the invitation's meeting (rsvp_record locks and re-reads both and
        # checks that answers are open) and whether its municipality is paused; the page is drawn
        # only to explain a refusal or an error.
        invitation = (
            Invitation.objects.filter(pk=invitation_id)
            .select_related("municipality")
            .order_by("pk")
            .only("meeting_id", "municipality__name", "municipality__paused_at")
            .first()
        )
        if invitation is None:
            return _bad_link(request, links.LinkInvalid())
        refuse_if_paused(invitation.municipality)
        form = RsvpForm(request.POST)
        if form.is_valid():
            try:
                services.rsvp_record(
                    invitation=invitation,
                    response=form.cleaned_data["response"],
                    # One click is an answer alone: the note already written stays.
                    note=form.cleaned_data["note"] if "note" in request.POST else None,
                )
            except services.RsvpRefused:
                pass  # the page below gives the reason, with 409
            else:
                # Redirect after POST: a reload or a second click cannot record a second answer.
                return redirect(
                    reverse("committees_public:rsvp", kwargs={"token": token}) + "?saved=1"
                )
    return _rsvp_page(request, invitation_id)


def _rsvp_page(request, invitation_id):
    invitation = (
        Invitation.objects.select_related("meeting__committee", "person", "municipality")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return _bad_link(request, links.LinkInvalid())
    meeting = invitation.meeting
    closed_reason = services.rsvp_open_reason(meeting)
    form = RsvpForm(
        request.POST or None,
        initial={"response": invitation.response or None, "note": invitation.note},
    )
    context = {
        "invitation": invitation,
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.all()),
        "form": form,
        "closed_reason": closed_reason,
        "saved": request.GET.get("saved") == "1",
        "member_path": links.member_url(invitation.person, absolute=False),
        "public_paused": public_paused_notice(invitation.municipality),
        # While the meeting's live session is open, the invitation's link also joins it.
        "live_open": meeting.live_sessions.filter(closed_at__isnull=True).exists(),
        "live_path": reverse(
            "live_public:by_invitation", kwargs={"token": links.rsvp_token(invitation)}
        ),
    }
    status = 409 if request.method == "POST" and closed_reason else 200
    return render(request, "committees/public/rsvp.html", context, status=status)


@never_cache
def member(request, token):
    try:
        person_id = links.person_id_from(token)
    except (links.LinkExpired, links.LinkInvalid) as error:
        return _bad_link(request, error)
    person = (
        selectors.member_person()
        .select_related("municipality")
        .only("id", "municipality_id", "full_name", "municipality__name", "municipality__paused_at")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        return _bad_link(request, links.LinkInvalid())
    context = _member_context(person, public=True)
    context["token"] = token
    context["public_paused"] = public_paused_notice(person.municipality)
    return render(request, "committees/member_page.html", context)


@require_POST
@refuses_while_paused
def member_correct(request, token, minutes_id):
    """A correction to circulated minutes, sent from the personal link (no account needed)."""
    try:
        person_id = links.person_id_from(token)
    except (links.LinkExpired, links.LinkInvalid) as error:
        return _bad_link(request, error)
    person = get_object_or_404(Person.objects.select_related("municipality"), pk=person_id)
    refuse_if_paused(person.municipality)
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting"),
        pk=minutes_id,
        municipality=person.municipality_id,
    )
    page = reverse("committees_public:member", kwargs={"token": token})
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return redirect(page + "?correction=empty#corrections-heading")
    try:
        services.minutes_correct(minutes=minutes, text=form.cleaned_data["text"], person=person)
    except PermissionDenied:
        raise Http404 from None  # not an attendee: the minutes are not theirs to see
    except ValidationError:
        return redirect(page + "?correction=closed#corrections-heading")
    return redirect(page + "?correction=sent#corrections-heading")


@require_POST
def member_feed_revoke(request, token):
    try:
        person_id = links.person_id_from(token)
    except (links.LinkExpired, links.LinkInvalid) as error:
        return _bad_link(request, error)
    person = get_object_or_404(Person, pk=person_id)
    services.member_calendar_revoke(person=person)
    return redirect(reverse("committees_public:member", kwargs={"token": token}) + "?revoked=1")


def _ics_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def member_feed(request, token):
    calendar = MemberCalendar.objects.select_related("person").filter(token=token).first()
    if calendar is None:
        raise Http404
    meetings = selectors.member_meetings_for_feed(calendar.person)
    return _ics_response(ical.calendar_for(meetings, name=calendar.person.full_name))


def committee_feed(request, token):
    committee = Committee.objects.filter(feed_token=token).first()
    if committee is None:
        raise Http404
    meetings = committee.meetings.select_related("committee").order_by("starts_at")
    return _ics_response(ical.calendar_for(meetings, name=committee.name))


def _client_address(request) -> str:
    return client_ip(request) or "unknown"


@refuses_while_paused
def apply(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    if request.method == "POST":
        # Before the rate limit counts it: a refused application is not an attempt.
        refuse_if_paused(municipality)
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        key = f"committees:apply:{_client_address(request)}"
        attempts = cache.get(key, 0)
        if attempts >= APPLY_LIMIT:
            return render(
                request,
                "committees/public/apply.html",
                {"municipality": municipality, "form": form, "limited": True},
                status=429,
            )
        cache.set(key, attempts + 1, APPLY_WINDOW)
        if form.is_valid():
            if form.cleaned_data.get("website"):
                # A bot filled the hidden field: thank it and store nothing.
                return redirect("committees_public:apply_thanks", slug=slug)
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            result = services.application_submit(
                municipality=municipality, language=(get_language() or "he")[:2], **data
            )
            thanks = reverse("committees_public:apply_thanks", kwargs={"slug": slug})
            return redirect(thanks + ("?updated=1" if result.updated else ""))
        status = 400
    return render(
        request,
        "committees/public/apply.html",
        {
            "municipality": municipality,
            "form": form,
            "public_paused": public_paused_notice(municipality),
        },
        status=status,
    )


def apply_thanks(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    return render(
        request,
        "committees/public/apply_thanks.html",
        {"municipality": municipality, "updated": request.GET.get("updated") == "1"},
    )
