"""The timeline page, the reschedule flow (preview what moves, then confirm) and the scope decision form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import scheduling, timeline_chart
from . import timeline as engine
from .formatting import hebrew_date
from .models import Milestone, Program, Track, milestone_title
from .permissions import can
from .rows import date_formatter, url_maker
from .tenancy import get_for_municipality, municipality_view


class ScopeDecisionForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Date of the scope decision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the steering committee decided the scope: the plan starts here."),
    )
    tracks = forms.MultipleChoiceField(
        label=_("Chosen tracks"),
        choices=Track.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SlipThresholdForm(forms.Form):
    slip_alert_days = forms.IntegerField(
        label=_("Days of slip that raise an alarm"),
        min_value=1,
        max_value=365,
        help_text=_("A milestone late by fewer days is shown as a minor slip, not an alarm."),
    )


class RescheduleForm(forms.Form):
    ACTIONS = [
        ("pin", _("Set a new planned date")),
        ("hold", _("Record the day it took place")),
    ]
    milestone = forms.ChoiceField(label=_("Milestone"))
    action = forms.ChoiceField(
        label=_("What to record"), choices=ACTIONS, widget=forms.RadioSelect, initial="pin"
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, milestones: list[Milestone], **kwargs):
        super().__init__(*args, **kwargs)
        short = date_formatter()
        self.fields["milestone"].choices = [
            (m.key, f"{m.title} ({short(m.planned)})")
            for m in milestones
            if m.key != "scope_decision" and m.status != Milestone.Status.CANCELLED
        ]

    def clean(self):
        data = super().clean()
        if (
            data.get("action") == "hold"
            and data.get("date")
            and data["date"] > timezone.localdate()
        ):
            self.add_error("date", gettext("A milestone cannot have taken place in the future."))
        return data


@dataclass
class Row:
    """One milestone of the table, with every string already formatted: the table has dozens of rows
    and date filters, plural blocks and per-row reverse() in the template were most of the page's cost."""

    milestone: Milestone
    title: str
    depends_on: str
    current: date
    slip: int
    early: int
    late: int
    planned: str
    originally: str
    actual: str
    status: str
    late_label: str = ""
    slip_label: str = ""
    severity: str = "on_time"
    meeting_url: str | None = None
    moved_label: str = ""  # why the rules' date was not kept: "moved from 10/10: eve of Yom Kippur"
    depends_keys: tuple[str, ...] = ()
    # The Hebrew date beside a date near a holiday of the municipality's calendar (Hebrew pages only).
    hebrew_planned: str = ""
    hebrew_actual: str = ""


def _program(request) -> Program:
    program = get_object_or_404(Program, municipality=request.municipality)
    # The page reads the municipality through the program (meeting links): no second query for it.
    program.municipality = request.municipality
    return program


def _milestones(program: Program) -> list[Milestone]:
    # The meeting's id comes through the committees' link to the milestone (`Meeting.milestone`),
    # in the same query; the page is a view (the top layer) and imports no stage app.
    return list(
        Milestone.objects.filter(program=program)
        .exclude(status=Milestone.Status.CANCELLED)
        .annotate(meeting_pk=F("meeting__pk"))
        .order_by("planned", "key")
    )


def _meeting_url_maker(slug: str):
    """The committees' meeting URL for an id (None without the committees pages: they are optional
    for the timeline)."""
    try:
        return url_maker("committees:meeting", "meeting_id", slug=slug)
    except NoReverseMatch:
        return None


