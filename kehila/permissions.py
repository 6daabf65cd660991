"""The one place that decides who may do what.

Templates (through the `can` template tag) ask `can(user, action, obj)`; views and services that write call
`require(user, action, obj)`, which raises `PermissionDenied` (Django's, so a view answers 403) through the
same `can`, so a task, a command or the admin cannot bypass a rule a view enforces. Views look objects up
with each app's `access_<obj>(request, pk, action)` (inside the request's municipality, then `require`).
Nobody compares role strings anywhere else. `obj` is a Municipality or any object that reaches one through a
`municipality` attribute. Object-level rules live here too: a track lead edits only their own track (and
moves an action only between objectives of it, `require_move`); only a seat on the selection committee
scores a hackathon's initiatives; an action item is updated by those who take minutes or by its owner.
The scheduler's tick and commands act as `SYSTEM`, which may do only `SYSTEM_ACTIONS`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import exceptions
from django.utils.translation import gettext

from .models import Membership, Municipality, Role

ALL_MEMBER_ROLES = frozenset(Role.values)
TEAM = frozenset({Role.MANAGER, Role.TEAM})
STAFF = TEAM | {Role.MAYOR_OFFICE, Role.TRACK_LEAD}

# action -> roles allowed in the object's municipality. HQ is a role like the others: it appears where HQ
# may act, and HQ's membership applies to every municipality.
RULES: dict[str, frozenset[str]] = {
    # core
    "view_program": ALL_MEMBER_ROLES,
    "view_hq": frozenset({Role.HQ}),
    # stakeholder mapping (partners)
    "view_partners": TEAM | {Role.MAYOR_OFFICE, Role.TRACK_LEAD},
    "view_partner_aggregates": TEAM | {Role.MAYOR_OFFICE, Role.TRACK_LEAD, Role.HQ},
    "view_contacts": TEAM,
    "edit_partners": TEAM,
    "import_partners": TEAM,
    "export_partners": TEAM,
    # committees and meetings
    "view_committees": ALL_MEMBER_ROLES,
    "manage_committees": TEAM,
    "take_minutes": TEAM,
    # a live session: the team, or the body's own chair (object-level: the meeting names
    # the accounts of its committee's chairs)
    "facilitate_meetings": TEAM | {Role.COMMITTEE_MEMBER},
    # object-level: those who take minutes, or the action item's own owner
    "update_action_item": ALL_MEMBER_ROLES,
    # timeline
    "view_timeline": STAFF | {Role.HQ},
    "manage_timeline": TEAM,
    # who is warned when a milestone slips: the one accountable for the plan's dates
    "receive_timeline_warnings": frozenset({Role.MANAGER}),
    # agreements and strategic plan
    "view_agreement": STAFF | {Role.HQ},
    "edit_agreement": TEAM,
    "submit_for_approval": TEAM,
    "approve": frozenset({Role.MAYOR_OFFICE}),
    "sign_for_municipality": frozenset({Role.MAYOR_OFFICE}),
    "sign_for_program": frozenset({Role.HQ}),
    "view_plan": STAFF | {Role.HQ},
    "edit_plan": TEAM,
    "edit_track": TEAM | {Role.TRACK_LEAD},
    "view_hiring": TEAM | {Role.MAYOR_OFFICE, Role.HQ},
    "manage_hiring": TEAM,
    "score_candidates": TEAM | {Role.MAYOR_OFFICE, Role.HQ},
    # the interview panel has two sides; a member scores and approves for exactly one of them
    "score_for_municipality": TEAM | {Role.MAYOR_OFFICE},
    "score_for_program": frozenset({Role.HQ}),
    "decide_hiring": frozenset({Role.MAYOR_OFFICE, Role.HQ}),
    "decide_hiring_for_municipality": frozenset({Role.MAYOR_OFFICE}),
    "decide_hiring_for_program": frozenset({Role.HQ}),
    # pilot
    "view_pilot": STAFF | {Role.HQ},
    "manage_pilot": TEAM,
    "score_initiatives": STAFF | {Role.COMMITTEE_MEMBER, Role.HQ},
    # residents' personal data (kehila.privacy). The log is read by the manager, who answers for the
    # municipality's database, not by the team whose access it records; HQ reads every municipality's
    # under /hq/. Exporting and erasing a person is the team's, as seeing their contact details is.
    "view_contact_log": frozenset({Role.MANAGER, Role.HQ}),
    "export_person_data": TEAM,
    "erase_person": TEAM,
    # gates between the stages (kehila.gates): the exception is the manager's or HQ's, with a reason
    "override_gate": frozenset({Role.MANAGER, Role.HQ}),
    # the municipality's calendar: whose holidays and which days the timeline avoids,
    # and the work week. The manager answers for the plan's dates; HQ sets it up with a new municipality.
    "manage_calendar": frozenset({Role.MANAGER, Role.HQ}),
    # onboarding (kehila.invitations): the manager builds the municipality's team, HQ any
    # municipality's; only HQ opens a new municipality (an action on no municipality: GLOBAL_ACTIONS).
    "invite_people": frozenset({Role.MANAGER, Role.HQ}),
    # the team page (kehila.people): who holds which role here. Reading it stays open while
    # paused; changing a role or removing access is a write of its own, kept apart from inviting because
    # it takes rights away from someone who has them (the same people may do both today).
    "view_people": frozenset({Role.MANAGER, Role.HQ}),
    "manage_people": frozenset({Role.MANAGER, Role.HQ}),
    "open_municipality": frozenset({Role.HQ}),
    # onboarding: HQ pauses and reopens a municipality; HQ and the manager follow its
    # onboarding checklist
    "pause_municipality": frozenset({Role.HQ}),
    "view_onboarding": frozenset({Role.MANAGER, Role.HQ}),
    # the members picker (an owner, a seat) lists the municipality's members by name; it
    # serves the forms of those who assign work
    "find_members": TEAM,
}

# Actions asked about no municipality at all (`can(user, action)`): HQ's, over the whole program.
GLOBAL_ACTIONS = frozenset({"view_hq", "open_municipality"})

# Which roles an inviter may give, by the inviter's role: a manager invites the team, the mayor's office,
# track leads, committee members with an account and another manager; HQ the same in any municipality.
# Nobody is invited to HQ through a municipality.
INVITABLE_ROLES: dict[str, frozenset[str]] = {
    Role.MANAGER: frozenset(
        {Role.MANAGER, Role.TEAM, Role.MAYOR_OFFICE, Role.TRACK_LEAD, Role.COMMITTEE_MEMBER}
    ),
    Role.HQ: frozenset(
        {Role.MANAGER, Role.TEAM, Role.MAYOR_OFFICE, Role.TRACK_LEAD, Role.COMMITTEE_MEMBER}
    ),
}

# What may still be done in a paused municipality: reading, and HQ's reopening it. Every other action
# is a write and is refused while paused, so an action added to RULES later is refused by default
# rather than let through. Exports and a person's data export read; they stay open (a resident's right
# of access does not wait for a reopening).
ALLOWED_WHILE_PAUSED = frozenset(
    {
        "view_program",
        "view_hq",
        "view_partners",
        "view_partner_aggregates",
        "view_contacts",
        "export_partners",
        "view_committees",
        "view_timeline",
        "view_agreement",
        "view_plan",
        "view_hiring",
        "view_pilot",
        "view_contact_log",
        "export_person_data",
        "view_onboarding",
        "view_people",
        "pause_municipality",
    }
)


class SystemActor:
    """The portal itself acting: the scheduler's tick, management commands, a standing committee created
    on first use. Not a person (the audit trail records no one), and allowed only SYSTEM_ACTIONS, so a
    service called without a user is refused instead of waved through."""

    is_authenticated = False
    pk = None

    def __repr__(self):
        return "SYSTEM"


SYSTEM = SystemActor()

# What the system actor may do, decided here: the tick schedules, invites and reschedules meetings, and
# marks a milestone held when its meeting was held.
SYSTEM_ACTIONS = frozenset({"manage_committees", "manage_timeline"})


class PermissionDenied(exceptions.PermissionDenied):
    """A refusal decided by RULES. Subclasses Django's, so a view answers 403 without catching it."""

    def __init__(self, action: str, obj=None, message: str | None = None):
        self.action = action
        self.obj = obj
        super().__init__(message or gettext("You may not do this."))


