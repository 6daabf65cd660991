"""Milestone keys: how a key splits into kind, track, number and month, the rule it follows, and its
English title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .rules import (
    TEAM_MEETINGS_PER_TRACK,
    TRACKS,
    TimelineError,
)


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
