"""The core every stage app stands on: municipalities, their program, who belongs where, the timeline's
rows, the outbox and the records kept. One module per subject; every model is importable from here.

This package is the bottom layer: it must never import a stage app (partners, committees, strategy,
pilots).
"""

from .milestones import Milestone, ProgramOffset, milestone_title
from .municipalities import (
    LANGUAGE_CHOICES,
    Municipality,
    MunicipalityQuerySet,
    Program,
    Stage,
    TenantOwned,
    Track,
    _default_communities,
    _default_work_week,
    localized_name,
)
from .outbox import SentMessage
from .people import Invitation, InvitationQuerySet, Membership, Profile, Role
from .records import AuditLog, ContactAccess, GateOverride

__all__ = [
    "LANGUAGE_CHOICES",
    "AuditLog",
    "ContactAccess",
    "GateOverride",
    "Invitation",
    "InvitationQuerySet",
    "Membership",
    "Milestone",
    "Municipality",
    "MunicipalityQuerySet",
    "Profile",
    "Program",
    "ProgramOffset",
    "Role",
    "SentMessage",
    "Stage",
    "TenantOwned",
    "Track",
    # Named by migration 0007 as the JSON fields' defaults.
    "_default_communities",
    "_default_work_week",
    "localized_name",
    "milestone_title",
]