def paused_message(municipality: Municipality) -> str:
    """Why nothing can be changed: who paused the municipality, and since when, in the active language."""
    from django.utils import timezone
    from django.utils.formats import date_format

    by = municipality.paused_by
    name = (by.get_full_name() or by.get_username()) if by else gettext("Program HQ")
    return gettext(
        "%(municipality)s is paused since %(date)s by %(name)s: its pages are read-only and nothing "
        "is sent until Program HQ reopens it."
    ) % {
        "municipality": municipality.name,
        "date": date_format(timezone.localtime(municipality.paused_at), "DATETIME_FORMAT"),
        "name": name,
    }


class MunicipalityPaused(PermissionDenied):
    """A write refused because HQ paused the municipality; its message says by whom and since when."""

    def __init__(self, action: str, obj, municipality: Municipality):
        self.municipality = municipality
        super().__init__(action, obj, paused_message(municipality))


def refused_while_paused(action: str, municipality: Municipality | None) -> bool:
    return (
        municipality is not None
        and municipality.paused_at is not None
        and action not in ALLOWED_WHILE_PAUSED
    )


def municipality_of(obj) -> Municipality | None:
    if obj is None or isinstance(obj, Municipality):
        return obj
    municipality = getattr(obj, "municipality", None)
    if municipality is None:
        raise TypeError(f"{obj!r} does not reach a municipality")
    return municipality


