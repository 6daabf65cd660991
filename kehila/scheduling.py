"""The timeline's services and the daily tick: the engine (`kehila.timeline`) fed from the database.

This is the bottom layer of kehila: it imports no stage app. What follows a date (a committee meeting) is
announced through `kehila.signals`, and the committees app listens. The engine stays pure. Every write
goes through a service here: re-planning upserts `Milestone` rows under a lock on the program row, so two
ticks or a tick and a manager never interleave a plan; meetings are created with an idempotency key on
`Meeting` and every e-mail is queued in the outbox through `send_once` (`send_many` for a batch) with a
stable key, so a retried task (acks_late), a second tick or a second worker never creates or queues twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from . import signals
from . import timeline as engine
from .audit import log_action
from .mail import Outgoing, send_many
from .models import Milestone, Program, ProgramOffset, milestone_title
from .permissions import SYSTEM, require, users_who_can
from .profile import DIGEST, language_of, wants

logger = logging.getLogger(__name__)

# How far ahead the tick acts. Kept here, in one place, so the page can say what the tick will do.
MEETINGS_AHEAD = timedelta(weeks=6)
INVITATIONS_AHEAD = timedelta(weeks=3)
REMINDERS_AHEAD = timedelta(days=3)
DECISIONS_AHEAD = timedelta(days=14)
DIGEST_WEEKDAY = 6  # Sunday, the first day of the Israeli working week

# Milestones that are decisions someone must take (the manager is warned ahead of them).
DECISION_KEYS = frozenset({"plan_approval", "pilot_review"})

# engine committee -> committees.Committee kind; pilot milestones are checkpoints, not meetings.
MEETING_KINDS = {"steering": "steering", "design": "design", "team": "team", "event": "gathering"}
MEETING_TZ = ZoneInfo("Asia/Jerusalem")
MEETING_START = time(17, 0)
MEETING_LENGTH = {"design": timedelta(hours=2, minutes=30)}
DEFAULT_MEETING_LENGTH = timedelta(hours=2)


# --- reading the engine's inputs --------------------------------------------------------------


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


def error_message(error: engine.TimelineError) -> str:
    """The engine's error in the user's language, rebuilt from its code and params."""
    p = error.params
    if error.code == "not_after_predecessor":
        return gettext(
            "“%(title)s” on %(date)s would come before or on the day of “%(predecessor)s” "
            "(%(predecessor_date)s): choose a later date."
        ) % {
            "title": milestone_title(p["key"]),
            "date": date_format(p["date"], "SHORT_DATE_FORMAT"),
            "predecessor": milestone_title(p["predecessor"]),
            "predecessor_date": date_format(p["predecessor_date"], "SHORT_DATE_FORMAT"),
        }
    if error.code == "unknown_keys":
        return gettext("Unknown milestone: %(keys)s") % {"keys": ", ".join(p.get("keys", []))}
    if error.code == "unknown_tracks":
        return gettext("Unknown track: %(tracks)s") % {
            "tracks": ", ".join(str(t) for t in p.get("tracks", []))
        }
    return gettext("The program's timeline settings are not valid: %(detail)s") % {
        "detail": error.message
    }


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


def _holiday_names() -> dict[str, str]:
    return {
        "rosh_hashanah": gettext("Rosh Hashanah"),
        "yom_kippur": gettext("Yom Kippur"),
        "pesach": gettext("Pesach"),
        "shavuot": gettext("Shavuot"),
        "sukkot": gettext("Sukkot"),
        "eid_al_fitr": gettext("Eid al-Fitr"),
        "eid_al_adha": gettext("Eid al-Adha"),
        "christmas": gettext("Christmas"),
        "orthodox_christmas": gettext("Orthodox Christmas"),
        "easter": gettext("Easter"),
        "orthodox_easter": gettext("Orthodox Easter"),
        "good_friday": gettext("Good Friday"),
        "orthodox_good_friday": gettext("Orthodox Good Friday"),
        "nabi_shuayb": gettext("Nabi Shu'ayb"),
        "remembrance_day": gettext("Remembrance Day"),
        "holocaust_remembrance_day": gettext("Holocaust Remembrance Day"),
        "tisha_bav": gettext("Tisha B'Av"),
    }


def day_off_text(day: date, off: engine.DayOff) -> str:
    """Why `day` is kept free, in the user's language ("eve of Yom Kippur", "Friday")."""
    if off.kind == "weekend":
        return date_format(day, "l")
    if off.kind == "public_holiday":
        # The holidays package names Israel's public holidays in Hebrew and English itself, not in Arabic:
        # in Arabic the portal's own name of the holiday, where it has one.
        if translation.get_language() == "ar" and off.holiday in _holiday_names():
            return _holiday_names()[off.holiday]
        language = "he" if translation.get_language() == "he" else "en_US"
        return holidays.country_holidays("IL", years=day.year, language=language).get(
            day, off.reason
        )
    name = _holiday_names()[off.holiday]
    if off.kind == "holiday_eve":
        return gettext("eve of %(holiday)s") % {"holiday": name}
    if off.kind == "chol_hamoed":
        return gettext("Chol HaMoed %(holiday)s") % {"holiday": name}
    return name


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


