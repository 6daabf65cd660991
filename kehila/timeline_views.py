"""The timeline page, the reschedule flow (preview what moves, then confirm) and the scope decision form.

The forms are kehila.forms', the rows kehila.selectors'; every write is a service of kehila.scheduling."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from . import scheduling, selectors, timeline_chart
from . import timeline as engine
from .forms import (
    CalendarForm,
    OffsetsForm,
    RescheduleForm,
    ScopeDecisionForm,
    SlipThresholdForm,
)
from .models import Milestone, Program, milestone_title
from .permissions import can
from .selectors import Row, timeline_rows
from .tenancy import get_for_municipality, municipality_view


def _program(request) -> Program:
    program = get_object_or_404(Program, municipality=request.municipality)
    # The page reads the municipality through the program (meeting links): no second query for it.
    program.municipality = request.municipality
    return program


def gantt_items(rows: list[Row], today: date) -> list[timeline_chart.Item]:
    """The Gantt's rows from the table's: a planned bar from what it depends on to its day, and what
    happened (held: up to the day it took place; not held and past its day: up to today)."""
    chained = {r.milestone.key: r for r in rows if scheduling.is_chain_key(r.milestone.key)}
    depends = {key: r.depends_keys for key, r in chained.items()}
    planned_start = timeline_chart.spans(
        {k: r.milestone.planned for k, r in chained.items()}, depends
    )
    current_start = timeline_chart.spans({k: r.current for k, r in chained.items()}, depends)
    on_time = gettext("on time")
    items = []
    for r in rows:
        m = r.milestone
        state = timeline_chart.state_of(r.severity, r.late > 0)
        bars = [
            timeline_chart.Bar(planned_start.get(m.key, m.planned), m.planned, "planned", state)
        ]
        if m.status == Milestone.Status.HELD and m.actual:
            bars.append(
                timeline_chart.Bar(
                    min(current_start.get(m.key, m.actual), m.actual), m.actual, "actual", state
                )
            )
        elif r.late:
            # the days it is overdue: from the day after its day up to today
            bars.append(timeline_chart.Bar(m.planned + timedelta(days=1), today, "open", state))
        items.append(
            timeline_chart.Item(
                key=m.key,
                title=r.title,
                bars=tuple(bars),
                depends_on=depends.get(m.key, ()),
                note=r.late_label or r.slip_label or on_time,
                state=state,
                meeting_url=r.meeting_url,
                meeting_day=r.current if r.meeting_url else None,
                baseline=m.baseline if m.baseline and m.baseline != m.planned else None,
            )
        )
    return items


def _next_row(rows: list[Row], today: date) -> Row | None:
    nxt = engine.next_not_held((r.milestone for r in rows), today=today)
    return next((r for r in rows if r.milestone is nxt), None)


def _page(request, program, *, scope_form=None, status=200):
    today = timezone.localdate()
    milestones = selectors.timeline_milestones(program) if program.scope_decision_date else []
    rows = timeline_rows(program, milestones, today)
    may_manage = can(request.user, "manage_timeline", request.municipality)
    if scope_form is None and may_manage and program.scope_decision_date is None:
        scope_form = ScopeDecisionForm(initial={"tracks": program.tracks})
    context = {
        "program": program,
        "rows": rows,
        "today": today,
        "may_manage": may_manage,
        "may_manage_calendar": can(request.user, "manage_calendar", request.municipality),
        "scope_form": scope_form,
        "chart": timeline_chart.gantt(gantt_items(rows, today), today) if rows else None,
        "late_count": sum(1 for r in rows if r.late),
        "next_row": _next_row(rows, today),
        "slip_form": SlipThresholdForm(
            initial={"slip_alert_days": request.municipality.slip_alert_days}
        )
        if may_manage
        else None,
    }
    return render(request, "kehila/timeline.html", context, status=status)


@municipality_view("view_timeline")
def timeline(request):
    return _page(request, _program(request))


@municipality_view("manage_timeline")
def timeline_slip_threshold(request):
    if request.method == "POST":
        form = SlipThresholdForm(request.POST)
        if form.is_valid():
            scheduling.municipality_slip_threshold_set(
                municipality=request.municipality,
                days=form.cleaned_data["slip_alert_days"],
                actor=request.user,
            )
            messages.success(request, gettext("The slip threshold is saved."))
        else:
            messages.error(request, gettext("The slip threshold must be 1 to 365 days."))
    return redirect("kehila:timeline", slug=request.municipality.slug)


@municipality_view("manage_timeline")
def timeline_scope(request):
    program = _program(request)
    if request.method != "POST":
        return redirect("kehila:timeline", slug=request.municipality.slug)
    form = ScopeDecisionForm(request.POST)
    if form.is_valid():
        try:
            scheduling.program_scope_decide(
                program=program,
                decided_on=form.cleaned_data["decided_on"],
                tracks=form.cleaned_data["tracks"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, gettext("The scope decision is recorded and the plan laid out.")
            )
            return redirect("kehila:timeline", slug=request.municipality.slug)
    program.refresh_from_db()
    return _page(request, program, scope_form=form, status=400)


@municipality_view("manage_timeline")
def timeline_reschedule(request):
    program = _program(request)
    if program.scope_decision_date is None:
        return redirect("kehila:timeline", slug=request.municipality.slug)
    milestones = selectors.timeline_milestones(program)
    if request.method == "POST":
        return _reschedule_post(request, program, milestones)
    form = RescheduleForm(initial={"milestone": request.GET.get("key", "")}, milestones=milestones)
    return _reschedule_page(request, program, form)


def _reschedule_post(request, program: Program, milestones: list[Milestone]):
    form = RescheduleForm(request.POST, milestones=milestones)
    if not form.is_valid():
        return _reschedule_page(request, program, form)
    milestone = get_for_municipality(
        Milestone.objects, request.municipality, program=program, key=form.cleaned_data["milestone"]
    )
    # Confirm saves only what the preview showed: a field changed after the preview shows the new
    # preview instead of saving something the manager has not seen.
    if "confirm" in request.POST and request.POST.get("previewed") == _previewed(milestone, form):
        return _reschedule_save(request, program, form, milestone)
    return _reschedule_preview(request, program, milestones, form, milestone)


def _previewed(milestone: Milestone, form: RescheduleForm) -> str:
    return f"{milestone.key}|{form.cleaned_data['action']}|{form.cleaned_data['date'].isoformat()}"


def _reschedule_save(request, program: Program, form: RescheduleForm, milestone: Milestone):
    when = form.cleaned_data["date"]
    try:
        if form.cleaned_data["action"] == "hold":
            moved = scheduling.milestone_hold(milestone=milestone, actual=when, actor=request.user)
        else:
            moved = scheduling.milestone_pin(milestone=milestone, date=when, actor=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _reschedule_page(request, program, form)
    messages.success(request, gettext("Saved. %(count)s dates moved.") % {"count": len(moved)})
    return redirect("kehila:timeline", slug=request.municipality.slug)


def _reschedule_preview(request, program, milestones, form: RescheduleForm, milestone: Milestone):
    try:
        moves = scheduling.timeline_preview(
            program=program,
            key=milestone.key,
            when=form.cleaned_data["date"],
            action=form.cleaned_data["action"],
        )
        chart = _preview_chart(program, milestones, moves) if moves else None
    except ValidationError as error:
        form.add_error(None, error)
        return _reschedule_page(request, program, form)
    return _reschedule_page(
        request,
        program,
        form,
        changes=_describe(moves),
        chart=chart,
        previewed=_previewed(milestone, form),
    )


def _reschedule_page(request, program, form, *, changes=None, chart=None, previewed=""):
    return render(
        request,
        "kehila/timeline_reschedule.html",
        {
            "form": form,
            "changes": changes,
            "chart": chart,
            "program": program,
            "previewed": previewed,
        },
        status=400 if form.errors else 200,
    )


def _preview_chart(program: Program, milestones: list[Milestone], moves) -> dict:
    """Before and after, drawn as the timeline is: two bars per milestone that would move."""
    plan = selectors.program_plan_or_empty(program, milestones)
    depends = {m.key: m.depends_on for m in plan if scheduling.is_chain_key(m.key)}
    current = {m.key: m.actual or m.planned for m in milestones}
    current.update({c.key: c.old for c in moves if c.old is not None})

    def note(change: engine.Change) -> str:
        if change.old is None:
            return gettext("new in the plan")
        if change.new is None:
            return gettext("leaves the plan")
        days = (change.new - change.old).days
        if days >= 0:
            return ngettext("%(days)s day later", "%(days)s days later", days) % {"days": days}
        return ngettext("%(days)s day earlier", "%(days)s days earlier", -days) % {"days": -days}

    items = timeline_chart.preview_items(moves, current, depends, milestone_title, note)
    return timeline_chart.gantt(items, timezone.localdate())


def _describe(changes: list[engine.Change]) -> list[dict]:
    return [
        {
            "key": c.key,
            "title": milestone_title(c.key),
            "old": c.old,
            "new": c.new,
            "days": (c.new - c.old).days if c.old and c.new else None,
        }
        for c in changes
    ]


@municipality_view("manage_timeline")
def timeline_offsets(request):
    program = _program(request)
    current = scheduling.program_offsets(program)
    form = OffsetsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            moved = scheduling.program_offsets_set(
                program=program, offsets=form.offsets(), actor=request.user
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, refused in error.message_dict.items():
                    form.add_error(f"{name}-days", refused)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext("The offsets are saved. %(count)s dates moved.") % {"count": len(moved)},
            )
            return redirect("kehila:timeline", slug=request.municipality.slug)
    return render(
        request,
        "kehila/timeline_offsets.html",
        {"form": form, "rows": list(form.bound_rows()), "program": program},
        status=400 if form.errors else 200,
    )


def panel(request) -> dict | None:
    """The dashboard's timeline card: the next milestones and how many are overdue (two queries)."""
    municipality = request.municipality
    if not can(request.user, "view_timeline", municipality):
        return None
    today = timezone.localdate()
    return {
        "template": "kehila/timeline_panel.html",
        "order": 5,
        "context": {**selectors.timeline_card(municipality, today), "today": today},
    }


@municipality_view("manage_calendar")
def timeline_calendar(request):
    municipality = request.municipality
    form = CalendarForm(request.POST or None, initial=CalendarForm.initial_for(municipality))
    if request.method == "POST" and form.is_valid():
        try:
            moved = scheduling.municipality_calendar_set(
                municipality=municipality,
                communities=form.cleaned_data["communities"],
                work_week=form.cleaned_data["work_week"],
                avoid=form.avoid(),
                actor=request.user,
            )
        except ValidationError as error:
            for field_name, refused in error.message_dict.items():
                form.add_error(None if field_name == "__all__" else field_name, refused)
        else:
            messages.success(
                request,
                ngettext(
                    "The calendar is saved. %(count)s date moved.",
                    "The calendar is saved. %(count)s dates moved.",
                    len(moved),
                )
                % {"count": len(moved)},
            )
            return redirect("kehila:timeline", slug=municipality.slug)
    return render(
        request,
        "kehila/timeline_calendar.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
