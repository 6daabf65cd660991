"""The committees themselves and who sits on them: names, settings, members, composition targets."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kehila.audit import log_action
from kehila.models import Track
from kehila.permissions import SYSTEM, require
from partners.models import Person

from ..models import (
    Committee,
    CommitteeMember,
    CompositionTarget,
)

# Committee names are the municipality's data, stored in Hebrew; the UI labels come from the .po files.
DEFAULT_NAMES = {
    Committee.Kind.STEERING: "ועדת היגוי",
    Committee.Kind.DESIGN: "ועדה מעצבת",
    Committee.Kind.PROGRAM_TEAM: "צוות התוכנית",
    Committee.Kind.GATHERING: "כנס",
}
TRACK_NAMES = {"economic": "כלכלי", "urban": "אורבני", "social": "חברתי", "educational": "חינוכי"}


def _default_name(kind: str, track: str) -> str:
    if kind == Committee.Kind.WORK_TEAM:
        return f"צוות עבודה – אפיק {TRACK_NAMES[track]}" if track else "צוות עבודה"
    return DEFAULT_NAMES[kind]


def _default_names(kind: str, track: str) -> dict:
    """The standing body's name in Hebrew (as stored since the start) and, from the catalogues, in English
    and Arabic, so a municipality working in Arabic reads its committees in Arabic from the first day."""
    names = {"name": _default_name(kind, track)}
    for language in ("en", "ar"):
        with translation.override(language):
            label = str(Committee.Kind(kind).label)
            if kind == Committee.Kind.WORK_TEAM and track:
                label = _("Work team – %(track)s track") % {"track": Track(track).label}
            names[f"name_{language}"] = label
    return names


@transaction.atomic
def committee_for_kind(*, municipality, kind: str, track: str = "") -> Committee:
    """The municipality's body of this kind (and track, for work teams); created with a Hebrew default
    name the first time. Gatherings are one-offs: use committee_create for a named one."""
    if kind not in Committee.Kind.values:
        raise ValidationError({"kind": _("Unknown committee kind.")})
    if track and track not in Track.values:
        raise ValidationError({"track": _("Unknown track.")})
    track = track if kind == Committee.Kind.WORK_TEAM else ""
    committee = (
        Committee.objects.select_for_update()
        .filter(municipality=municipality, kind=kind, track=track)
        .order_by("pk")
        .first()
    )
    if committee is None:
        # A standing body exists by the program's design, whoever first needs it: the portal creates it.
        committee = committee_create(
            municipality=municipality,
            kind=kind,
            track=track,
            **_default_names(kind, track),
            actor=SYSTEM,
        )
    return committee


@transaction.atomic
def committee_create(
    *,
    municipality,
    kind: str,
    name: str,
    name_en: str = "",
    name_ar: str = "",
    track: str = "",
    description: str = "",
    capacity: int | None = None,
    members_see_attendance: bool = True,
    actor,
) -> Committee:
    require(actor, "manage_committees", municipality)
    committee = Committee(
        municipality=municipality,
        kind=kind,
        track=track,
        name=name,
        name_en=name_en,
        name_ar=name_ar,
        description=description,
        capacity=capacity,
        members_see_attendance=members_see_attendance,
        feed_token=secrets.token_urlsafe(24),
    )
    committee.full_clean()
    committee.save()
    if actor is not None:
        log_action(actor=actor, action="committees.committee_create", obj=committee)
    return committee


@transaction.atomic
def committee_set_attendance_sharing(
    *, committee: Committee, shared: bool, actor=None
) -> Committee:
    """Whether the committee's members see who is coming to its meetings (organisers always do)."""
    committee.members_see_attendance = shared
    committee.save(update_fields=["members_see_attendance"])
    log_action(
        actor=actor,
        action="committees.attendance_sharing_set",
        obj=committee,
        data={"shared": shared},
    )
    return committee


def committee_rename(
    *, committee: Committee, name: str, name_en: str, name_ar: str, actor
) -> Committee:
    """The committee's names in the portal's three languages (Hebrew required, the others optional)."""
    require(actor, "manage_committees", committee)
    committee.name, committee.name_en, committee.name_ar = (
        name.strip(),
        name_en.strip(),
        name_ar.strip(),
    )
    committee.full_clean(validate_unique=False)
    committee.save(update_fields=["name", "name_en", "name_ar"])
    log_action(
        actor=actor,
        action="committees.committee_rename",
        obj=committee,
        data={"name": committee.name, "name_en": committee.name_en, "name_ar": committee.name_ar},
    )
    return committee


def committee_set_times(
    *, committee: Committee, corrections_days: int, action_reminder_days: int, actor
) -> Committee:
    """The days attendees have to correct circulated minutes, and how early owners are reminded."""
    require(actor, "manage_committees", committee)
    committee.corrections_days = corrections_days
    committee.action_reminder_days = action_reminder_days
    committee.full_clean(validate_unique=False)
    committee.save(update_fields=["corrections_days", "action_reminder_days"])
    log_action(
        actor=actor,
        action="committees.times_set",
        obj=committee,
        data={"corrections_days": corrections_days, "action_reminder_days": action_reminder_days},
    )
    return committee


# --- membership -------------------------------------------------------------------------------


@transaction.atomic
def member_add(
    *,
    committee: Committee,
    person: Person,
    role: str = CommitteeMember.Role.MEMBER,
    sector: str = "",
    represents_neighbourhood: str = "",
    represents_community: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    has_vote: bool = True,
    actor,
) -> CommitteeMember:
    require(actor, "manage_committees", committee)
    if CommitteeMember.objects.filter(committee=committee, person=person).exists():
        raise ValidationError({"person": _("This person is already a member of the committee.")})
    member = CommitteeMember(
        municipality=committee.municipality,
        committee=committee,
        person=person,
        role=role,
        sector=sector,
        represents_neighbourhood=represents_neighbourhood,
        represents_community=represents_community,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        has_vote=has_vote,
    )
    member.full_clean()
    member.save()
    log_action(
        actor=actor,
        action="committees.member_add",
        obj=member,
        data={"committee": committee.pk, "role": role},
    )
    return member


@transaction.atomic
def member_end(*, member: CommitteeMember, ends_on: date | None = None, actor) -> None:
    require(actor, "manage_committees", member)
    member.ends_on = ends_on or timezone.localdate()
    member.full_clean()
    member.save(update_fields=["ends_on"])
    log_action(actor=actor, action="committees.member_end", obj=member)


@transaction.atomic
def composition_targets_set(
    *, municipality, committee_kind: str, percents: dict[str, int | None], actor
) -> None:
    """Replace the municipality's targets for one kind of committee: {sector: percent or None}."""
    require(actor, "manage_committees", municipality)
    total = sum(p for p in percents.values() if p)
    if total > 100:
        raise ValidationError(_("The targets add up to more than 100%."))
    for sector, percent in percents.items():
        if percent is None:
            CompositionTarget.objects.filter(
                municipality=municipality, committee_kind=committee_kind, sector=sector
            ).delete()
            continue
        target = CompositionTarget.objects.filter(
            municipality=municipality, committee_kind=committee_kind, sector=sector
        ).first() or CompositionTarget(
            municipality=municipality, committee_kind=committee_kind, sector=sector
        )
        target.percent = percent
        target.full_clean()
        target.save()
    log_action(
        actor=actor,
        action="committees.composition_targets_set",
        municipality=municipality,
        data={"kind": committee_kind, "percents": percents},
    )


def members_on(committee: Committee, day: date):
    return (
        CommitteeMember.objects.filter(committee=committee)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person")
    )
