"""The timeline's services and the daily tick: the engine (`kehila.timeline`) fed from the database.

This is the bottom layer of kehila: it imports no stage app. What follows a date (a committee meeting) is
announced through `kehila.signals`, and the committees app listens. The engine stays pure. Every write
goes through a service here: re-planning upserts `Milestone` rows under a lock on the program row, so two
ticks or a tick and a manager never interleave a plan; meetings are created with an idempotency key on
`Meeting` and every e-mail is queued in the outbox through `send_once` (`send_many` for a batch) with a
stable key, so a retried task (acks_late), a second tick or a second worker never creates or queues twice.

One module per part: `plans` (the engine's inputs from the rows, and the plan), `texts` (the timeline in
people's words), `replan` (re-planning and its preview), `services` (the managers' changes), `tick` (the
daily round). Everything is imported from here, `kehila.scheduling`.
"""

from .plans import (
    AVOID_FIELDS,
    calendar_profile,
    committee_of,
    full_plan,
    is_chain_key,
    program_offsets,
    program_plan,
)
from .replan import timeline_preview, timeline_replan
from .services import (
    SCOPE_PRECONDITIONS,
    demo_load,
    milestone_hold,
    milestone_pin,
    municipality_calendar_set,
    municipality_slip_threshold_set,
    program_offsets_set,
    program_scope_decide,
    register_scope_precondition,
    scope_blocker,
)
from .texts import day_off_text, error_message, rule_title
from .tick import (
    DECISION_KEYS,
    DECISIONS_AHEAD,
    DEFAULT_MEETING_LENGTH,
    DIGEST_WEEKDAY,
    INVITATIONS_AHEAD,
    MEETING_KINDS,
    MEETING_LENGTH,
    MEETING_START,
    MEETING_TZ,
    MEETINGS_AHEAD,
    REMINDERS_AHEAD,
    meeting_times,
    program_tick,
)

__all__ = [
    "AVOID_FIELDS",
    "DECISIONS_AHEAD",
    "DECISION_KEYS",
    "DEFAULT_MEETING_LENGTH",
    "DIGEST_WEEKDAY",
    "INVITATIONS_AHEAD",
    "MEETINGS_AHEAD",
    "MEETING_KINDS",
    "MEETING_LENGTH",
    "MEETING_START",
    "MEETING_TZ",
    "REMINDERS_AHEAD",
    # The list itself, not a copy: apps register their preconditions into it (services.SCOPE_PRECONDITIONS).
    "SCOPE_PRECONDITIONS",
    "calendar_profile",
    "committee_of",
    "day_off_text",
    "demo_load",
    "error_message",
    "full_plan",
    "is_chain_key",
    "meeting_times",
    "milestone_hold",
    "milestone_pin",
    "municipality_calendar_set",
    "municipality_slip_threshold_set",
    "program_offsets",
    "program_offsets_set",
    "program_plan",
    "program_scope_decide",
    "program_tick",
    "register_scope_precondition",
    "rule_title",
    "scope_blocker",
    "timeline_preview",
    "timeline_replan",
]
