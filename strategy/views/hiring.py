"""Hiring the program manager: candidates, interviews, scores, the proposal and its approval."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehila.forms import add_service_errors
from kehila.permissions import can
from kehila.tenancy import get_for_municipality, municipality_view

from .. import selectors, services
from ..approvals import WorkflowError
from ..forms import CandidateForm, InterviewForm, ProposeForm, ScoreSheetForm
from ..models import Candidate, ScoreSheet
from .common import need, page_url


@municipality_view("view_hiring")
def hiring(request):
    form = CandidateForm(request.POST or None)
    if request.method == "POST":
        if not can(request.user, "manage_hiring", request.municipality):
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                candidate = services.candidate_add(
                    municipality=request.municipality, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The candidate was added."))
                return redirect(page_url(request, "candidate", candidate_id=candidate.pk))
    return render(
        request,
        "strategy/hiring.html",
        {
            "candidates": selectors.candidates_with_counts(request.municipality),
            "decision": selectors.hiring_decision(request.municipality),
            "form": form,
        },
    )


@municipality_view("view_hiring")
def candidate_detail(request, candidate_id):
    candidate = get_for_municipality(Candidate, request.municipality, pk=candidate_id)
    return render(
        request,
        "strategy/candidate.html",
        {
            "candidate": candidate,
            "interviews": list(candidate.interviews.all()),
            "summary": selectors.score_summary(candidate),
            "sheets": selectors.score_sheets(candidate),
            "decision": selectors.hiring_decision(request.municipality),
            "already_scored": ScoreSheet.objects.filter(
                candidate=candidate, member=request.user
            ).exists(),
            "interview_form": InterviewForm(),
            "propose_form": ProposeForm(),
        },
    )


@municipality_view("manage_hiring")
def interview_add(request, candidate_id):
    candidate = get_for_municipality(Candidate, request.municipality, pk=candidate_id)
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_add(candidate=candidate, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The interview was added."))
            return redirect(page_url(request, "candidate", candidate_id=candidate.pk))
    return render(request, "strategy/interview_form.html", {"form": form, "candidate": candidate})


@municipality_view("score_candidates")
def candidate_score(request, candidate_id):
    candidate = get_for_municipality(Candidate, request.municipality, pk=candidate_id)
    if ScoreSheet.objects.filter(candidate=candidate, member=request.user).exists():
        messages.error(request, _("You have already scored this candidate."))
        return redirect(page_url(request, "candidate", candidate_id=candidate.pk))
    form = ScoreSheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_sheet_submit(
                candidate=candidate, user=request.user, scores=form.scores()
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
            return render(
                request, "strategy/score_form.html", {"form": form, "candidate": candidate}
            )
        else:
            messages.success(request, _("Your scores were recorded."))
        return redirect(page_url(request, "candidate", candidate_id=candidate.pk))
    return render(request, "strategy/score_form.html", {"form": form, "candidate": candidate})


@municipality_view("view_hiring")
def hiring_propose(request, candidate_id):
    candidate = get_for_municipality(Candidate, request.municipality, pk=candidate_id)
    refused = need(request, "manage_hiring", post=True)
    if refused:
        return refused
    form = ProposeForm(request.POST)
    form.is_valid()
    try:
        services.hiring_propose(
            candidate=candidate, user=request.user, rationale=form.cleaned_data.get("rationale", "")
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision was proposed; both sides must approve it."))
    return redirect(page_url(request, "hiring"))


@municipality_view("decide_hiring")
@require_POST
def hiring_approve(request):
    decision = selectors.hiring_decision(request.municipality)
    if decision is None:
        messages.error(request, _("There is no proposed decision yet."))
        return redirect(page_url(request, "hiring"))
    try:
        services.hiring_approve(decision=decision, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your approval was recorded."))
    return redirect(page_url(request, "hiring"))
