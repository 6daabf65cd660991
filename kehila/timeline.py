"""The program timeline engine: pure rules over dates, no Django, no ORM, no clock.

The portal shows, previews and schedules a municipality's milestones from one function (`plan`), so
that the dashboard, the "what would move" preview and the reminder scheduler cannot disagree about a
date. Everything here is deterministic in its arguments: the caller loads the municipality's T0,
tracks, offset overrides, held and pinned dates, and persists whatever it wants from the result.

Errors are `TimelineError` with a plain English message *and* a stable `code` plus `params`, because
the Django side translates messages itself and must not parse English.

Terms:
- *key*: a concrete milestone, e.g. ``design_2`` or ``team_social_3``; stable, stored in the
  database.
- *rule name*: what an offset is attached to; the key itself, except that the four work-team
  meetings share ``team_1`` … ``team_4`` across tracks (one override moves every track alike).
- *kind*: the key family used for titles and translation (``design``, ``team``, ...), see
  `parse_key` and `KEY_KINDS`.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

import holidays
from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter
from dateutil.relativedelta import relativedelta

# The package's own Hebrew and Islamic calendars (what its Israel class is built on); exported by
# holidays.calendars, pinned in requirements.lock.
from holidays.calendars import _HebrewLunisolar, _IslamicLunar

__all__ = [
    "AVOIDABLE_KINDS",
    "COMMITTEES",
    "COMMUNITIES",
    "DEFAULT_CALENDAR",
    "DEFAULT_OFFSETS",
    "HOLIDAY_KINDS",
    "KEY_KINDS",
    "SUNDAY_TO_THURSDAY",
    "RULES",
    "TEAM_MEETINGS_PER_TRACK",
    "TRACKS",
    "CalendarProfile",
    "Change",
    "DayOff",
    "KeyParts",
    "Offset",
    "PlannedMilestone",
    "Rule",
    "TimelineError",
    "day_off",
    "diff",
    "is_working_day",
    "near_holiday",
    "next_working_day",
    "parse_key",
    "plan",
    "regular_meetings",
    "rule_name",
    "title",
]

TRACKS: tuple[str, ...] = ("economic", "urban", "social", "educational")
TEAM_MEETINGS_PER_TRACK = 4

Committee = Literal["steering", "design", "team", "event", "pilot"]
COMMITTEES: tuple[str, ...] = ("steering", "design", "team", "event", "pilot")


class TimelineError(ValueError):
    """Bad input to the engine.

    Carries `code` and `params` besides the English message because the caller shows the error in
    the user's language and must be able to rebuild it without parsing our wording.
    """

    def __init__(self, message: str, *, code: str, params: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.params: dict[str, Any] = dict(params or {})


@dataclass(frozen=True)
class Offset:
    """How far a milestone lies after its predecessor.

    Months are applied before days (``relativedelta`` semantics, month ends clamp: Jan 31 + 1 month
    is Feb 28/29) because the guidance speaks of "about three months" for the mapping and a
    calendar month is what a manager means by that. An offset must be strictly positive so that a
    computed milestone is always strictly after its predecessor, the same invariant we demand of
    held and pinned dates.
    """

    days: int = 0
    months: int = 0

    def __post_init__(self) -> None:
        for name in ("days", "months"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TimelineError(
                    f"Offset {name} must be a whole number, got {value!r}",
                    code="bad_offset",
                    params={"field": name, "value": value},
                )
        if self.days < 0 or self.months < 0 or (self.days == 0 and self.months == 0):
            raise TimelineError(
                f"Offset must be positive (days={self.days}, months={self.months})",
                code="bad_offset",
                params={"days": self.days, "months": self.months},
            )

    def after(self, d: date) -> date:
        return d + relativedelta(months=self.months, days=self.days)


@dataclass(frozen=True)
class Rule:
    """One line of the scheduling table.

    `after` names the predecessor's rule name; for team meetings it means "the same track's", and
    for ``design_4`` the predecessor ``team_4`` means "the latest fourth team meeting of any chosen
    track", falling back to `fallback` when no track was chosen. Kept as data (not code) so the
    settings page can show the manager what each offset is measured from.
    """

    name: str
    committee: Committee
    after: str | None
    default: Offset | None
    fallback: str | None = None


_TWO_WEEKS = Offset(days=14)

RULES: Mapping[str, Rule] = MappingProxyType(
    {
        rule.name: rule
        for rule in (
            Rule("scope_decision", "steering", None, None),
            Rule("design_1", "design", "scope_decision", _TWO_WEEKS),
            Rule("design_2", "design", "design_1", Offset(months=3)),
            Rule("launch_conference", "event", "design_2", _TWO_WEEKS),
            Rule("design_3", "design", "launch_conference", _TWO_WEEKS),
            Rule("team_1", "team", "design_3", _TWO_WEEKS),
            Rule("team_2", "team", "team_1", _TWO_WEEKS),
            Rule("team_3", "team", "team_2", _TWO_WEEKS),
            Rule("team_4", "team", "team_3", _TWO_WEEKS),
            Rule("design_4", "design", "team_4", _TWO_WEEKS, fallback="design_3"),
            Rule("design_5", "design", "design_4", _TWO_WEEKS),
            Rule("plan_approval", "steering", "design_5", _TWO_WEEKS),
            Rule("hackathon", "event", "launch_conference", Offset(months=1)),
            Rule("pilot_measurement", "pilot", "hackathon", Offset(months=6)),
            Rule("pilot_review", "pilot", "hackathon", Offset(months=9)),
        )
    }
)

# Read-only views: a caller mutating the defaults would silently re-plan every municipality.
DEFAULT_OFFSETS: Mapping[str, Offset] = MappingProxyType(
    {name: rule.default for name, rule in RULES.items() if rule.default is not None}
)


@dataclass(frozen=True)
class PlannedMilestone:
    """One dated milestone of a municipality's plan.

    `computed` is the raw rule date before the working-day shift, kept so the UI can explain
    "planned for Saturday, moved to Sunday"; for held and pinned milestones it is the date the rules
    would have given, so the UI can also show how far reality drifted from the plan.
    """

    key: str
    committee: Committee
    track: str | None
    date: date
    depends_on: tuple[str, ...]
    computed: date
    shifted: bool
    held: bool
    pinned: bool


class Change(NamedTuple):
    """A row of the "what would move" preview; None marks a milestone that appears or vanishes."""

    key: str
    old: date | None
    new: date | None


@dataclass(frozen=True)
class KeyParts:
    """A key split into what a translation table needs: kind, track, meeting number, month."""

    kind: str
    track: str | None = None
    number: int | None = None
    month: date | None = None  # first day of the month a regular meeting covers


KEY_KINDS: tuple[str, ...] = (
    "scope_decision",
    "design",
    "launch_conference",
    "team",
    "plan_approval",
    "hackathon",
    "pilot_measurement",
    "pilot_review",
    "steering_regular",
    "design_regular",
)


# --- the calendar -------------------------------------------------------------------------------

COMMUNITIES: tuple[str, ...] = ("jewish", "muslim", "christian", "druze")

# Days a municipality may choose to keep free of meetings, besides its weekend and the state's public
# holidays (always avoided: the state's offices and the program's HQ close). All are avoided by default.
AVOIDABLE_KINDS: tuple[str, ...] = (
    "holiday_eve",
    "chol_hamoed",
    "remembrance_day",
    "holocaust_remembrance_day",
    "tisha_bav",
)

SUNDAY_TO_THURSDAY: frozenset[int] = frozenset(
    {calendar.SUNDAY, calendar.MONDAY, calendar.TUESDAY, calendar.WEDNESDAY, calendar.THURSDAY}
)


@dataclass(frozen=True)
class CalendarProfile:
    """Which days a municipality keeps free of meetings.

    `communities` decides whose holidays are avoided, `avoid` which of the optional day kinds
    (`AVOIDABLE_KINDS`) are, `work_week` the weekdays (``calendar.MONDAY`` = 0) meetings may fall on.
    Frozen and hashable: the days off of a year are cached per profile.
    """

    communities: frozenset[str] = frozenset({"jewish"})
    avoid: frozenset[str] = frozenset(AVOIDABLE_KINDS)
    work_week: frozenset[int] = SUNDAY_TO_THURSDAY

    def __post_init__(self) -> None:
        for name in ("communities", "avoid", "work_week"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise TimelineError(
                    f"{name} must be a collection, got {value!r}",
                    code="bad_calendar",
                    params={"field": name, "value": value},
                )
            object.__setattr__(self, name, frozenset(value))
        checks = (
            ("communities", set(COMMUNITIES)),
            ("avoid", set(AVOIDABLE_KINDS)),
            ("work_week", set(range(7))),
        )
        for name, known in checks:
            unknown = sorted(str(v) for v in getattr(self, name) - known)
            if unknown:
                raise TimelineError(
                    f"Unknown {name}: {', '.join(unknown)}",
                    code="bad_calendar",
                    params={"field": name, "value": unknown},
                )
        if not self.communities:
            raise TimelineError(
                "A calendar needs at least one community",
                code="bad_calendar",
                params={"field": "communities", "value": []},
            )
        if not self.work_week:
            raise TimelineError(
                "A work week needs at least one day",
                code="bad_calendar",
                params={"field": "work_week", "value": []},
            )

    @classmethod
    def parse(cls, text: str, **kwargs: Any) -> CalendarProfile:
        """``"jewish,muslim"`` → a profile of that mix (the command line's ``--calendar``)."""
        return cls(communities={c.strip() for c in text.split(",") if c.strip()}, **kwargs)


DEFAULT_CALENDAR = CalendarProfile()


@dataclass(frozen=True)
class DayOff:
    """Why a day is avoided: a stable `kind` and `holiday` for translation, and English `reason`."""

    kind: str  # "weekend", "public_holiday", "community_holiday" or one of AVOIDABLE_KINDS
    holiday: str  # e.g. "yom_kippur", "eid_al_fitr"; "" for the weekend
    reason: str  # e.g. "eve of Yom Kippur"


_HOLIDAY_NAMES = {
    "rosh_hashanah": "Rosh Hashanah",
    "yom_kippur": "Yom Kippur",
    "pesach": "Pesach",
    "shavuot": "Shavuot",
    "sukkot": "Sukkot",
    "eid_al_fitr": "Eid al-Fitr",
    "eid_al_adha": "Eid al-Adha",
    "christmas": "Christmas",
    "orthodox_christmas": "Orthodox Christmas",
    "easter": "Easter",
    "orthodox_easter": "Orthodox Easter",
    "good_friday": "Good Friday",
    "orthodox_good_friday": "Orthodox Good Friday",
    "nabi_shuayb": "Nabi Shu'ayb",
    "remembrance_day": "Remembrance Day",
    "holocaust_remembrance_day": "Holocaust Remembrance Day",
    "tisha_bav": "Tisha B'Av",
}

# The Israeli "optional" category's English names (the package's own), mapped to our day kinds. The
# package applies the state's observed-date rules (Remembrance Day moves off Friday/Saturday, Tisha
# B'Av off Saturday), which is why we read these from it instead of from the Hebrew date.
_IL_OPTIONAL = {
    "Pesach holiday": ("chol_hamoed", "pesach"),
    "Sukkot holiday": ("chol_hamoed", "sukkot"),
    "Remembrance Day": ("remembrance_day", "remembrance_day"),
    "Tisha B'Av": ("tisha_bav", "tisha_bav"),
}

# Nabi Shu'ayb: the Druze festival, fixed by the state on 25 April, with the days of the pilgrimage to
# the shrine at Hittin that follow it (four days in all). Not in the holidays package.
_NABI_SHUAYB_DAYS = 4
# Eid al-Fitr lasts three days and Eid al-Adha four, as the Arab schools and councils keep them.
_EID_DAYS = {"eid_al_fitr": 3, "eid_al_adha": 4}


def _add(days: dict[date, DayOff], year: int, d: date, kind: str, holiday: str) -> None:
    # The first reason found wins: public holidays are added first, so "Yom Kippur" is never
    # relabelled as another community's eve falling on the same day.
    if d.year == year and d not in days:
        name = _HOLIDAY_NAMES[holiday]
        reason = {
            "holiday_eve": f"eve of {name}",
            "chol_hamoed": f"Chol HaMoed {name}",
        }.get(kind, name)
        days[d] = DayOff(kind=kind, holiday=holiday, reason=reason)


@functools.cache
def _days_off(
    year: int, communities: frozenset[str], avoid: frozenset[str]
) -> Mapping[date, DayOff]:
    """Every holiday of `year` the communities keep, by date. Cached: `plan` asks hundreds of times.

    From the holidays package: Israel's public and optional categories (public holidays with their
    observed dates, Chol HaMoed, Remembrance Day, Tisha B'Av), the Hebrew calendar (the first day
    of each festival, whose day before is its eve; 27 Nisan for Holocaust Remembrance Day), the
    Islamic calendar (Eid al-Fitr, Eid al-Adha), dateutil's Easter (Western and Orthodox).
    Computed here: each eve (the day before), Holocaust Remembrance Day's shift off Friday and
    Sunday (the 1959 law as amended in 1997), Nabi Shu'ayb (fixed), Orthodox Christmas (7 January,
    the Julian 25 December until 2100).
    """
    days: dict[date, DayOff] = {}
    public = holidays.country_holidays("IL", years=year, language="en_US")
    for d, name in sorted(public.items()):
        days[d] = DayOff(kind="public_holiday", holiday="", reason=name)

    if "jewish" in communities:
        hebrew = _HebrewLunisolar()
        for holiday in ("rosh_hashanah", "yom_kippur", "pesach", "shavuot", "sukkot"):
            method = "passover_date" if holiday == "pesach" else f"{holiday}_date"
            for y in (year, year + 1):  # Rosh Hashanah's eve can be in the year before
                first = getattr(hebrew, method)(y)
                if first and "holiday_eve" in avoid:
                    _add(days, year, first - timedelta(days=1), "holiday_eve", holiday)
        optional = holidays.country_holidays(
            "IL", years=year, categories=("optional",), language="en_US"
        )
        for d, names in sorted(optional.items()):
            for name in names.split("; "):
                if name in _IL_OPTIONAL and _IL_OPTIONAL[name][0] in avoid:
                    _add(days, year, d, *_IL_OPTIONAL[name])
        if "holocaust_remembrance_day" in avoid:
            shoah = hebrew.passover_date(year) + timedelta(days=12)  # 27 Nisan
            if shoah.weekday() == calendar.FRIDAY:
                shoah -= timedelta(days=1)
            elif shoah.weekday() == calendar.SUNDAY:
                shoah += timedelta(days=1)
            _add(days, year, shoah, "holocaust_remembrance_day", "holocaust_remembrance_day")

    if communities & {"muslim", "druze"}:
        islamic = _IslamicLunar()
        eids = ("eid_al_fitr", "eid_al_adha") if "muslim" in communities else ("eid_al_adha",)
        for holiday in eids:
            for y in (year, year + 1):
                for first, _confirmed in getattr(islamic, f"{holiday}_dates")(y):
                    for n in range(_EID_DAYS[holiday]):
                        _add(days, year, first + timedelta(days=n), "community_holiday", holiday)
                    if "holiday_eve" in avoid:
                        _add(days, year, first - timedelta(days=1), "holiday_eve", holiday)

    if "christian" in communities:
        for style, prefix in ((EASTER_WESTERN, ""), (EASTER_ORTHODOX, "orthodox_")):
            sunday = easter(year, style)
            _add(days, year, sunday, "community_holiday", f"{prefix}easter")
            _add(
                days, year, sunday - timedelta(days=2), "community_holiday", f"{prefix}good_friday"
            )
        _add(days, year, date(year, 12, 25), "community_holiday", "christmas")
        _add(days, year, date(year, 1, 7), "community_holiday", "orthodox_christmas")
        if "holiday_eve" in avoid:
            _add(days, year, date(year, 12, 24), "holiday_eve", "christmas")
            _add(days, year, date(year, 1, 6), "holiday_eve", "orthodox_christmas")

    if "druze" in communities:
        for n in range(_NABI_SHUAYB_DAYS):
            _add(days, year, date(year, 4, 25 + n), "community_holiday", "nabi_shuayb")
    return MappingProxyType(days)


def day_off(d: date, profile: CalendarProfile = DEFAULT_CALENDAR) -> DayOff | None:
    """Why no meeting is planned on `d` under `profile`, or None when it is a working day."""
    _require_date(d, "d")
    found = _days_off(d.year, profile.communities, profile.avoid).get(d)
    if found is not None:
        return found
    if d.weekday() not in profile.work_week:
        return DayOff(kind="weekend", holiday="", reason=_DAY_NAMES[d.weekday()])
    return None


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def is_working_day(d: date, profile: CalendarProfile = DEFAULT_CALENDAR) -> bool:
    """A day of the profile's work week that none of its communities' avoided holidays falls on."""
    return day_off(d, profile) is None


# The days that are a holiday of a calendar (not its eves, memorial days or weekend): what "near a
# holiday" is measured from.
HOLIDAY_KINDS: frozenset[str] = frozenset({"public_holiday", "community_holiday", "chol_hamoed"})


def near_holiday(d: date, profile: CalendarProfile = DEFAULT_CALENDAR, *, within: int = 7) -> bool:
    """Whether a holiday of the profile's communities falls within `within` days of `d` (either side):
    there the Hebrew calendar is how people place a date ("the week after Sukkot")."""
    _require_date(d, "d")
    for offset in range(-within, within + 1):
        day = d + timedelta(days=offset)
        found = _days_off(day.year, profile.communities, profile.avoid).get(day)
        if found is not None and found.kind in HOLIDAY_KINDS:
            return True
    return False


def next_working_day(d: date, profile: CalendarProfile = DEFAULT_CALENDAR) -> date:
    """`d` itself when it is a working day, else the first working day after it.

    Always forward: moving a meeting earlier could put it before its predecessor.
    """
    _require_date(d, "d")
    while not is_working_day(d, profile):
        d += timedelta(days=1)
    return d


def _require_date(value: object, name: str) -> None:
    # A datetime is a date subclass but would miss the holiday set (datetime != date) and drag
    # time zones into a date-only engine; refuse it loudly instead of computing nonsense.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (not a datetime), got {value!r}")


# --- keys ---------------------------------------------------------------------------------------

_DESIGN_RE = re.compile(r"design_([1-5])")
_TEAM_RE = re.compile(r"team_([a-z]+)_([1-9][0-9]*)")
_REGULAR_RE = re.compile(r"(steering|design)_regular_([0-9]{4})_([0-9]{2})")


def parse_key(key: str) -> KeyParts:
    """Split a key into kind/track/number/month so callers never parse key strings themselves."""
    if key in ("scope_decision", "launch_conference", "plan_approval", "hackathon"):
        return KeyParts(kind=key)
    if key in ("pilot_measurement", "pilot_review"):
        return KeyParts(kind=key)
    if m := _DESIGN_RE.fullmatch(key):
        return KeyParts(kind="design", number=int(m.group(1)))
    if (m := _TEAM_RE.fullmatch(key)) and m.group(1) in TRACKS:
        number = int(m.group(2))
        if number <= TEAM_MEETINGS_PER_TRACK:
            return KeyParts(kind="team", track=m.group(1), number=number)
    if m := _REGULAR_RE.fullmatch(key):
        year, month = int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12:
            return KeyParts(kind=f"{m.group(1)}_regular", month=date(year, month, 1))
    raise TimelineError(
        f"Unknown milestone key: {key}", code="unknown_keys", params={"keys": [key]}
    )


def rule_name(key: str) -> str:
    """The rule (offset) a key follows: ``team_social_2`` → ``team_2``, others map to themselves."""
    parts = parse_key(key)
    if parts.kind == "team":
        return f"team_{parts.number}"
    if parts.kind in ("steering_regular", "design_regular"):
        raise TimelineError(
            f"Regular meetings follow no offset rule: {key}",
            code="unknown_keys",
            params={"keys": [key]},
        )
    return key


# Spelled out rather than strftime("%B"): that follows the process locale, which may be Hebrew.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_TITLES = {
    "scope_decision": "Steering committee: scope decision",
    "launch_conference": "Municipal launch conference",
    "plan_approval": "Steering committee: strategic plan approval",
    "hackathon": "Hackathon",
    "pilot_measurement": "Pilot measurement and learning",
    "pilot_review": "Pilot review",
}


