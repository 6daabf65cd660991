"""The team page's services (issue 16): a municipality's people with accounts, their role changed or their
access removed. Every write asks kehila.permissions first, keeps the municipality with a manager and
writes the audit trail. Removing access deletes the Membership only: the account, and everything the
person did under it, stays.

Both services lock the municipality's memberships before they decide, so that two managers demoting each
other at the same moment cannot leave the municipality with none (on PostgreSQL; SQLite runs one writer
at a time anyway).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from .audit import log_action
from .models import AuditLog, Membership, Municipality, Track
from .permissions import (
    PermissionDenied,
    is_hq_membership,
    loses_last_manager,
    may_assign,
    require,
    role_needs_track,
)

REMOVED = "membership.removed"


def people_of(municipality: Municipality) -> list[Membership]:
    """The municipality's own memberships with their accounts, by name: one query. HQ, whose membership
    names no municipality, is not one of a municipality's people."""
    return list(
        Membership.objects.filter(municipality=municipality)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email", "pk")
    )


def was_removed(municipality: Municipality, membership_id: int) -> bool:
    """Whether this municipality's trail records the removal of that membership: a second click on
    "remove" finds the row gone and is told it was done, not that nothing is there."""
    return AuditLog.objects.filter(
        municipality=municipality, action=REMOVED, object_id=str(membership_id)
    ).exists()


def _name(membership: Membership) -> str:
    user = membership.user
    return user.get_full_name() or user.email or user.get_username()


def _locked(membership: Membership) -> Membership:
    """The membership as it is now, after locking every membership of its municipality."""
    if is_hq_membership(membership):
        raise PermissionDenied("manage_people", membership)
    rows = {
        m.pk: m
        for m in Membership.objects.select_for_update()
        .select_related("user", "municipality")
        .filter(municipality_id=membership.municipality_id)
    }
    current = rows.get(membership.pk)
    if current is None:
        raise ValidationError(
            gettext("%(name)s no longer has access here.") % {"name": _name(membership)},
            code="gone",
        )
    return current


def _refuse_last_manager(actor, membership: Membership) -> None:
    if membership.user_id == actor.pk:
        message = gettext(
            "You are this municipality's only program manager: make someone else a manager first."
        )
    else:
        message = gettext(
            "%(name)s is this municipality's only program manager: make someone else a manager "
            "first."
        ) % {"name": _name(membership)}
    raise ValidationError(message, code="last_manager")


@transaction.atomic
def membership_change_role(
    *, actor, membership: Membership, role: str, track: str = ""
) -> Membership:
    """Give an existing member another role (and, for a track lead, the track they lead).

    The same role and track again changes nothing and records nothing (a double submit). Refuses
    HQ's membership and the HQ role (PermissionDenied), a role the actor may not give, a track lead
    without a track, and a change that would leave the municipality without a manager (ValidationError
    with a code)."""
    if is_hq_membership(membership):
        raise PermissionDenied("manage_people", membership)
    require(actor, "manage_people", membership.municipality)
    if not may_assign(actor, membership.municipality, role):
        raise PermissionDenied("manage_people", membership)
    if role_needs_track(role):
        if track not in Track.values:
            raise ValidationError(
                {"track": gettext("Choose the track the track lead leads.")}, code="track"
            )
    else:
        track = ""
    membership = _locked(membership)
    if (membership.role, membership.track) == (role, track):
        return membership
    if loses_last_manager(membership, role):
        _refuse_last_manager(actor, membership)
    previous = {"role": membership.role, "track": membership.track}
    membership.role, membership.track = role, track
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=["role", "track"])
    _forget_cached_roles(actor, membership)
    log_action(
        actor=actor,
        action="membership.role_changed",
        obj=membership,
        data={
            "user": membership.user_id,
            "email": membership.user.email,
            "previous": previous,
            "role": role,
            "track": track,
        },
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Take a person's access to the municipality away: their Membership is deleted, their account and
    history stay. Never HQ's; never the municipality's last manager (the actor's own included)."""
    if is_hq_membership(membership):
        raise PermissionDenied("manage_people", membership)
    require(actor, "manage_people", membership.municipality)
    membership = _locked(membership)
    if loses_last_manager(membership, ""):
        _refuse_last_manager(actor, membership)
    pk = membership.pk
    log_action(
        actor=actor,
        action=REMOVED,
        obj=membership,
        data={
            "user": membership.user_id,
            "email": membership.user.email,
            "role": membership.role,
            "track": membership.track,
        },
    )
    membership.delete()
    membership.pk = pk  # the caller may still name what it removed
    _forget_cached_roles(actor, membership)


def _forget_cached_roles(actor, membership: Membership) -> None:
    """The roles cached on the user objects (kehila.permissions) no longer hold: the actor's own too,
    when they changed their own role, so the rest of the request asks afresh."""
    membership.user._kehila_memberships = None
    if getattr(actor, "pk", None) == membership.user_id:
        actor._kehila_memberships = None
