"""What kehila's pages read: HQ's overview and the timeline's rows, as plain data with every string
already written.

Per row, a model instance, a `{% url %}` and a `|date` cost more than the rest of such a page (HQ lists
every municipality in the country; a timeline has dozens of milestones), so these read values, reverse
each URL once (kehila.rows) and format each distinct date once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from django.db.models import F, OuterRef, Subquery
from django.urls import NoReverseMatch
from django.utils import translation
from django.utils.translation import gettext, ngettext

from . import scheduling
from . import timeline as engine
from .formatting import hebrew_date
from .models import Milestone, Municipality, Program, Stage, milestone_title
from .rows import date_formatter, url_maker

# --- HQ's overview ------------------------------------------------------------------------------------

_OVERVIEW_COLUMNS = (
    "id",
    "name",
    "slug",
    "program__start_date",
    "program__scope_decision_date",
    "next_key",
    "next_planned",
    "next_baseline",
    "late_baseline",
    "slip_alert_days",
    "paused_at",
)


def _overview_values(today: date) -> list:
    """One query: the next milestone not yet held, counted from today (an overdue one is overdue, not
    next: kehila.timeline.next_not_held), and the earliest overdue one, whose slip grows every day,
    come in as annotations through the program's (program, status, planned) index."""
    open_milestones = Milestone.objects.filter(
        program=OuterRef("program"), status=Milestone.Status.PLANNED
    ).order_by("planned", "key")
    upcoming = open_milestones.filter(planned__gte=today)
    overdue = open_milestones.filter(planned__lt=today)
    return list(
        Municipality.objects.annotate(
            next_key=Subquery(upcoming.values("key")[:1]),
            next_planned=Subquery(upcoming.values("planned")[:1]),
            next_baseline=Subquery(upcoming.values("baseline")[:1]),
            late_baseline=Subquery(overdue.values("baseline")[:1]),
        )
        .order_by("name")
        .values_list(*_OVERVIEW_COLUMNS, named=True)
    )


def _overview_writers() -> SimpleNamespace:
    """What every row is written with, made once per page: many municipalities share a milestone or a
    date, so each title is written once."""
    return SimpleNamespace(
        dashboard_url=url_maker("kehila:dashboard", "slug"),
        timeline_url=url_maker("kehila:timeline", "slug"),
        check_url=url_maker("kehila:hq_check", "slug"),
        settings_url=url_maker("kehila:hq_municipality", "slug"),
        stages=dict(Stage.choices),
        all_held=gettext("All milestones held"),
        no_plan=gettext("No plan: no scope decision yet"),
        only_overdue=gettext("Only overdue milestones are left"),
        title=functools.cache(milestone_title),
        long_date=date_formatter("DATE_FORMAT"),
        short_date=date_formatter(),
    )


def _overview_row(values, stage: str | None, write: SimpleNamespace, today: date) -> dict:
    row = {
        "name": values.name,
        "url": write.dashboard_url(values.slug),
        "check_url": write.check_url(values.slug),
        "settings_url": write.settings_url(values.slug),
        "paused": values.paused_at is not None,
        "stage": write.stages.get(stage, stage) if stage else None,
        "start": write.long_date(values.program__start_date),
        "next": None,
        "slip": None,
    }
    if values.next_key:
        row["next"] = {
            "title": write.title(values.next_key),
            "date": write.short_date(values.next_planned),
            "url": write.timeline_url(values.slug),
        }
    elif values.late_baseline is not None:
        row["note"] = write.only_overdue
    else:
        row["note"] = write.all_held if values.program__scope_decision_date else write.no_plan
    slip = engine.municipality_slip(
        late_baseline=values.late_baseline,
        next_baseline=values.next_baseline if values.next_key else None,
        next_planned=values.next_planned,
        today=today,
    )
    if slip is not None:
        row["slip"] = slip
        row["alarm"] = engine.slip_severity(slip, alert_days=values.slip_alert_days) == "alarm"
    return row


def hq_overview(today: date, current_stages) -> dict:
    """HQ's table, a row per municipality, and each one's current stage by id (two queries and the
    stage facts'). The stage is derived from the facts by `current_stages` (the dashboard's, as on each
    dashboard), not Program.stage: the reads do not reach into the dashboard themselves."""
    municipalities = _overview_values(today)
    write = _overview_writers()
    current = current_stages([values.id for values in municipalities])
    rows = [
        _overview_row(values, current.get(values.id), write, today) for values in municipalities
    ]
    return {"rows": rows, "current_stages": current}


# --- the timeline -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One milestone of the table, with every string already formatted."""

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


def timeline_milestones(program: Program) -> list[Milestone]:
    """The program's milestones, cancelled ones left out, in the order of the plan. The meeting's id
    comes through the committees' link to the milestone (`Meeting.milestone`) in the same query, so
    kehila names no stage app."""
    return list(
        Milestone.objects.filter(program=program)
        .exclude(status=Milestone.Status.CANCELLED)
        .annotate(meeting_pk=F("meeting__pk"))
        .order_by("planned", "key")
    )


def program_plan_or_empty(program: Program, milestones: list[Milestone]) -> list:
    """The engine's plan; empty when the engine refuses the program (the page still shows the rows)."""
    try:
        return scheduling.program_plan(program, milestones)
    except engine.TimelineError:
        return []