def title(key: str) -> str:
    """English default title; the Django side translates from `parse_key` instead of this text."""
    parts = parse_key(key)
    if parts.kind == "design":
        return f"Design committee meeting {parts.number}"
    if parts.kind == "team":
        return f"Work team ({parts.track}) meeting {parts.number}"
    if parts.month is not None:
        committee = "Steering" if parts.kind == "steering_regular" else "Design"
        month = _MONTH_NAMES[parts.month.month - 1]
        return f"{committee} committee regular meeting ({month} {parts.month.year})"
    return _TITLES[parts.kind]


# --- the plan -----------------------------------------------------------------------------------


def _chosen_tracks(tracks: Iterable[str]) -> tuple[str, ...]:
    # A bare string is iterable too; "social" would silently become tracks s, o, c, ...
    if isinstance(tracks, str):
        raise TimelineError(
            f"tracks must be a collection of track names, not the string {tracks!r}",
            code="unknown_tracks",
            params={"tracks": [tracks]},
        )
    given = set(tracks)
    unknown = sorted(str(t) for t in given - set(TRACKS))
    if unknown:
        raise TimelineError(
            f"Unknown tracks: {', '.join(unknown)} (known: {', '.join(TRACKS)})",
            code="unknown_tracks",
            params={"tracks": unknown},
        )
    # Canonical order, not the caller's: the plan's tie-break order must not depend on how a form
    # happened to list the checkboxes.
    return tuple(t for t in TRACKS if t in given)


