"""The timeline's services: every change a manager makes to a program's dates and timeline settings,
and the demo's timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import timeline as engine
from ..audit import log_action
from ..models import Milestone, Program, ProgramOffset
from ..permissions import require
from .plans import AVOID_FIELDS
from .replan import timeline_preview, timeline_replan


def _check_open(milestone: Milestone) -> None:
    if milestone.key == "scope_decision":
        raise ValidationError(
            {"date": [gettext("The scope decision date is changed on the program, not here.")]}
        )
    if milestone.status == Milestone.Status.CANCELLED:
        raise ValidationError({"date": [gettext("This milestone was cancelled.")]})


@transaction.atomic
def milestone_hold(*, milestone: Milestone, actual: date, actor) -> list[engine.Change]:
    """Record the day a milestone took place; its dependents follow that date from now on."""
    require(actor, "manage_timeline", milestone)
    _check_open(milestone)
    program = Program.objects.select_for_update().get(pk=milestone.program_id)
    changes = timeline_preview(program=program, key=milestone.key, when=actual, action="hold")
    milestone.actual = actual
    milestone.status = Milestone.Status.HELD
    milestone.full_clean()
    milestone.save(update_fields=["actual", "status", "updated_at"])
    timeline_replan(program=program, actor=actor)
    log_action(
        actor=actor,
        action="timeline.milestone_held",
        obj=milestone,
        data={"key": milestone.key, "actual": actual.isoformat()},
    )
    return changes


@transaction.atomic
def milestone_pin(*, milestone: Milestone, date: date | None, actor) -> list[engine.Change]:
    """Fix a milestone's date by hand (None releases it to the rules); its dependents follow it."""
    require(actor, "manage_timeline", milestone)
    _check_open(milestone)
    if milestone.status == Milestone.Status.HELD:
        raise ValidationError(
            {
                "date": [
                    gettext("This milestone already took place: record its actual date instead.")
                ]
            }
        )
    program = Program.objects.select_for_update().get(pk=milestone.program_id)
    changes = timeline_preview(program=program, key=milestone.key, when=date, action="pin")
    milestone.pinned = date
    milestone.full_clean()
    milestone.save(update_fields=["pinned", "updated_at"])
    timeline_replan(program=program, actor=actor)
    log_action(
        actor=actor,
        action="timeline.milestone_pinned",
        obj=milestone,
        data={"key": milestone.key, "pinned": date.isoformat() if date else None},
    )
    return changes


# What other apps require before T0 is set: `check(program) -> str | None` (None, or a message saying
# what is missing). Apps register theirs in their AppConfig.ready() (strategy: the agreement in force),
# so the core names no stage app. Every way to decide the scope passes here.
SCOPE_PRECONDITIONS: list = []


def register_scope_precondition(check) -> None:
    if check not in SCOPE_PRECONDITIONS:
        SCOPE_PRECONDITIONS.append(check)


def scope_blocker(program: Program) -> str | None:
    for check in SCOPE_PRECONDITIONS:
        message = check(program)
        if message:
            return message
    return None


@transaction.atomic
def program_scope_decide(
    *,
    program: Program,
    decided_on: date,
    tracks: list[str],
    actor,
    geographic_focus: str | None = None,
) -> list[engine.Change]:
    """Record the steering committee's scope decision: it sets T0 and the tracks (and, when the decision
    names it, the geographic focus), and lays out the plan."""
    blocker = scope_blocker(program)
    if blocker:
        raise ValidationError(blocker, code="scope_precondition")
    program = Program.objects.select_for_update().get(pk=program.pk)
    program.scope_decision_date = decided_on
    program.tracks = list(tracks)
    fields = ["scope_decision_date", "tracks"]
    if geographic_focus is not None:
        program.geographic_focus = geographic_focus
        fields.append("geographic_focus")
    program.full_clean()
    program.save(update_fields=fields)
    changes = timeline_replan(program=program, actor=actor)
    log_action(
        actor=actor,
        action="timeline.scope_decided",
        obj=program,
        municipality=program.municipality,
        data={"date": decided_on.isoformat(), "tracks": list(tracks)},
    )
    return changes


