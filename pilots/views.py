"""The pilot's pages for the municipality's people (under /m/<slug>/pilot/, through municipality_view)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kehila.forms import add_service_errors
from kehila.gates import gate_override, overrides_on
from kehila.models import Program
from kehila.permissions import can
from kehila.privacy import log_contact_access
from kehila.tenancy import get_for_municipality, municipality_view

from . import charts, gates, selectors, services
from .access import access_initiative
from .forms import (
    CommitteeSeatForm,
    ConflictForm,
    ConnectionForm,
    DecisionForm,
    DisbursementForm,
    GateOverrideForm,
    GrantForm,
    HackathonForm,
    IndicatorForm,
    MeasurementForm,
    MentorForm,
    ReviewForm,
    ScoreForm,
)
from .models import CommitteeSeat, Grant


def _hackathon(request, hackathon_id):
    return selectors.hackathon_for(request.municipality, hackathon_id)


# --- dashboard and hackathon ---------------------------------------------------------------------


@municipality_view("view_pilot")
def dashboard(request):
    hackathons = list(selectors.hackathons_for(request.municipality))
    hackathon = hackathons[0] if hackathons else None
    chosen = request.GET.get("hackathon")
    if chosen:
        hackathon = next((h for h in hackathons if str(h.pk) == chosen), hackathon)
    context = {"hackathons": hackathons, "hackathon": hackathon}
    if hackathon:
        rows = selectors.by_neighbourhood(hackathon)
        budget = selectors.budget(hackathon)
        context.update(
            funnel=selectors.funnel(hackathon),
            budget=budget,
            budget_bar=charts.budget_bar(budget),
            neighbourhoods=rows,
            outcomes=selectors.review_outcomes(hackathon),
            chart_height=max(len(rows), 1) * 32,
        )
    return render(request, "pilots/dashboard.html", context)


@municipality_view("manage_pilot")
def hackathon_create(request):
    program = get_object_or_404(Program, municipality=request.municipality)
    form = HackathonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hackathon = services.hackathon_create(
                actor=request.user, program=program, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The hackathon was created."))
            return redirect(
                "pilots:hackathon", slug=request.municipality.slug, hackathon_id=hackathon.pk
            )
    return render(request, "pilots/hackathon_form.html", {"form": form, "hackathon": None})


@municipality_view("manage_pilot")
def hackathon_edit(request, hackathon_id):
    hackathon = _hackathon(request, hackathon_id)
    form = HackathonForm(request.POST or None, instance=hackathon)
    if request.method == "POST" and form.is_valid():
        try:
            services.hackathon_update(
                actor=request.user, hackathon=hackathon, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The hackathon was saved."))
            return redirect(
                "pilots:hackathon", slug=request.municipality.slug, hackathon_id=hackathon.pk
            )
    return render(request, "pilots/hackathon_form.html", {"form": form, "hackathon": hackathon})


@municipality_view("view_pilot")
def hackathon_detail(request, hackathon_id):
    hackathon = _hackathon(request, hackathon_id)
    rows, on_committee = selectors.ranking(hackathon, request.user)
    context = {
        "hackathon": hackathon,
        "rows": rows,
        "on_committee": on_committee,
        "challenges": selectors.challenges_for(request.municipality),
        "seats": selectors.committee_seats(hackathon),
        "participant_count": selectors.participant_count(hackathon),
        "budget": selectors.budget(hackathon),
        "public_url": request.build_absolute_uri(
            reverse("pilots_public:hackathon", kwargs={"hackathon_id": hackathon.pk})
        ),
    }
    return render(request, "pilots/hackathon_detail.html", context)


@municipality_view("manage_pilot")
def committee(request, hackathon_id):
    hackathon = _hackathon(request, hackathon_id)
    form = CommitteeSeatForm(request.POST or None, municipality=request.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_seat_add(
                actor=request.user, hackathon=hackathon, user=form.cleaned_data["user"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The member was added to the selection committee."))
            return redirect(
                "pilots:committee", slug=request.municipality.slug, hackathon_id=hackathon.pk
            )
    seats = selectors.committee_seats(hackathon)
    return render(
        request, "pilots/committee.html", {"hackathon": hackathon, "form": form, "seats": seats}
    )


@municipality_view("manage_pilot")
def committee_remove(request, seat_id):
    seat = get_for_municipality(
        CommitteeSeat.objects.select_related("hackathon"), request.municipality, pk=seat_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    hackathon = seat.hackathon
    services.committee_seat_remove(actor=request.user, seat=seat)
    messages.success(request, _("The member was removed from the selection committee."))
    return redirect("pilots:committee", slug=request.municipality.slug, hackathon_id=hackathon.pk)


@municipality_view("manage_pilot")
def participants(request, hackathon_id):
    hackathon = _hackathon(request, hackathon_id)
    people = selectors.participants_of(hackathon)
    if people:
        log_contact_access(request, people)
    return render(request, "pilots/participants.html", {"hackathon": hackathon, "people": people})


@municipality_view("view_pilot")
def measurement(request, hackathon_id):
    """The six-month measurement and learning round: indicators per track, a value per initiative."""
    hackathon = _hackathon(request, hackathon_id)
    may_manage = can(request.user, "manage_pilot", request.municipality)
    indicator_form = IndicatorForm(prefix="ind")
    value_form = MeasurementForm(prefix="val")
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if "ind-name" in request.POST:
            indicator_form = IndicatorForm(request.POST, prefix="ind")
            saved = _indicator_add(request, hackathon, indicator_form)
        else:
            value_form = MeasurementForm(request.POST, prefix="val")
            saved = _measurement_record(request, hackathon, value_form)
        if saved:
            return redirect(
                "pilots:measurement", slug=request.municipality.slug, hackathon_id=hackathon.pk
            )
    context = {
        "hackathon": hackathon,
        "tracks": selectors.measurement_grid(hackathon),
        "may_manage": may_manage,
        "indicator_form": indicator_form,
        "value_form": value_form,
    }
    return render(
        request, "pilots/measurement.html", context, status=400 if request.method == "POST" else 200
    )


def _indicator_add(request, hackathon, form) -> bool:
    """True once the indicator is added; otherwise the form says why not."""
    if not form.is_valid():
        return False
    try:
        services.indicator_add(actor=request.user, hackathon=hackathon, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("The indicator was added."))
    return True


def _measurement_record(request, hackathon, form) -> bool:
    """True once the value is recorded; otherwise the form says why not."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.measurement_record(
            actor=request.user,
            initiative=selectors.hackathon_initiative(hackathon, data["initiative"]),
            indicator=selectors.hackathon_indicator(hackathon, data["indicator"]),
            value=data["value"],
            learning=data["learning"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("The measurement was recorded."))
    return True