def _chain(tracks: tuple[str, ...]) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """(key, rule name, track, depends_on) in dependency order; this order is also the tie-break."""
    out: list[tuple[str, str, str | None, tuple[str, ...]]] = [
        ("scope_decision", "scope_decision", None, ()),
        ("design_1", "design_1", None, ("scope_decision",)),
        ("design_2", "design_2", None, ("design_1",)),
        ("launch_conference", "launch_conference", None, ("design_2",)),
        ("design_3", "design_3", None, ("launch_conference",)),
    ]
    for track in tracks:
        previous = "design_3"
        for n in range(1, TEAM_MEETINGS_PER_TRACK + 1):
            key = f"team_{track}_{n}"
            out.append((key, f"team_{n}", track, (previous,)))
            previous = key
    last_team = tuple(f"team_{t}_{TEAM_MEETINGS_PER_TRACK}" for t in tracks) or ("design_3",)
    out += [
        ("design_4", "design_4", None, last_team),
        ("design_5", "design_5", None, ("design_4",)),
        ("plan_approval", "plan_approval", None, ("design_5",)),
        ("hackathon", "hackathon", None, ("launch_conference",)),
        ("pilot_measurement", "pilot_measurement", None, ("hackathon",)),
        ("pilot_review", "pilot_review", None, ("hackathon",)),
    ]
    return out


