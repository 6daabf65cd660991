"""What kehila's pages read: HQ's overview, as plain data with every string already written.

Per row, a model instance, a `{% url %}` and a `|date` cost more than the rest of such a page (HQ lists
every municipality in the country; a timeline has dozens of milestones), so these read values, reverse
each URL once (kehila.rows) and format each distinct date once.
"""

from __future__ import annotations

import functools
from datetime import date
from types import SimpleNamespace

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext

from . import dashboard
from . import timeline as engine
from .models import Milestone, Municipality, Stage, milestone_title
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


def overview_slip(values, today: date) -> int | None:
    """A municipality's slip (one definition: kehila.timeline.slip_days) is that of whichever is later:
    its earliest overdue milestone, which slips a day for every day it is not held, or its next one.
    None when it has neither with a baseline."""
    slips = []
    if values.late_baseline:
        slips.append(
            engine.slip_days(baseline=values.late_baseline, planned=today, actual=None, today=today)
        )
    if values.next_key and values.next_baseline:
        slips.append(
            engine.slip_days(
                baseline=values.next_baseline, planned=values.next_planned, actual=None, today=today
            )
        )
    return max(slips) if slips else None


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
    slip = overview_slip(values, today)
    if slip is not None:
        row["slip"] = slip
        row["alarm"] = engine.slip_severity(slip, alert_days=values.slip_alert_days) == "alarm"
    return row


def hq_overview(today: date) -> dict:
    """HQ's table, a row per municipality, and each one's current stage by id (two queries and the
    stage facts'). The stage is derived from the facts, as on each dashboard (kehila.stages), not
    Program.stage."""
    municipalities = _overview_values(today)
    write = _overview_writers()
    current = dashboard.current_stages([values.id for values in municipalities])
    rows = [
        _overview_row(values, current.get(values.id), write, today) for values in municipalities
    ]
    return {"rows": rows, "current_stages": current}
