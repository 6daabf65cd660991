"""The scheduling table: tracks, committees, the offset rules and their defaults, what a plan is made
of (`PlannedMilestone`, `Change`), and the engine's one error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from dateutil.relativedelta import relativedelta

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


def _require_date(value: object, name: str) -> None:
    # A datetime is a date subclass but would miss the holiday set (datetime != date) and drag
    # time zones into a date-only engine; refuse it loudly instead of computing nonsense.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (not a datetime), got {value!r}")
