"""The facilitator's pages: opening a meeting's live session, the controls, and the board for the
projector. Each move is one POST to `act`, carried out by live.services; a refused move re-renders the
controls with the reason beside the form it came from, the text typed into it kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from committees.models import Challenge, Committee, Meeting
from kehila.forms import add_service_errors
from kehila.permissions import can, require
from kehila.tenancy import access, get_for_municipality, municipality_view
from partners.models import Person
from pilots.models import Initiative
from strategy.models import FocusChallenge

from . import deciding, links, selectors, services
from .forms import (
    ClusterForm,
    FocusForm,
    GroupForm,
    HideForm,
    ItemForm,
    MergeForm,
    NotesForm,
    OpenForm,
    OutcomeForm,
    PhaseForm,
    SettingsForm,
    TurnForm,
)
from .models import LiveSession
from .polling import cache_lost_version, etag


def _seeds(municipality, data) -> list[str]:
    source = data.get("seeds")
    if source == "mapping":
        return list(
            Challenge.objects.filter(municipality=municipality).values_list("text", flat=True)
        ) + list(
            FocusChallenge.objects.filter(municipality=municipality).values_list("title", flat=True)
        )
    if source == "initiatives":
        return list(
            Initiative.objects.filter(municipality=municipality).values_list("title", flat=True)
        )
    if source == "list":
        return [line for line in data.get("seed_list", "").splitlines() if line.strip()]
    return []


@never_cache
@municipality_view("view_committees")
def start(request, meeting_id):
    """A meeting's live session: opened here (the note-taker named first), or joined if it is open."""
    meeting = access(
        request, Meeting.objects.select_related("committee"), "facilitate_meetings", pk=meeting_id
    )
    current = meeting.live_sessions.filter(closed_at__isnull=True).first()
    if current is not None:
        return redirect("live:facilitate", slug=request.municipality.slug, session_id=current.pk)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_open(
                meeting=meeting,
                actor=request.user,
                note_taker=form.cleaned_data["note_taker"],
                question=form.cleaned_data["question"],
                seeds=_seeds(request.municipality, form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(
                "live:facilitate", slug=request.municipality.slug, session_id=session.pk
            )
    past = list(meeting.live_sessions.filter(closed_at__isnull=False))
    return render(
        request,
        "live/start.html",
        {"meeting": meeting, "form": form, "past": past},
        status=400 if form.errors else 200,
    )


def _session(request, session_id) -> LiveSession:
    session = get_for_municipality(
        LiveSession.objects.select_related("meeting__committee", "meeting__municipality"),
        request.municipality,
        pk=session_id,
    )
    session.municipality = request.municipality  # the same row, already read by the tenancy check
    require(request.user, "facilitate_meetings", session.meeting)
    return session


def _focus_form(state, data=None):
    choices = [(b.item.pk, b.item.text) for b in state.items]
    chosen = [b.item.pk for b in state.items if b.item.outcome == "focus"]
    return FocusForm(data, choices=choices, initial_ids=chosen or [pk for pk, _t in choices[:5]])


def _control_forms(session, state) -> dict:
    return {
        "settings": SettingsForm(
            initial={
                "question": session.question,
                "joining_open": session.joining_open,
                "show_authors": session.show_authors,
                "totals_live": session.totals_live,
                "speaker_seconds": session.speaker_seconds,
            }
        ),
        "phase": PhaseForm(initial={"dots": session.dots}),
        "item": ItemForm(),
        "cluster": ClusterForm(),
        "notes": NotesForm(initial={"notes": session.notes}),
        "focus": _focus_form(state),
        "outcome": OutcomeForm(session=session),
    }


def _owners(session) -> list:
    """Action items' owners: the people invited to the meeting (one query, only while deciding)."""
    if session.phase != LiveSession.Phase.DECIDE:
        return []
    invited = Person.objects.filter(meeting_invitations__meeting=session.meeting)
    return list(invited.order_by("full_name"))


def _controls_context(request, session, failed=None) -> dict:
    """Everything the controls draw; `failed` is (action, bound form) when a move was refused."""
    state = selectors.session_state(session)
    forms = _control_forms(session, state)
    failed_action = None
    if failed is not None:
        failed_action, form = failed
        forms[failed_action] = form
    return {
        "session": session,
        "meeting": session.meeting,
        "state": state,
        "forms": forms,
        "failed_action": failed_action,
        "is_design_meeting_one": _is_design_meeting_one(session.meeting),
        "owners": _owners(session),
        "may_close": can(request.user, "take_minutes", session.meeting),
        "join_url": links.join_url(session),
        "poll_url": reverse(
            "live:facilitator_poll",
            kwargs={"slug": request.municipality.slug, "session_id": session.pk},
        ),
        "version": session.version,
    }


def _is_design_meeting_one(meeting) -> bool:
    """The design committee's first meeting chooses the program's five focus challenges."""
    if meeting.committee.kind != Committee.Kind.DESIGN:
        return False
    earlier = meeting.committee.meetings.exclude(status=Meeting.Status.CANCELLED).filter(
        starts_at__lt=meeting.starts_at
    )
    return not earlier.exists()


@never_cache
@municipality_view("view_committees")
def facilitate(request, session_id):
    session = _session(request, session_id)
    services.heal_version(session.pk, session.version, session.phone_version)
    return render(request, "live/facilitate.html", _controls_context(request, session))


# --- the moves -----------------------------------------------------------------------------------------


def _form_move(form_class, call):
    """A move made from one form: bound to what was posted, carried out by `call` when it is valid."""

    def move(request, session):
        form = form_class(request.POST)
        if form.is_valid():
            call(session, request.user, form.cleaned_data)
        return form

    return move


def _outcome(request, session):
    form = OutcomeForm(request.POST, session=session)
    if form.is_valid():
        data = form.cleaned_data
        deciding.outcome_set(
            session=session,
            actor=request.user,
            item_id=data["item"],
            outcome=data["outcome"],
            owner=data["owner"],
            due_on=data["due_on"],
        )
    return form


def _focus(request, session):
    form = _focus_form(selectors.session_state(session), request.POST)
    if form.is_valid():
        deciding.focus_challenges_decide(
            session=session, actor=request.user, item_ids=form.cleaned_data["item_ids"]
        )
    return form


def _no_form(call):
    def move(request, session):
        call(session=session, actor=request.user)

    return move


# Each move: how it is made, and what the facilitator is told once it is done.
MOVES = {
    "settings": (
        _form_move(
            SettingsForm,
            lambda s, user, d: services.session_configure(
                session=s, actor=user, settings=services.Settings(**d)
            ),
        ),
        gettext_lazy("The session's settings were saved."),
    ),
    "phase": (
        _form_move(
            PhaseForm,
            lambda s, user, d: services.phase_set(
                session=s, actor=user, phase=d["phase"], dots=d["dots"]
            ),
        ),
        gettext_lazy("The phase changed: the board and the phones follow."),
    ),
    "item": (
        _form_move(
            ItemForm, lambda s, user, d: services.item_add(session=s, actor=user, text=d["text"])
        ),
        gettext_lazy("The item is on the board."),
    ),
    "cluster": (
        _form_move(
            ClusterForm,
            lambda s, user, d: services.cluster_add(session=s, actor=user, title=d["title"]),
        ),
        gettext_lazy("The heading was added."),
    ),
    "group": (
        _form_move(
            GroupForm,
            lambda s, user, d: services.item_group(
                session=s, actor=user, item_id=d["item"], cluster_id=d["cluster"]
            ),
        ),
        gettext_lazy("The item was moved."),
    ),
    "merge": (
        _form_move(
            MergeForm,
            lambda s, user, d: services.item_merge(
                session=s, actor=user, item_id=d["item"], into_id=d["into"]
            ),
        ),
        gettext_lazy("The items were merged."),
    ),
    "hide": (
        _form_move(
            HideForm,
            lambda s, user, d: services.item_hide(
                session=s, actor=user, item_id=d["item"], hidden=d["hidden"]
            ),
        ),
        gettext_lazy("The board was updated."),
    ),
    "floor": (
        _form_move(
            TurnForm,
            lambda s, user, d: services.floor_give(session=s, actor=user, turn_id=d["turn"]),
        ),
        gettext_lazy("The floor was given."),
    ),
    "floor-end": (_no_form(services.floor_end), gettext_lazy("The turn ended.")),
    "notes": (
        _form_move(
            NotesForm,
            lambda s, user, d: deciding.notes_save(session=s, actor=user, notes=d["notes"]),
        ),
        gettext_lazy("The notes were saved."),
    ),
    "outcome": (_outcome, gettext_lazy("The outcome was recorded.")),
    "focus": (
        _focus,
        gettext_lazy("The five focus challenges were recorded in the strategic plan."),
    ),
    "close": (
        _no_form(deciding.session_close),
        gettext_lazy("The session closed: its record is in the minutes draft."),
    ),
}


# The moves whose form shows its own errors; the others' errors are told at the top of the page.
OWN_ERRORS = {"settings", "phase", "item", "cluster", "notes", "focus"}


@municipality_view("view_committees")
def act(request, session_id, action):
    # The session first: another municipality's gets 404 whatever the method.
    session = _session(request, session_id)
    if action not in MOVES:
        raise Http404("No such move")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    move, done = MOVES[action]
    try:
        form = move(request, session)
    except ValidationError as error:
        return _refused(request, session, action, error.messages, error)
    except PermissionDenied as error:
        if not error.args:
            raise
        return _refused(request, session, action, [str(error)])
    if form is not None and not form.is_valid():
        session.refresh_from_db()
        context = _controls_context(request, session, failed=(action, form))
        if action not in OWN_ERRORS:
            context["refusal"] = [m for errors in form.errors.values() for m in errors]
        return render(request, "live/facilitate.html", context, status=400)
    messages.success(request, done)
    return redirect(_after(request, session, action))


def _refused(request, session, action, reasons, error=None):
    """The controls again with the reason, the refused form bound to what was typed (409)."""
    form = _rebound(action, request, session)
    if form is not None and error is not None:
        add_service_errors(form, error)
    session.refresh_from_db()
    context = _controls_context(request, session, failed=(action, form) if form else None)
    context["refusal"] = reasons
    return render(request, "live/facilitate.html", context, status=409)


def _after(request, session, action) -> str:
    slug = request.municipality.slug
    if action == "close":
        return reverse(
            "committees:meeting_minutes", kwargs={"slug": slug, "meeting_id": session.meeting_id}
        )
    anchor = {"notes": "#notes", "item": "#board-items", "phase": "#phase"}.get(action, "")
    return reverse("live:facilitate", kwargs={"slug": slug, "session_id": session.pk}) + anchor


def _rebound(action, request, session):
    """The form a refused move came from, bound to what was sent (the text typed is not lost)."""
    forms = {
        "settings": SettingsForm,
        "phase": PhaseForm,
        "item": ItemForm,
        "cluster": ClusterForm,
        "notes": NotesForm,
    }
    if action in forms:
        form = forms[action](request.POST)
        form.is_valid()
        return form
    return None


# --- the board and the polls ---------------------------------------------------------------------------


@never_cache
@municipality_view("view_committees")
def board(request, session_id):
    session = _session(request, session_id)
    services.heal_version(session.pk, session.version, session.phone_version)
    return render(
        request,
        "live/board.html",
        {
            "session": session,
            "meeting": session.meeting,
            "state": selectors.session_state(session),
            "join_url": links.join_url(session),
            "join_short": links.join_short(session),
            "qr_svg": links.join_qr_svg(session),
            "poll_url": reverse(
                "live:board_poll",
                kwargs={"slug": request.municipality.slug, "session_id": session.pk},
            ),
        },
    )


def _fragment(request, template, context, session):
    response = render(request, template, context)
    response["ETag"] = etag(session.version)
    response["Cache-Control"] = "no-cache, private"
    if cache_lost_version(request):
        services.heal_version(session.pk, session.version, session.phone_version)
    return response


@municipality_view("view_committees")
def board_poll(request, session_id):
    """The board's state as HTML (the template's, not Python's), or 304 (live.polling) if unchanged."""
    session = _session(request, session_id)
    return _fragment(
        request,
        "live/_board_state.html",
        {"session": session, "state": selectors.session_state(session)},
        session,
    )


@municipality_view("view_committees")
def facilitator_poll(request, session_id):
    session = _session(request, session_id)
    return _fragment(
        request, "live/_controls_state.html", _controls_context(request, session), session
    )
