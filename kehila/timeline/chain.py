"""The plan: every milestone of the chain dated from T0, the offsets and the held and pinned dates, and
the preview of what a new plan would move."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from .rules import (
    DEFAULT_OFFSETS,
    RULES,
    TEAM_MEETINGS_PER_TRACK,
    TRACKS,
    Change,
    Offset,
    PlannedMilestone,
    TimelineError,
    _require_date,
)
from .working_days import DEFAULT_CALENDAR, CalendarProfile, next_working_day


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