def _meeting_url_maker(slug: str):
    """The committees' meeting URL for an id (None without the committees pages: they are optional
    for the timeline)."""
    try:
        return url_maker("committees:meeting", "meeting_id", slug=slug)
    except NoReverseMatch:
        return None


@dataclass
class _RowWriter:
    """What every row of one timeline is written with: the engine's plan by key, the municipality's
    calendar, and each title and Hebrew date written once."""

    today: date
    plan: dict
    profile: engine.CalendarProfile
    alert_days: int
    meeting_url: object  # a function of the meeting's id, or None
    short: object = field(default_factory=date_formatter)
    in_hebrew: bool = field(default_factory=lambda: (translation.get_language() or "")[:2] == "he")
    statuses: dict = field(
        default_factory=lambda: {value: str(label) for value, label in Milestone.Status.choices}
    )
    hebrew_dates: dict = field(default_factory=dict)
    title: object = field(default_factory=lambda: functools.cache(milestone_title))

    def depends(self, key: str) -> tuple[str, ...]:
        engine_m = self.plan.get(key)
        return tuple(engine_m.depends_on) if engine_m is not None else ()

    def hebrew(self, day: date | None) -> str:
        """Around the holidays Israelis place a date by the Hebrew calendar ("the week after Sukkot")."""
        if not self.in_hebrew or day is None:
            return ""
        if day not in self.hebrew_dates:
            near = engine.near_holiday(day, self.profile)
            self.hebrew_dates[day] = hebrew_date(day, "he") if near else ""
        return self.hebrew_dates[day]


def _moved_label(m: Milestone, write: _RowWriter) -> str:
    """Why a planned milestone is not on the rules' date: the day the rules gave was a day off."""
    engine_m = write.plan.get(m.key)
    if m.status != Milestone.Status.PLANNED or engine_m is None or not engine_m.shifted:
        return ""
    off = engine.day_off(engine_m.computed, write.profile)
    if engine_m.date != m.planned or off is None:
        return ""
    return gettext("moved from %(date)s: %(reason)s") % {
        "date": write.short(engine_m.computed),
        "reason": scheduling.day_off_text(engine_m.computed, off),
    }


def _slip_label(slip: int) -> str:
    if slip > 0:
        return ngettext("%(days)s day late", "%(days)s days late", slip) % {"days": slip}
    if slip < 0:
        return ngettext("%(days)s day early", "%(days)s days early", -slip) % {"days": -slip}
    return ""


def _row(m: Milestone, write: _RowWriter) -> Row:
    late = max((write.today - m.planned).days if m.status == Milestone.Status.PLANNED else 0, 0)
    slip = m.slip_on(write.today)
    depends = write.depends(m.key)
    return Row(
        milestone=m,
        title=write.title(m.key),
        depends_on=", ".join(write.title(k) for k in depends),
        current=m.actual or m.planned,
        slip=slip,
        early=max(-slip, 0),
        late=late,
        planned=write.short(m.planned),
        originally=(
            gettext("originally %(date)s") % {"date": write.short(m.baseline)}
            if m.baseline and m.baseline != m.planned
            else ""
        ),
        actual=write.short(m.actual),
        status=write.statuses.get(m.status, m.status),
        late_label=(
            ngettext("%(days)s day overdue", "%(days)s days overdue", late) % {"days": late}
            if late
            else ""
        ),
        slip_label=_slip_label(slip),
        severity=engine.slip_severity(slip, alert_days=write.alert_days),
        meeting_url=write.meeting_url(m.meeting_pk) if write.meeting_url and m.meeting_pk else None,
        moved_label=_moved_label(m, write),
        depends_keys=depends,
        hebrew_planned=write.hebrew(m.planned),
        hebrew_actual=write.hebrew(m.actual),
    )


def timeline_rows(program: Program, milestones: list[Milestone], today: date) -> list[Row]:
    """Everything the page shows per milestone; the engine gives the dependencies (no extra queries
    beyond the program's offsets)."""
    plan = {m.key: m for m in program_plan_or_empty(program, milestones)}
    profile = scheduling.calendar_profile(program.municipality)
    if not milestones:
        return []
    write = _RowWriter(
        today=today,
        plan=plan,
        profile=profile,
        alert_days=program.municipality.slip_alert_days,
        meeting_url=_meeting_url_maker(program.municipality.slug),
    )
    return [_row(m, write) for m in milestones]


# --- the dashboard's timeline card --------------------------------------------------------------------


def timeline_card(municipality, today: date) -> dict:
    """The next three milestones and the overdue ones (of the first fifty open), and whether there is a
    plan at all (two queries at most)."""
    open_rows = list(
        Milestone.objects.filter(
            municipality=municipality, status=Milestone.Status.PLANNED
        ).order_by("planned", "key")[:50]
    )
    has_plan = bool(open_rows) or Milestone.objects.filter(municipality=municipality).exists()
    return {
        "has_plan": has_plan,
        "overdue": [m for m in open_rows if m.planned < today],
        "upcoming": [m for m in open_rows if m.planned >= today][:3],
    }