def _check_dates(mapping: Mapping[str, date], what: str, known: set[str]) -> None:
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise TimelineError(
            f"Unknown milestone keys in {what}: {', '.join(unknown)}",
            code="unknown_keys",
            params={"keys": unknown, "where": what},
        )
    for key, value in mapping.items():
        _require_date(value, f"{what}[{key!r}]")


def plan(
    *,
    t0: date,
    tracks: Iterable[str],
    offsets: Mapping[str, Offset] | None = None,
    held: Mapping[str, date] | None = None,
    pinned: Mapping[str, date] | None = None,
    profile: CalendarProfile = DEFAULT_CALENDAR,
) -> list[PlannedMilestone]:
    """Date every milestone of the program, on the working days of the municipality's `profile`.

    Walks the chain in dependency order so that each date is computed from its predecessor's
    *resulting* date (shifted, held or pinned), which is what makes one slip move every dependent.
    T0 itself is treated like a computed date: a planned scope decision on a Friday moves to the
    next working day; once it happened, the caller passes it as held and it stays.

    Held (it happened) wins over pinned (a manager fixed it): the past cannot be re-planned.
    Both keep their date even on a non-working day, but must be strictly after every predecessor;
    otherwise the order of the chain - which every reminder and status relies on - would break.
    """
    _require_date(t0, "t0")
    chosen = _chosen_tracks(tracks)
    held = dict(held or {})
    pinned = dict(pinned or {})
    offsets = dict(offsets or {})

    unknown_offsets = sorted(set(offsets) - set(DEFAULT_OFFSETS))
    if unknown_offsets:
        raise TimelineError(
            f"Unknown offset names: {', '.join(unknown_offsets)} "
            f"(known: {', '.join(DEFAULT_OFFSETS)})",
            code="unknown_offsets",
            params={"names": unknown_offsets},
        )
    for name, value in offsets.items():
        if not isinstance(value, Offset):
            raise TimelineError(
                f"Offset for {name} must be an Offset, got {value!r}",
                code="bad_offset",
                params={"name": name, "value": value},
            )
    effective = {**DEFAULT_OFFSETS, **offsets}

    chain = _chain(chosen)
    known = {key for key, *_ in chain}
    _check_dates(held, "held", known)
    _check_dates(pinned, "pinned", known)

    result: dict[str, PlannedMilestone] = {}
    for key, name, track, depends_on in chain:
        if depends_on:
            base_key = max(depends_on, key=lambda k: (result[k].date, k))
            computed = effective[name].after(result[base_key].date)
        else:
            computed = t0
        if key in held or key in pinned:
            actual = held[key] if key in held else pinned[key]
            for dep in depends_on:
                if actual <= result[dep].date:
                    kind = "held" if key in held else "pinned"
                    raise TimelineError(
                        f"The {kind} date of {key} ({actual.isoformat()}) must be after "
                        f"{dep} ({result[dep].date.isoformat()})",
                        code="not_after_predecessor",
                        params={
                            "key": key,
                            "date": actual,
                            "predecessor": dep,
                            "predecessor_date": result[dep].date,
                            "held": key in held,
                        },
                    )
            result[key] = PlannedMilestone(
                key=key,
                committee=RULES[name].committee,
                track=track,
                date=actual,
                depends_on=depends_on,
                computed=computed,
                shifted=False,
                held=key in held,
                pinned=key not in held,
            )
        else:
            moved = next_working_day(computed, profile)
            result[key] = PlannedMilestone(
                key=key,
                committee=RULES[name].committee,
                track=track,
                date=moved,
                depends_on=depends_on,
                computed=computed,
                shifted=moved != computed,
                held=False,
                pinned=False,
            )

    order = {key: i for i, (key, *_) in enumerate(chain)}
    return sorted(result.values(), key=lambda m: (m.date, order[m.key]))