# --- scoring -------------------------------------------------------------------------------------


@municipality_view("score_initiatives")
def my_scoring(request):
    rows = selectors.for_scoring(request.municipality, request.user)
    return render(request, "pilots/scoring.html", {"rows": rows})


@municipality_view("score_initiatives")
def score(request, initiative_id):
    # The seat on the selection committee is part of the rule: access decides it on the initiative.
    initiative = access_initiative(request, initiative_id, "score_initiatives")
    _refuse_conflicted(request, initiative)
    form = ScoreForm(request.POST or None)
    if request.method == "POST" and _score_record(request, initiative, form):
        return redirect("pilots:score", slug=request.municipality.slug, initiative_id=initiative.pk)
    mine = selectors.score_of(initiative, request.user)
    scores, averages = selectors.initiative_scores(initiative) if mine else ([], {})
    hackathon = initiative.hackathon
    # Until submissions close the page says when scoring opens instead of a form the service refuses.
    opens_at = None if hackathon.submissions_closed() else hackathon.submission_deadline
    context = {
        "initiative": initiative,
        "blind": selectors.is_blind(initiative, request.user),
        "form": form,
        "conflict_form": ConflictForm(),
        "mine": mine,
        "scoring_opens_at": opens_at,
        "scores": scores,
        "averages": averages,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "pilots/score.html", context, status=status)


def _score_record(request, initiative, form) -> bool:
    """True once the member's score is saved; otherwise the form carries why not. The service decides:
    it refuses a score before submissions close, a second score and one on a decided initiative."""
    if not form.is_valid():
        return False
    values = {k: v for k, v in form.cleaned_data.items() if k != "comment"}
    try:
        services.score_record(
            initiative=initiative,
            member=request.user,
            values=values,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("Your score was saved. You can now see the committee's scores."))
    return True


def _refuse_conflicted(request, initiative) -> None:
    if selectors.has_conflict(initiative, request.user):
        raise PermissionDenied(
            _("You declared a conflict of interest with this initiative: it is not open to you.")
        )


