"""A municipality's committees and meetings, one module per subject. Thin views: permission, selector
or service, render. urls.py and the other view modules import the views from here."""

from .action_items import ACTION_FILTERS, action_item_status, action_items
from .bodies import (
    committee_create,
    committee_detail,
    committee_list,
    committee_names,
    committee_sharing,
    committee_times,
    member_add,
    member_end,
    targets,
)
from .invitations import (
    invitation_add,
    meeting_counts,
    meeting_invite,
    meeting_mail,
    meeting_mail_resend,
    meeting_remind,
)
from .meetings import (
    agenda_item_add,
    agenda_item_attachment,
    agenda_item_delete,
    meeting_agenda_print,
    meeting_attendance,
    meeting_cancel,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_ics,
)
from .member_page import _member_context, my_page
from .minutes import (
    meeting_minutes,
    minutes_approve,
    minutes_circulate,
    minutes_correct,
    minutes_gate_override,
)
from .open_call import application_decide, applications

__all__ = [
    "ACTION_FILTERS",
    "_member_context",
    "action_item_status",
    "action_items",
    "agenda_item_add",
    "agenda_item_attachment",
    "agenda_item_delete",
    "application_decide",
    "applications",
    "committee_create",
    "committee_detail",
    "committee_list",
    "committee_names",
    "committee_sharing",
    "committee_times",
    "invitation_add",
    "meeting_agenda_print",
    "meeting_attendance",
    "meeting_cancel",
    "meeting_counts",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_ics",
    "meeting_invite",
    "meeting_mail",
    "meeting_mail_resend",
    "meeting_minutes",
    "member_add",
    "member_end",
    "minutes_approve",
    "minutes_circulate",
    "minutes_correct",
    "meeting_remind",
    "minutes_gate_override",
    "my_page",
    "targets",
]