# --- regular meetings ---------------------------------------------------------------------------

_MILESTONE_KEYS: Mapping[str, frozenset[str]] = {
    "steering": frozenset({"scope_decision", "plan_approval"}),
    "design": frozenset({f"design_{n}" for n in range(1, 6)}),
}


def _month_index(start: date, d: date) -> int:
    return (d.year - start.year) * 12 + d.month - start.month


def _regular_date(month_start: date, day: int, profile: CalendarProfile) -> tuple[date, date]:
    """(raw, actual) date of a regular meeting in the month that starts at `month_start`.

    Raw is T0's day-of-month, clamped to the month's length; actual is the first working day on or
    after it, or, if the month runs out first, the last working day before it. Keeps a committee on
    a steady rhythm ("around the 10th") without leaking into the next month's slot.
    """
    last = calendar.monthrange(month_start.year, month_start.month)[1]
    raw = month_start.replace(day=min(day, last))
    actual = next_working_day(raw, profile)
    if actual.month != raw.month:
        actual = raw - timedelta(days=1)
        while not is_working_day(actual, profile):
            actual -= timedelta(days=1)
    return raw, actual


def regular_meetings(
    milestones: Sequence[PlannedMilestone],
    *,
    t0: date | None = None,
    profile: CalendarProfile = DEFAULT_CALENDAR,
) -> list[PlannedMilestone]:
    """Propose the year-one routine meetings that the milestone chain does not already cover.

    Rule (kept simple so a manager can predict it): the year is the 12 calendar months starting
    with T0's month (T0 defaults to the plan's scope_decision date).
    - Steering committee, quarterly: months 3, 6 and 9 after T0's month (month 0 is the scope
      decision itself).
    - Design committee, monthly: every month after the month of design_1 (the committee does not
      meet before it is convened).
    A month that already holds a milestone meeting of that committee (steering: scope_decision,
    plan_approval; design: design_1..design_5 - the launch conference does not count) gets no
    regular meeting, so nobody is summoned twice in a month. The day is T0's day-of-month, moved to
    the first working day on or after it within the month (see `_regular_date`).
    """
    by_key = {m.key: m for m in milestones}
    if t0 is None:
        if "scope_decision" not in by_key:
            raise TimelineError(
                "regular_meetings needs t0 or a plan containing scope_decision",
                code="unknown_keys",
                params={"keys": ["scope_decision"]},
            )
        t0 = by_key["scope_decision"].date
    _require_date(t0, "t0")
    first = t0.replace(day=1)

    busy: dict[str, set[int]] = {committee: set() for committee in _MILESTONE_KEYS}
    for committee, keys in _MILESTONE_KEYS.items():
        for key in keys & by_key.keys():
            busy[committee].add(_month_index(first, by_key[key].date))

    months: dict[str, Iterable[int]] = {"steering": (3, 6, 9)}
    design_start = _month_index(first, by_key["design_1"].date) + 1 if "design_1" in by_key else 1
    months["design"] = range(max(design_start, 1), 12)
    depends = {"steering": ("scope_decision",), "design": ("design_1",)}

    out: list[PlannedMilestone] = []
    for committee in ("steering", "design"):
        for index in months[committee]:
            if index in busy[committee]:
                continue
            month_start = first + relativedelta(months=index)
            raw, when = _regular_date(month_start, t0.day, profile)
            out.append(
                PlannedMilestone(
                    key=f"{committee}_regular_{month_start:%Y_%m}",
                    committee=committee,  # type: ignore[arg-type]
                    track=None,
                    date=when,
                    depends_on=tuple(k for k in depends[committee] if k in by_key),
                    computed=raw,
                    shifted=when != raw,
                    held=False,
                    pinned=False,
                )
            )
    return sorted(out, key=lambda m: (m.date, m.committee != "steering", m.key))