def timeline_rows(program: Program, milestones: list[Milestone], today: date) -> list[Row]:
    """Everything the page shows per milestone; the engine gives the dependencies (no extra queries
    beyond the program's offsets)."""
    try:
        planned_by_key = {m.key: m for m in scheduling.program_plan(program, milestones)}
    except engine.TimelineError:
        planned_by_key = {}
    depends = {key: m.depends_on for key, m in planned_by_key.items()}
    profile = scheduling.calendar_profile(program.municipality)

    def moved_label(m: Milestone) -> str:
        engine_m = planned_by_key.get(m.key)
        if m.status != Milestone.Status.PLANNED or engine_m is None or not engine_m.shifted:
            return ""
        off = engine.day_off(engine_m.computed, profile)
        if engine_m.date != m.planned or off is None:
            return ""
        return gettext("moved from %(date)s: %(reason)s") % {
            "date": short(engine_m.computed),
            "reason": scheduling.day_off_text(engine_m.computed, off),
        }

    if not milestones:
        return []
    short = date_formatter()
    hebrew_dates: dict[date, str] = {}
    in_hebrew = (translation.get_language() or "")[:2] == "he"

    def hebrew(day: date | None) -> str:
        """Around the holidays Israelis place a date by the Hebrew calendar ("the week after Sukkot")."""
        if not in_hebrew or day is None:
            return ""
        if day not in hebrew_dates:
            near = engine.near_holiday(day, profile)
            hebrew_dates[day] = hebrew_date(day, "he") if near else ""
        return hebrew_dates[day]

    titles: dict[str, str] = {}

    def title(key: str) -> str:
        if key not in titles:
            titles[key] = milestone_title(key)
        return titles[key]

    meeting_url = _meeting_url_maker(program.municipality.slug)
    statuses = {value: str(label) for value, label in Milestone.Status.choices}
    alert_days = program.municipality.slip_alert_days
    rows = []
    for m in milestones:
        current = m.actual or m.planned
        late = max((today - m.planned).days if m.status == Milestone.Status.PLANNED else 0, 0)
        slip = m.slip_on(today)
        early = max(-slip, 0)
        if slip > 0:
            slip_label = ngettext("%(days)s day late", "%(days)s days late", slip) % {"days": slip}
        elif slip < 0:
            slip_label = ngettext("%(days)s day early", "%(days)s days early", early) % {
                "days": early
            }
        else:
            slip_label = ""
        severity = engine.slip_severity(slip, alert_days=alert_days)
        rows.append(
            Row(
                milestone=m,
                title=title(m.key),
                depends_on=", ".join(title(k) for k in depends.get(m.key, ())),
                current=current,
                slip=slip,
                early=early,
                late=late,
                planned=short(m.planned),
                originally=(
                    gettext("originally %(date)s") % {"date": short(m.baseline)}
                    if m.baseline and m.baseline != m.planned
                    else ""
                ),
                actual=short(m.actual),
                status=statuses.get(m.status, m.status),
                late_label=(
                    ngettext("%(days)s day overdue", "%(days)s days overdue", late) % {"days": late}
                    if late
                    else ""
                ),
                slip_label=slip_label,
                severity=severity,
                meeting_url=meeting_url(m.meeting_pk) if meeting_url and m.meeting_pk else None,
                moved_label=moved_label(m),
                depends_keys=tuple(depends.get(m.key, ())),
                hebrew_planned=hebrew(m.planned),
                hebrew_actual=hebrew(m.actual),
            )
        )
    return rows


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
    milestones = _milestones(program) if program.scope_decision_date else []
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
    milestones = _milestones(program)
    changes = chart = None
    previewed = ""
    if request.method == "POST":
        form = RescheduleForm(request.POST, milestones=milestones)
        if form.is_valid():
            milestone = get_for_municipality(
                Milestone.objects,
                request.municipality,
                program=program,
                key=form.cleaned_data["milestone"],
            )
            action, when = form.cleaned_data["action"], form.cleaned_data["date"]
            # Confirm saves only what the preview showed: a field changed after the preview shows the
            # new preview instead of saving something the manager has not seen.
            previewed = f"{milestone.key}|{action}|{when.isoformat()}"
            try:
                if "confirm" in request.POST and request.POST.get("previewed") == previewed:
                    if action == "hold":
                        moved = scheduling.milestone_hold(
                            milestone=milestone, actual=when, actor=request.user
                        )
                    else:
                        moved = scheduling.milestone_pin(
                            milestone=milestone, date=when, actor=request.user
                        )
                    messages.success(
                        request,
                        gettext("Saved. %(count)s dates moved.") % {"count": len(moved)},
                    )
                    return redirect("kehila:timeline", slug=request.municipality.slug)
                moves = scheduling.timeline_preview(
                    program=program, key=milestone.key, when=when, action=action
                )
                changes = _describe(moves)
                chart = _preview_chart(program, milestones, moves) if moves else None
            except ValidationError as error:
                form.add_error(None, error)
                changes = chart = None
    else:
        form = RescheduleForm(
            initial={"milestone": request.GET.get("key", "")}, milestones=milestones
        )
    return render(
        request,
        "kehila/timeline_reschedule.html",
        {
            "form": form,
            "changes": changes,
            "chart": chart,
            "program": program,
            "previewed": previewed if changes is not None else "",
        },
        status=400 if form.errors else 200,
    )


