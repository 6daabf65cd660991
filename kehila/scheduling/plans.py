"""The engine fed from the database: a program's offsets, held and pinned dates and calendar read from
its rows, and the plan they give (the chain plus the year-one regular meetings)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .. import timeline as engine
from ..models import Milestone, Program, ProgramOffset


def committee_of(key: str) -> str:
    """The engine committee a key belongs to (regular meetings included)."""
    parts = engine.parse_key(key)
    if parts.kind == "steering_regular":
        return "steering"
    if parts.kind == "design_regular":
        return "design"
    return engine.RULES[engine.rule_name(key)].committee


def is_chain_key(key: str) -> bool:
    return engine.parse_key(key).month is None


def program_offsets(program: Program, rows: Iterable[ProgramOffset] | None = None) -> dict:
    rows = program.offsets.all() if rows is None else rows
    return {row.rule: engine.Offset(days=row.days, months=row.months) for row in rows}


# Municipality field -> the engine's avoidable day kind.
AVOID_FIELDS = {
    "avoid_holiday_eves": "holiday_eve",
    "avoid_chol_hamoed": "chol_hamoed",
    "avoid_remembrance_day": "remembrance_day",
    "avoid_holocaust_remembrance_day": "holocaust_remembrance_day",
    "avoid_tisha_bav": "tisha_bav",
}


def calendar_profile(municipality) -> engine.CalendarProfile:
    """The engine's calendar profile from the municipality's settings."""
    return engine.CalendarProfile(
        communities=municipality.calendar_communities or ["jewish"],
        avoid={kind for field, kind in AVOID_FIELDS.items() if getattr(municipality, field)},
        work_week=municipality.work_week or engine.SUNDAY_TO_THURSDAY,
    )


def full_plan(
    *,
    t0: date,
    tracks: Iterable[str],
    offsets: dict | None = None,
    held: dict[str, date] | None = None,
    pinned: dict[str, date] | None = None,
    memo: dict | None = None,
    profile: engine.CalendarProfile = engine.DEFAULT_CALENDAR,
) -> list[engine.PlannedMilestone]:
    """The chain plus the year-one regular meetings. The scope decision is held at T0: it happened.

    With `memo` (a dict the caller keeps for a while), the same inputs give the plan again without
    running the engine twice: the engine is a pure function and its milestones are immutable."""
    if memo is not None:
        tracks = tuple(tracks)
        key = (
            t0,
            tracks,
            profile,
            *(tuple(sorted((d or {}).items())) for d in (offsets, held, pinned)),
        )
        if key not in memo:
            memo[key] = full_plan(
                t0=t0, tracks=tracks, offsets=offsets, held=held, pinned=pinned, profile=profile
            )
        return list(memo[key])
    held = {**(held or {}), "scope_decision": t0}
    pinned = {k: v for k, v in (pinned or {}).items() if k not in held}
    chain = engine.plan(
        t0=t0, tracks=tracks, offsets=offsets, held=held, pinned=pinned, profile=profile
    )
    regular = engine.regular_meetings(chain, t0=t0, profile=profile)
    return sorted(chain + regular, key=lambda m: (m.date, m.key))


def _inputs(milestones: Iterable[Milestone]) -> tuple[dict, dict]:
    held, pinned = {}, {}
    for m in milestones:
        if not is_chain_key(m.key):
            continue
        if m.status == Milestone.Status.HELD and m.actual:
            held[m.key] = m.actual
        elif m.pinned and m.status == Milestone.Status.PLANNED:
            pinned[m.key] = m.pinned
    return held, pinned


def program_plan(
    program: Program,
    milestones: Iterable[Milestone] | None = None,
    *,
    offsets: dict | None = None,
    held: dict | None = None,
    pinned: dict | None = None,
    memo: dict | None = None,
) -> list[engine.PlannedMilestone]:
    """The plan the engine gives for the program as the database has it (plus any overrides)."""
    if program.scope_decision_date is None:
        return []
    milestones = list(program.milestones.all()) if milestones is None else list(milestones)
    db_held, db_pinned = _inputs(milestones)
    db_held.update(held or {})
    for key in db_held:
        db_pinned.pop(key, None)
    db_pinned.update({k: v for k, v in (pinned or {}).items() if k not in db_held})
    return full_plan(
        t0=program.scope_decision_date,
        tracks=program.tracks,
        offsets=program_offsets(program) if offsets is None else offsets,
        held=db_held,
        pinned=db_pinned,
        memo=memo,
        profile=calendar_profile(program.municipality),
    )


def _planned_dates(plan: Iterable[engine.PlannedMilestone], rows: Iterable[Milestone]) -> dict:
    """Regular meetings are not engine inputs: their pin/hold is applied on top of the engine's date."""
    dates = {m.key: m.date for m in plan}
    for row in rows:
        if row.key in dates and not is_chain_key(row.key):
            if row.status == Milestone.Status.HELD and row.actual:
                dates[row.key] = row.actual
            elif row.pinned:
                dates[row.key] = row.pinned
    return dates
