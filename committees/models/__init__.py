"""The program's bodies and their meetings, one module per subject; every model is importable from
here."""

from .bodies import Committee, CommitteeMember, CompositionTarget, Sector
from .managers_meeting import Challenge, ManagersMeeting
from .meetings import AgendaItem, Invitation, Meeting, MemberCalendar
from .minutes import ActionItem, Minutes, MinutesCorrection, MinutesLocked
from .open_call import Application

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Application",
    "Challenge",
    "Committee",
    "CommitteeMember",
    "CompositionTarget",
    "Invitation",
    "ManagersMeeting",
    "Meeting",
    "MemberCalendar",
    "Minutes",
    "MinutesCorrection",
    "MinutesLocked",
    "Sector",
]