# --- services ---------------------------------------------------------------------------------


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


def rule_title(name: str) -> str:
    """A rule's name for people: the milestone it dates (team rules cover every chosen track)."""
    if name.startswith("team_"):
        return gettext("Work team meeting %(number)s (every track)") % {"number": name[5:]}
    return milestone_title(name)


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


# --- the daily tick -----------------------------------------------------------------------------


def meeting_times(key: str, on: date) -> tuple[datetime, datetime]:
    starts = datetime.combine(on, MEETING_START, tzinfo=MEETING_TZ)
    return starts, starts + MEETING_LENGTH.get(committee_of(key), DEFAULT_MEETING_LENGTH)


def _managers(program: Program) -> list:
    return [
        user
        # With the profile: each e-mail's language and the digest choice without a query per person.
        for user in users_who_can(
            "receive_timeline_warnings", program.municipality_id
        ).select_related("profile")
        if user.email and user.is_active
    ]


def _mail(*, key: str, user, template: str, context: dict, program: Program) -> Outgoing:
    return Outgoing(
        key=f"{key}:{user.pk}",
        to=user.email,
        subject_template=f"kehila/email/timeline_{template}_subject.txt",
        body_template=f"kehila/email/timeline_{template}_body.txt",
        context={"user": user, "program": program, "municipality": program.municipality, **context},
        language=language_of(user),
        municipality=program.municipality,
    )


def _warn(program: Program, today: date) -> int:
    managers = _managers(program)
    if not managers:
        return 0
    rows = list(
        Milestone.objects.filter(program=program, status=Milestone.Status.PLANNED).order_by(
            "planned", "key"
        )
    )
    overdue = [m for m in rows if m.planned < today]
    decisions = [
        m for m in rows if m.key in DECISION_KEYS and today <= m.planned <= today + DECISIONS_AHEAD
    ]
    # Every day the same overdue milestones come round again: their keys are checked in one query
    # (send_many), and only what is new is rendered.
    messages = []
    for user in managers:
        for m in overdue:
            messages.append(
                _mail(
                    key=f"overdue:{m.pk}:{m.planned.isoformat()}",
                    user=user,
                    template="overdue",
                    context={"milestone": m, "days_late": (today - m.planned).days},
                    program=program,
                )
            )
        for m in decisions:
            messages.append(
                _mail(
                    key=f"decision:{m.pk}:{m.planned.isoformat()}",
                    user=user,
                    template="decision",
                    context={"milestone": m, "days_left": (m.planned - today).days},
                    program=program,
                )
            )
        # The digest is the person's to switch off (My account); the warnings are not: they are the
        # manager's accountability for the plan's dates.
        if today.weekday() == DIGEST_WEEKDAY and wants(user, DIGEST):
            year, week, _day = today.isocalendar()
            upcoming = [m for m in rows if today <= m.planned <= today + timedelta(days=14)]
            messages.append(
                _mail(
                    key=f"digest:{program.pk}:{year}-W{week:02d}",
                    user=user,
                    template="digest",
                    context={"overdue": overdue, "upcoming": upcoming, "today": today},
                    program=program,
                )
            )
    return send_many(messages)


def program_tick(*, program: Program, today: date) -> dict:
    """One program's daily round. Each step is idempotent on its own, so a re-run is harmless."""
    result = {"moved": 0, "emails": 0}
    if program.municipality.paused_at is not None:
        # Paused by HQ: nothing is planned, moved or sent (a task queued before the pause lands here).
        return result
    # The stage apps' own daily steps (e.g. action items' reminders) do not wait for the timeline's scope.
    for _receiver, counts in signals.program_day.send(sender=Program, program=program, today=today):
        for name, count in (counts or {}).items():
            result[name] = result.get(name, 0) + count
    if program.scope_decision_date is None:
        return result
    # What took place first (a held meeting holds its milestone), then the plan, then what is due.
    signals.timeline_tick_started.send(sender=Program, program=program, today=today)
    try:
        result["moved"] = len(timeline_replan(program=program))
    except ValidationError:
        logger.exception("program %s: the timeline cannot be re-planned", program.pk)
    for _receiver, counts in signals.timeline_tick.send(
        sender=Program, program=program, today=today
    ):
        for name, count in (counts or {}).items():
            result[name] = result.get(name, 0) + count
    result["emails"] = _warn(program, today)
    return result


# --- demo -------------------------------------------------------------------------------------


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