@municipality_view("score_initiatives")
def conflict_declare(request, initiative_id):
    initiative = access_initiative(request, initiative_id, "score_initiatives")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(
                member=request.user, initiative=initiative, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(
                "pilots:score", slug=request.municipality.slug, initiative_id=initiative.pk
            )
    messages.success(
        request,
        _("Your conflict of interest was recorded: you will not score or see this initiative."),
    )
    return redirect("pilots:scoring", slug=request.municipality.slug)


# --- one initiative ------------------------------------------------------------------------------


def _initiative_page(request, initiative_id, status=200, **forms):
    initiative = selectors.initiative_with_support(request.municipality, initiative_id)
    _refuse_conflicted(request, initiative)
    context = {**_initiative_facts(request, initiative), **_initiative_forms(initiative, forms)}
    if context["may_manage"]:  # the page shows the contact person's details to the team only
        log_contact_access(request, [initiative], where="pilots:initiative")
    return render(request, "pilots/initiative_detail.html", context, status=status)


def _initiative_facts(request, initiative) -> dict:
    """What the viewer may see and do on the initiative's page."""
    visible = selectors.scores_visible(initiative, request.user)
    scores, averages = selectors.initiative_scores(initiative) if visible else ([], {})
    may_manage = can(request.user, "manage_pilot", request.municipality)
    may_override_gate = can(request.user, "override_gate", initiative)
    # What the decision waits for, shown before anyone presses the button (the service decides); HQ, who
    # does not decide, sees it too, since HQ may open the gate.
    select_missing = (
        gates.initiative_select_missing(initiative)
        if (may_manage or may_override_gate) and not initiative.is_decided
        else []
    )
    return {
        "initiative": initiative,
        "scores_visible": visible,
        "scores": scores,
        "averages": averages,
        "budget": selectors.budget(initiative.hackathon),
        "may_manage": may_manage,
        "blind": selectors.is_blind(initiative, request.user),
        "may_override_gate": may_override_gate,
        "overrides": overrides_on(initiative),
        "select_missing": select_missing,
    }


def _initiative_forms(initiative, forms: dict) -> dict:
    """The page's forms: the one just refused, with its errors, and the others empty."""
    for grant in initiative.grants.all():
        if forms.get("disbursement_form") is not None and forms.get("grant_id") == grant.pk:
            grant.payment_form = forms["disbursement_form"]
        else:
            grant.payment_form = DisbursementForm(auto_id=f"id_g{grant.pk}_%s")
    return {
        "grant_missing": forms.get("grant_missing") or [],
        "gate_override_form": forms.get("gate_override_form") or GateOverrideForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "mentor_form": forms.get("mentor_form")
        or MentorForm(initial={"mentor": initiative.mentor}),
        "connection_form": forms.get("connection_form") or ConnectionForm(),
        "grant_form": forms.get("grant_form") or GrantForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
    }


def _back(request, initiative_id, message):
    messages.success(request, message)
    return redirect(
        "pilots:initiative", slug=request.municipality.slug, initiative_id=initiative_id
    )


@municipality_view("view_pilot")
def initiative_detail(request, initiative_id):
    return _initiative_page(request, initiative_id)


@municipality_view("manage_pilot")
def initiative_decide(request, initiative_id):
    initiative = access_initiative(request, initiative_id, "manage_pilot")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_decide(
                actor=request.user, initiative=initiative, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _back(
                request,
                initiative.pk,
                _("The decision was recorded and the applicants were told by e-mail."),
            )
    return _initiative_page(request, initiative.pk, status=400, decision_form=form)


@municipality_view("manage_pilot")
def initiative_mentor(request, initiative_id):
    initiative = access_initiative(request, initiative_id, "manage_pilot")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MentorForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_set_mentor(
                actor=request.user, initiative=initiative, mentor=form.cleaned_data["mentor"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _back(request, initiative.pk, _("The mentor was saved."))
    return _initiative_page(request, initiative.pk, status=400, mentor_form=form)


@municipality_view("manage_pilot")
def connection_add(request, initiative_id):
    initiative = access_initiative(request, initiative_id, "manage_pilot")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ConnectionForm(request.POST)
    if form.is_valid():
        try:
            services.connection_add(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _back(request, initiative.pk, _("The connection was recorded."))
    return _initiative_page(request, initiative.pk, status=400, connection_form=form)


@municipality_view("manage_pilot")
def grant_add(request, initiative_id):
    initiative = access_initiative(request, initiative_id, "manage_pilot")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = GrantForm(request.POST)
    missing = []
    if form.is_valid():
        try:
            services.grant_record(
                actor=request.user,
                initiative=initiative,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            missing = getattr(error, "missing", [])
            add_service_errors(form, error)
        else:
            return _back(request, initiative.pk, _("The grant was recorded."))
    return _initiative_page(
        request, initiative.pk, status=400, grant_form=form, grant_missing=missing
    )


@municipality_view("override_gate")
def gate_open(request, initiative_id, gate):
    """The manager or HQ opens one of the pilot's gates for this initiative, with a written reason."""
    initiative = access_initiative(request, initiative_id, "override_gate")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = GateOverrideForm(request.POST)
    if form.is_valid():
        try:
            gate_override(
                actor=request.user, gate=gate, obj=initiative, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _back(
                request,
                initiative.pk,
                _("The gate was opened for this initiative; the reason is on record."),
            )
    return _initiative_page(request, initiative.pk, status=400, gate_override_form=form)


@municipality_view("manage_pilot")
def disbursement_add(request, grant_id):
    grant = get_for_municipality(Grant.objects.all(), request.municipality, pk=grant_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DisbursementForm(request.POST, auto_id=f"id_g{grant.pk}_%s")
    if form.is_valid():
        try:
            services.disbursement_record(actor=request.user, grant=grant, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _back(request, grant.initiative_id, _("The payment was recorded."))
    return _initiative_page(
        request, grant.initiative_id, status=400, disbursement_form=form, grant_id=grant.pk
    )


@municipality_view("manage_pilot")
def initiative_review(request, initiative_id):
    initiative = access_initiative(request, initiative_id, "manage_pilot")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_review(
                actor=request.user, initiative=initiative, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _back(request, initiative.pk, _("The review decision was recorded."))
    return _initiative_page(request, initiative.pk, status=400, review_form=form)