def _memberships(user) -> list[Membership]:
    """All of a user's memberships, loaded once per user object (the request's user lives one request)."""
    cached = getattr(user, "_kehila_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user))
        user._kehila_memberships = cached
    return cached


def member_municipality_ids(user) -> list[int]:
    """The municipalities the user holds a role in (HQ's membership names none), from the memberships
    cached on the user: no query beyond the one every page already makes."""
    if not user.is_authenticated:
        return []
    return sorted({m.municipality_id for m in _memberships(user) if m.municipality_id})


def is_hq(user) -> bool:
    if not user.is_authenticated:
        return False
    return any(m.role == Role.HQ for m in _memberships(user))


def membership_in(user, municipality: Municipality) -> Membership | None:
    """The user's membership in this municipality (HQ's applies everywhere)."""
    if not user.is_authenticated:
        return None
    hq = None
    for m in _memberships(user):
        if m.municipality_id == municipality.pk:
            return m
        if m.role == Role.HQ:
            hq = m
    return hq


def role_in(user, municipality: Municipality) -> str | None:
    membership = membership_in(user, municipality)
    return membership.role if membership else None


def can(user, action: str, obj=None) -> bool:
    """Whether the role allows `action` on `obj`, and the municipality is not paused for it.

    The pause is decided here, the one place every view, template, service, task and command asks, so
    no way in (the admin, a command, the tick acting as SYSTEM) can write to a paused municipality, and
    a page hides the buttons it would refuse."""
    if not _role_allows(user, action, obj):
        return False
    return obj is None or not refused_while_paused(action, municipality_of(obj))


def _role_allows(user, action: str, obj=None) -> bool:
    if action not in RULES:
        raise KeyError(f"Unknown permission action {action!r}: add it to kehila.permissions.RULES")
    if user is SYSTEM:
        return action in SYSTEM_ACTIONS
    if not user.is_authenticated:
        return False
    if obj is None:
        return action in GLOBAL_ACTIONS and is_hq(user)
    municipality = municipality_of(obj)
    membership = membership_in(user, municipality)
    if membership is None or membership.role not in RULES[action]:
        return False
    if action == "edit_track" and membership.role == Role.TRACK_LEAD:
        track = getattr(obj, "track", None)
        return track is not None and track == membership.track
    if action == "facilitate_meetings" and membership.role not in TEAM:
        return user.pk in getattr(obj, "chair_user_ids", ())
    if action == "update_action_item" and membership.role not in RULES["take_minutes"]:
        owner = getattr(obj, "owner", None)
        return owner is not None and owner.user_id == user.pk
    if action == "score_initiatives" and hasattr(obj, "hackathon"):
        # Scoring an initiative is the selection committee's, whatever the role: the seat is the right.
        return obj.hackathon.seats.filter(user=user).exists()
    return True


def require(user, action: str, obj=None, *, message: str | None = None) -> None:
    """Raise PermissionDenied unless `can(user, action, obj)`. Services that write call it first.

    A role that may act, in a paused municipality, gets MunicipalityPaused: the page says why."""
    if not can(user, action, obj):
        municipality = municipality_of(obj) if obj is not None else None
        if _role_allows(user, action, obj) and refused_while_paused(action, municipality):
            raise MunicipalityPaused(action, obj, municipality)
        raise PermissionDenied(action, obj, message)


def require_move(user, action: str, obj, *, old_parent, new_parent) -> None:
    """Moving `obj` from one parent to another needs `action` on the object and on both parents, so a
    track lead cannot carry their track's action under another track's objective (nor take it away from
    one)."""
    require(user, action, obj)
    if new_parent != old_parent:
        for parent in (old_parent, new_parent):
            if parent is not None:
                require(user, action, parent)


def tracks_for(user, action: str, municipality: Municipality) -> frozenset[str] | None:
    """The tracks on which the user may do a track-scoped `action` here: None for every track, an empty
    set for none. Forms use it to offer only the choices the rule would accept."""
    membership = membership_in(user, municipality)
    if membership is None or membership.role not in RULES[action]:
        return frozenset()
    if action == "edit_track" and membership.role == Role.TRACK_LEAD:
        return frozenset({membership.track}) if membership.track else frozenset()
    return None


def roles_invitable_by(user, municipality: Municipality) -> list[str]:
    """The roles `user` may invite people to in `municipality`, in the order Role lists them (empty for
    one who may not invite at all)."""
    if not can(user, "invite_people", municipality):
        return []
    allowed = INVITABLE_ROLES.get(role_in(user, municipality), frozenset())
    return [role for role in Role.values if role in allowed]


def may_invite_to(user, municipality: Municipality, role: str) -> bool:
    return role in roles_invitable_by(user, municipality)


def roles_assignable_by(user, municipality: Municipality) -> list[str]:
    """The roles `user` may give an existing member of `municipality` on the team page: those they may
    invite to (never HQ), in the order Role lists them; empty for one who may not manage people."""
    if not can(user, "manage_people", municipality):
        return []
    allowed = INVITABLE_ROLES.get(role_in(user, municipality), frozenset())
    return [role for role in Role.values if role in allowed]


def may_assign(user, municipality: Municipality, role: str) -> bool:
    return role in roles_assignable_by(user, municipality)


def is_hq_membership(membership: Membership) -> bool:
    """HQ's membership belongs to no municipality: no municipality's team page changes or removes it."""
    return membership.role == Role.HQ or membership.municipality_id is None


# The role HQ invites when it opens a municipality: the one who then builds the team.
OPENING_ROLE = Role.MANAGER


def role_needs_track(role: str) -> bool:
    """A track lead leads one track: their invitation and membership name it."""
    return role == Role.TRACK_LEAD


def loses_last_manager(membership: Membership, new_role: str) -> bool:
    """Whether giving `membership` `new_role` would leave its municipality without a program manager."""
    if membership.role != Role.MANAGER or new_role == Role.MANAGER:
        return False
    return not (
        Membership.objects.filter(municipality_id=membership.municipality_id, role=Role.MANAGER)
        .exclude(pk=membership.pk)
        .exists()
    )


def role_holders(municipality, role: str):
    """The municipality's memberships with this role (`municipality` may be an OuterRef): the
    onboarding checklist's facts ("the manager has joined")."""
    return Membership.objects.filter(municipality=municipality, role=role)


def users_who_can(action: str, municipality: Municipality):
    """The municipality's own members whose role allows `action` (HQ, who belongs everywhere, is not one
    of a municipality's people): owners to pick from, approvers to notify."""
    return (
        get_user_model()
        .objects.filter(memberships__municipality=municipality, memberships__role__in=RULES[action])
        .distinct()
    )


# Roles that see residents' contact details, or every municipality: a password alone is not enough.
SECOND_FACTOR_ROLES = TEAM | {Role.HQ}


def role_requires_second_factor(role: str) -> bool:
    return role in SECOND_FACTOR_ROLES


def requires_second_factor(user) -> bool:
    """Whether the user must sign in with a second factor: any membership with such a role (or a Django
    staff account, which reaches the admin). Reads the memberships cached on the user: no extra query."""
    if user.is_superuser or user.is_staff:
        return True
    return any(role_requires_second_factor(m.role) for m in _memberships(user))


def hq_users():
    """Program HQ's active people, who hear about every municipality (the weekly signature check)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.HQ)
        .distinct()
        .order_by("pk")
    )
