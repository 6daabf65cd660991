"""Every write of the committees app, by subject. Views, the timeline scheduler (Celery) and the demo call
these; import them from here (`from committees import services`), as every caller did when this was one
module.

E-mails go through kehila.mail.send_once with one key per invitation (and per change where a change is
news), written to the outbox in the same transaction as the change: the change and its e-mails commit
together or not at all, and a second call, a retried task or a double click queues nothing new.
"""

from .action_items import (
    action_item_reminders_send,
    action_item_set_status,
    action_items_tick,
)
from .calendars import (
    committee_feed_revoke,
    committee_feed_token,
    member_calendar_for,
    member_calendar_revoke,
)
from .invitations import (
    _address,
    invitation_add,
    invitation_resend,
    invitations_send,
    reminders_send,
)
from .meetings import (
    CHANGE_FIELDS,
    MAX_ATTACHMENT_BYTES,
    agenda_item_add,
    agenda_item_delete,
    meeting_cancel,
    meeting_follow_milestone,
    meeting_link_milestone,
    meeting_mark_held,
    meeting_schedule,
    meeting_update,
)
from .membership import (
    DEFAULT_NAMES,
    TRACK_NAMES,
    committee_create,
    committee_for_kind,
    committee_rename,
    committee_set_attendance_sharing,
    committee_set_times,
    composition_targets_set,
    member_add,
    member_end,
    members_on,
)
from .minutes import (
    MINUTES_APPROVE_GATE,
    MINUTES_RECORD_GATE,
    ActionItemInput,
    attendance_record,
    may_correct,
    minutes_approve,
    minutes_approve_missing,
    minutes_circulate,
    minutes_correct,
    minutes_publish,
    minutes_record_gate,
    minutes_record_missing,
    minutes_save,
    next_meeting_of,
)
from .open_call import (
    ApplicationResult,
    application_accept,
    application_decline,
    application_submit,
)
from .rsvp import (
    RsvpRefused,
    RsvpResult,
    rsvp_open_reason,
    rsvp_record,
)

__all__ = [
    "DEFAULT_NAMES",
    "TRACK_NAMES",
    "committee_for_kind",
    "committee_create",
    "committee_set_attendance_sharing",
    "committee_rename",
    "committee_set_times",
    "member_add",
    "member_end",
    "composition_targets_set",
    "members_on",
    "meeting_schedule",
    "CHANGE_FIELDS",
    "meeting_update",
    "meeting_follow_milestone",
    "meeting_link_milestone",
    "meeting_cancel",
    "meeting_mark_held",
    "MAX_ATTACHMENT_BYTES",
    "agenda_item_add",
    "agenda_item_delete",
    "_address",
    "invitations_send",
    "invitation_resend",
    "invitation_add",
    "reminders_send",
    "RsvpRefused",
    "rsvp_open_reason",
    "RsvpResult",
    "rsvp_record",
    "MINUTES_RECORD_GATE",
    "MINUTES_APPROVE_GATE",
    "attendance_record",
    "ActionItemInput",
    "minutes_save",
    "minutes_publish",
    "minutes_record_missing",
    "minutes_record_gate",
    "next_meeting_of",
    "minutes_approve_missing",
    "minutes_circulate",
    "may_correct",
    "minutes_correct",
    "minutes_approve",
    "action_item_reminders_send",
    "action_items_tick",
    "action_item_set_status",
    "member_calendar_for",
    "member_calendar_revoke",
    "committee_feed_token",
    "committee_feed_revoke",
    "ApplicationResult",
    "application_submit",
    "application_accept",
    "application_decline",
]
