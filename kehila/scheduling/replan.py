"""Re-planning: the engine's plan compared with the stored milestones and written under the program's
lock, and the preview of what holding or pinning a milestone would move."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import signals
from .. import timeline as engine
from ..models import Milestone, Program
from ..permissions import SYSTEM
from .plans import (
    _inputs,
    _planned_dates,
    calendar_profile,
    full_plan,
    is_chain_key,
    program_offsets,
    program_plan,
)
from .texts import error_message


@dataclass
class _Replan:
    """What a re-plan would write: the engine's changes and the rows behind them."""

    changes: list[engine.Change] = field(default_factory=list)
    new_rows: list[Milestone] = field(default_factory=list)
    updated: dict[int, Milestone] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    cancelled: list[Milestone] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)

    def writes_nothing(self) -> bool:
        return not (self.new_rows or self.updated or self.cancelled or self.deleted)


def _replan(program: Program, memo: dict) -> _Replan:
    """Compare the engine's plan with the stored rows; writes nothing."""
    result = _Replan()
    rows = {m.key: m for m in Milestone.objects.filter(program=program)}
    offsets = program_offsets(program)
    try:
        plan = program_plan(program, rows.values(), offsets=offsets, memo=memo)
        baseline_plan = full_plan(
            t0=program.scope_decision_date,
            tracks=program.tracks,
            offsets=offsets,
            memo=memo,
            profile=calendar_profile(program.municipality),
        )
    except engine.TimelineError as error:
        raise ValidationError(error_message(error), code=error.code) from error
    baseline = {m.key: m.date for m in baseline_plan}
    dates = _planned_dates(plan, rows.values())

    for pm in plan:
        when = dates[pm.key]
        row = rows.get(pm.key)
        if row is None:
            result.new_rows.append(
                Milestone(
                    municipality_id=program.municipality_id,
                    program=program,
                    key=pm.key,
                    planned=when,
                    baseline=baseline.get(pm.key),
                    actual=when if pm.held else None,
                    status=Milestone.Status.HELD if pm.held else Milestone.Status.PLANNED,
                )
            )
            result.changes.append(engine.Change(pm.key, None, when))
            continue
        fields = []
        if row.planned != when:
            result.changes.append(engine.Change(pm.key, row.planned, when))
            row.planned = when
            fields.append("planned")
        if row.baseline != baseline.get(pm.key):
            row.baseline = baseline.get(pm.key)
            fields.append("baseline")
        if row.status == Milestone.Status.CANCELLED:
            row.status = Milestone.Status.PLANNED
            fields.append("status")
        if pm.key == "scope_decision" and row.actual != when:
            row.actual, row.status = when, Milestone.Status.HELD
            fields += ["actual", "status"]
        if fields:
            result.updated[row.pk] = row
            result.fields.update(fields)

    # Keys the plan no longer has (a track dropped, a regular month now holds a milestone meeting).
    planned_keys = {pm.key for pm in plan}
    vanished = [
        row
        for key, row in rows.items()
        if key not in planned_keys and row.status == Milestone.Status.PLANNED
    ]
    linked = _linked_ids([row.pk for row in vanished]) if vanished else set()
    for row in vanished:
        result.changes.append(engine.Change(row.key, row.planned, None))
        if row.pk in linked:
            result.cancelled.append(row)
        else:
            result.deleted.append(row.pk)
    return result


def _linked_ids(ids: list[int]) -> set[int]:
    """Milestones another app's row points to (a meeting): kept, cancelled, rather than deleted. Found
    through the model's relations, so the core never names the app that links to it."""
    linked = set()
    for relation in Milestone._meta.related_objects:
        field = relation.field
        linked.update(
            relation.related_model._base_manager.filter(**{f"{field.name}__in": ids}).values_list(
                field.attname, flat=True
            )
        )
    return linked


@transaction.atomic
def timeline_replan(*, program: Program, actor=None) -> list[engine.Change]:
    """Re-run the engine with the held and pinned dates from the database and store the result.

    Returns what moved (engine `Change`s: appeared, moved, vanished). The program row is locked before
    anything is written, so that concurrent re-plans (two ticks, a tick and a manager) run one after
    the other. Whatever follows a moved milestone (its meeting) is moved in this transaction by the
    receivers of `signals.milestones_moved`, as `actor` (the system when none is given).
    """
    # Nearly every re-plan (each program, every day) finds nothing to do: it looks first without the
    # lock, which would cost a write and a flush to disk per program. Whoever changes a date re-plans
    # in the same transaction, so a plan read here is never left behind by a change in flight.
    # When it does, the plan is worked out again under the lock from what the rows say then; the
    # engine runs again only if they changed in between.
    memo = {}
    # With its municipality: the calendar profile the engine plans on is the municipality's.
    programs = Program.objects.select_related("municipality")
    program = programs.get(pk=program.pk)
    if program.scope_decision_date is None or _replan(program, memo).writes_nothing():
        return []
    program = programs.select_for_update(of=("self",)).get(pk=program.pk)
    if program.scope_decision_date is None:
        return []
    result = _replan(program, memo)
    now = timezone.now()
    for row in result.updated.values():
        row.updated_at = now
    # Rows that changed are written in one statement; each keeps its own values in every field.
    Milestone.objects.bulk_update(result.updated.values(), [*result.fields, "updated_at"])
    Milestone.objects.bulk_create(result.new_rows)
    for row in result.cancelled:
        row.status, row.updated_at = Milestone.Status.CANCELLED, now
    Milestone.objects.bulk_update(result.cancelled, ["status", "updated_at"])
    if result.deleted:
        Milestone.objects.filter(pk__in=result.deleted).delete()
    moved = [row.pk for row in result.updated.values()] + [row.pk for row in result.cancelled]
    if moved:
        signals.milestones_moved.send(
            sender=Milestone, program=program, milestone_ids=moved, actor=actor or SYSTEM
        )
    return result.changes


def timeline_preview(
    *, program: Program, key: str, when: date | None, action: str
) -> list[engine.Change]:
    """What would move if `key` were held (`action="hold"`) or pinned (`"pin"`) on `when`. Writes nothing.

    Raises ValidationError (translated) when the engine refuses the date.
    """
    rows = list(program.milestones.all())
    held, pinned = _inputs(rows)
    current = _planned_dates(program_plan(program, rows), rows)
    old = [_Dated(k, d) for k, d in current.items()]
    new_held, new_pinned = dict(held), dict(pinned)
    new_pinned.pop(key, None)
    if action == "hold":
        new_held[key] = when
    elif when is not None:
        new_pinned[key] = when
    try:
        if is_chain_key(key):
            plan = full_plan(
                t0=program.scope_decision_date,
                tracks=program.tracks,
                offsets=program_offsets(program),
                held=new_held,
                pinned=new_pinned,
                profile=calendar_profile(program.municipality),
            )
            dates = _planned_dates(plan, rows)
        else:
            dates = dict(current)
            if when is not None:
                dates[key] = when
    except engine.TimelineError as error:
        raise ValidationError({"date": [error_message(error)]}, code=error.code) from error
    new = [_Dated(k, d) for k, d in sorted(dates.items(), key=lambda item: (item[1], item[0]))]
    return engine.diff(old, new)


class _Dated:
    __slots__ = ("key", "date")

    def __init__(self, key: str, when: date):
        self.key, self.date = key, when
