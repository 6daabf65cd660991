"""The calendar: which days a municipality keeps free of meetings (its work week, the state's public
holidays, its communities' holidays and the optional days), and the working day a date moves to."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

import holidays
from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

# The package's own Hebrew and Islamic calendars (what its Israel class is built on); exported by
# holidays.calendars, pinned in requirements.lock.
from holidays.calendars import _HebrewLunisolar, _IslamicLunar

from .rules import (
    TimelineError,
    _require_date,
)

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