def _preview_chart(program: Program, milestones: list[Milestone], moves) -> dict:
    """Before and after, drawn as the timeline is: two bars per milestone that would move."""
    try:
        plan = scheduling.program_plan(program, milestones)
    except engine.TimelineError:
        plan = []
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


class OffsetsForm(forms.Form):
    """Months and days per rule; starts from the program's overrides, else the defaults."""

    def __init__(self, *args, current: dict[str, engine.Offset], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for name, default in engine.DEFAULT_OFFSETS.items():
            value = current.get(name, default)
            rule = engine.RULES[name]
            after = rule.after or ""
            months = forms.IntegerField(
                label=_("Months"), min_value=0, max_value=24, initial=value.months
            )
            days = forms.IntegerField(
                label=_("Days"), min_value=0, max_value=365, initial=value.days
            )
            self.fields[f"{name}-months"] = months
            self.fields[f"{name}-days"] = days
            self.rows.append(
                {
                    "name": name,
                    "title": scheduling.rule_title(name),
                    "after": scheduling.rule_title(after) if after else "",
                    "default": default,
                    "changed": name in current,
                }
            )

    def bound_rows(self):
        for row in self.rows:
            yield {
                **row,
                "months": self[f"{row['name']}-months"],
                "days": self[f"{row['name']}-days"],
                "errors": [
                    *self.errors.get(f"{row['name']}-months", []),
                    *self.errors.get(f"{row['name']}-days", []),
                ],
            }

    def offsets(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {
            row["name"]: (data[f"{row['name']}-months"], data[f"{row['name']}-days"])
            for row in self.rows
        }


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
    open_rows = list(
        Milestone.objects.filter(
            municipality=municipality, status=Milestone.Status.PLANNED
        ).order_by("planned", "key")[:50]
    )
    has_plan = bool(open_rows) or Milestone.objects.filter(municipality=municipality).exists()
    overdue = [m for m in open_rows if m.planned < today]
    upcoming = [m for m in open_rows if m.planned >= today][:3]
    return {
        "template": "kehila/timeline_panel.html",
        "order": 5,
        "context": {
            "has_plan": has_plan,
            "overdue": overdue,
            "upcoming": upcoming,
            "today": today,
        },
    }


COMMUNITY_LABELS = {
    "jewish": _("Jewish"),
    "muslim": _("Muslim"),
    "christian": _("Christian"),
    "druze": _("Druze"),
}
# Sunday first, as an Israeli week is read; values are Python's weekday numbers (Monday is 0).
WEEKDAY_CHOICES = [
    (6, _("Sunday")),
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
]
AVOID_LABELS = {
    "avoid_holiday_eves": _("Holiday eves (Rosh Hashanah, Yom Kippur, Pesach, Shavuot, Sukkot)"),
    "avoid_chol_hamoed": _("Chol HaMoed Pesach and Sukkot"),
    "avoid_remembrance_day": _("Remembrance Day"),
    "avoid_holocaust_remembrance_day": _("Holocaust Remembrance Day"),
    "avoid_tisha_bav": _("Tisha B'Av"),
}


class CalendarForm(forms.Form):
    communities = forms.MultipleChoiceField(
        label=_("Communities whose holidays the timeline keeps free"),
        choices=list(COMMUNITY_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Public holidays are always kept free. Muslim: Eid al-Fitr and Eid al-Adha with their "
            "eves. Christian: Christmas and Easter, Western and Orthodox. Druze: Eid al-Adha and "
            "the festival of Nabi Shu'ayb."
        ),
    )
    work_week = forms.TypedMultipleChoiceField(
        label=_("Work week"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field_name, label in AVOID_LABELS.items():
            self.fields[field_name] = forms.BooleanField(label=label, required=False)

    def avoid(self) -> set[str]:
        return {
            kind
            for field_name, kind in scheduling.AVOID_FIELDS.items()
            if self.cleaned_data[field_name]
        }

    @classmethod
    def initial_for(cls, municipality) -> dict:
        return {
            "communities": municipality.calendar_communities,
            "work_week": municipality.work_week,
            **{name: getattr(municipality, name) for name in scheduling.AVOID_FIELDS},
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