@transaction.atomic
def municipality_slip_threshold_set(*, municipality, days: int, actor) -> None:
    """How many days late a milestone must be before the timeline and HQ show it as an alarm."""
    require(actor, "manage_timeline", municipality)
    municipality.slip_alert_days = days
    municipality.full_clean(validate_unique=False)
    municipality.save(update_fields=["slip_alert_days"])
    log_action(
        actor=actor,
        action="timeline.slip_threshold_set",
        obj=municipality,
        municipality=municipality,
        data={"days": days},
    )


@transaction.atomic
def program_offsets_set(
    *, program: Program, offsets: dict[str, tuple[int, int]], actor
) -> list[engine.Change]:
    """Replace the program's offset overrides (rule -> (months, days)) and re-plan once.

    A value equal to the default removes the override, so the table only holds real choices. Nothing is
    written when any value is refused (the engine's rules, or a held date the new offsets would put
    before its predecessor).
    """
    require(actor, "manage_timeline", program)
    program = Program.objects.select_for_update().get(pk=program.pk)
    errors = {}
    wanted = {}
    for rule, (months, days) in offsets.items():
        if rule not in engine.DEFAULT_OFFSETS:
            errors[rule] = gettext("Unknown timeline rule.")
            continue
        try:
            offset = engine.Offset(days=days, months=months)
        except engine.TimelineError:
            errors[rule] = gettext(
                "An offset must be at least one day or one month, never negative."
            )
            continue
        if offset != engine.DEFAULT_OFFSETS[rule]:
            wanted[rule] = offset
    if errors:
        raise ValidationError(errors)
    current = {row.rule: row for row in program.offsets.all()}
    ProgramOffset.objects.filter(program=program).exclude(rule__in=wanted).delete()
    for rule, offset in wanted.items():
        row = current.get(rule) or ProgramOffset(
            program=program, municipality_id=program.municipality_id, rule=rule
        )
        row.days, row.months = offset.days, offset.months
        row.full_clean()
        row.save()
    changes = timeline_replan(program=program, actor=actor)
    log_action(
        actor=actor,
        action="timeline.offsets_set",
        obj=program,
        municipality=program.municipality,
        data={rule: [o.months, o.days] for rule, o in wanted.items()},
    )
    return changes


@transaction.atomic
def municipality_calendar_set(
    *,
    municipality,
    communities: Iterable[str],
    work_week: Iterable[int],
    avoid: Iterable[str],
    actor,
) -> list[engine.Change]:
    """Set whose holidays and which days the municipality's timeline avoids, and re-plan once.

    Raises ValidationError (translated) for an empty mix or work week; nothing is written then.
    """
    require(actor, "manage_calendar", municipality)
    try:
        profile = engine.CalendarProfile(communities=communities, avoid=avoid, work_week=work_week)
    except engine.TimelineError as error:
        field_name = error.params.get("field")
        message = {
            "communities": gettext("Choose at least one community."),
            "work_week": gettext("Choose at least one day of the work week."),
        }.get(field_name, error.message)
        raise ValidationError({field_name or "__all__": message}, code=error.code) from error
    municipality.calendar_communities = sorted(profile.communities)
    municipality.work_week = sorted(profile.work_week)
    for field_name, kind in AVOID_FIELDS.items():
        setattr(municipality, field_name, kind in profile.avoid)
    municipality.save(update_fields=["calendar_communities", "work_week", *AVOID_FIELDS])
    changes = []
    program = Program.objects.filter(municipality=municipality).first()
    if program is not None and program.scope_decision_date is not None:
        changes = timeline_replan(program=program)
    log_action(
        actor=actor,
        action="timeline.calendar_set",
        obj=municipality,
        municipality=municipality,
        data={
            "communities": municipality.calendar_communities,
            "work_week": municipality.work_week,
            "avoid": sorted(profile.avoid),
        },
    )
    return changes


def demo_load(program: Program, users: dict) -> None:
    """The demo municipality's timeline: the scope decided at the steering meeting twenty days ago. Its
    design meeting 1 is the committees' demo meeting, which links itself afterwards and so moves the
    milestone to its own day (one date: the timeline shows that slip, and design 1 as what is next).
    A second run adds nothing."""
    if program.scope_decision_date is not None:
        return
    manager = users.get("manager")
    t0 = engine.next_working_day(timezone.localdate() - timedelta(days=20))
    program_scope_decide(
        program=program, decided_on=t0, tracks=program.tracks or ["social", "urban"], actor=manager
    )