# --- previews -----------------------------------------------------------------------------------


def diff(old: Sequence[PlannedMilestone], new: Sequence[PlannedMilestone]) -> list[Change]:
    """What would move if `new` replaced `old`: changed dates, plus added/removed keys (None side).

    Ordered like `new` (then vanished keys in `old`'s order) so the preview reads chronologically.
    """
    old_dates = {m.key: m.date for m in old}
    new_dates = {m.key: m.date for m in new}
    changes = [
        Change(m.key, old_dates.get(m.key), m.date) for m in new if old_dates.get(m.key) != m.date
    ]
    changes += [Change(m.key, m.date, None) for m in old if m.key not in new_dates]
    return changes


# --- slips and what is next (issue 15 §3): one definition, used by the timeline and by HQ ---------


def slip_days(*, baseline: date | None, planned: date, actual: date | None, today: date) -> int:
    """How many days a milestone drifted from the original plan (positive: later). Held, it is where it
    took place; not held and overdue, it slips a day for every day it is not held."""
    if baseline is None:
        return 0
    current = actual if actual is not None else max(planned, today)
    return (current - baseline).days


def slip_severity(days: int, *, alert_days: int) -> str:
    """'early', 'on_time', 'minor' (late, under the municipality's threshold: not an alarm) or 'alarm'."""
    if days < 0:
        return "early"
    if days == 0:
        return "on_time"
    return "alarm" if days >= alert_days else "minor"


def next_not_held(milestones: Iterable, *, today: date):
    """The next milestone not yet held, counted from today: the first planned one on or after today
    (an overdue one is overdue, not next). Items have `.planned` and `.is_held`; cancelled are skipped
    by the caller."""
    ahead = [m for m in milestones if not m.is_held and m.planned >= today]
    return min(ahead, key=lambda m: (m.planned, m.key), default=None)
