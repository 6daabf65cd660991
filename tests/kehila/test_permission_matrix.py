"""The role matrix, driven by the rule table itself: every action, every role, inside and outside the
municipality, so a change to RULES is a change to what the portal allows and nothing else decides.
Plus each object-level rule, and a check that the table and the code name the same actions."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from kehila.models import Membership, Municipality, Role
from kehila.permissions import (
    RULES,
    PermissionDenied,
    can,
    is_hq,
    require,
    require_move,
    role_in,
    tracks_for,
    users_who_can,
)
from tests.factories import member

pytestmark = pytest.mark.django_db


@dataclass
class Owner:
    user_id: int | None


@dataclass
class Scoped:
    """Any object of a municipality. By default it carries the track lead's own track and no owner
    (the object-level rules have their own tests below)."""

    municipality: Municipality
    track: str = "social"
    owner: Owner | None = None
    chair_user_ids: frozenset = frozenset()


def theirs(user, municipality):
    """An object the user owns, in the track lead's own track: only the role table decides."""
    return Scoped(municipality, owner=Owner(user.pk), chair_user_ids=frozenset({user.pk}))


@pytest.fixture
def everyone(municipality):
    return {role: member(municipality, role) for role in Role.values}


@pytest.mark.parametrize("action", sorted(RULES))
def test_the_rule_table_decides_every_role_inside_and_outside(
    action, everyone, municipality, other_municipality
):
    inside = {
        role for role, user in everyone.items() if can(user, action, theirs(user, municipality))
    }
    outside = {
        role
        for role, user in everyone.items()
        if can(user, action, theirs(user, other_municipality))
    }
    assert inside == set(RULES[action])
    # Only HQ's membership reaches another municipality.
    assert outside == set(RULES[action]) & {Role.HQ}


@pytest.mark.parametrize("action", sorted(RULES))
def test_require_refuses_exactly_what_can_refuses(action, everyone, municipality):
    for role, user in everyone.items():
        if role in RULES[action]:
            require(user, action, theirs(user, municipality))
        else:
            with pytest.raises(PermissionDenied) as refusal:
                require(user, action, theirs(user, municipality))
            assert refusal.value.action == action


# The program's own rules, pinned: the matrix above follows the table, these say what the table must say.
@pytest.mark.parametrize(
    ("action", "roles"),
    [
        ("approve", {Role.MAYOR_OFFICE}),
        ("view_contacts", {Role.MANAGER, Role.TEAM}),
    ],
)
def test_the_programs_own_rules(action, roles):
    assert set(RULES[action]) == roles


def test_hq_sees_every_municipality_but_not_contacts(hq_user, municipality, other_municipality):
    assert is_hq(hq_user)
    assert role_in(hq_user, other_municipality) == Role.HQ
    assert can(hq_user, "view_program", municipality)
    assert not can(hq_user, "view_contacts", municipality)


def test_an_unknown_action_is_a_programming_error(manager, municipality):
    with pytest.raises(KeyError):
        can(manager, "fly", municipality)


def test_anonymous_users_may_do_nothing(municipality):
    from django.contrib.auth.models import AnonymousUser

    assert all(not can(AnonymousUser(), action, municipality) for action in RULES)


def test_a_user_with_two_municipalities_has_a_role_in_each(municipality, other_municipality):
    user = member(municipality, Role.MANAGER)
    Membership.objects.create(
        user=user, municipality=other_municipality, role=Role.COMMITTEE_MEMBER
    )
    user = type(user).objects.get(pk=user.pk)
    assert can(user, "edit_partners", municipality)
    assert not can(user, "edit_partners", other_municipality)


def test_a_refusal_is_djangos_permission_denied_so_views_answer_403(committee_member, municipality):
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    with pytest.raises(DjangoPermissionDenied):
        require(committee_member, "edit_plan", municipality)


def test_a_track_lead_edits_only_their_own_track(track_lead, manager, municipality):
    assert can(track_lead, "edit_track", Scoped(municipality, "social"))
    assert not can(track_lead, "edit_track", Scoped(municipality, "urban"))
    assert not can(track_lead, "edit_track", municipality)  # a municipality has no track
    assert can(manager, "edit_track", Scoped(municipality, "urban"))
    assert tracks_for(track_lead, "edit_track", municipality) == {"social"}
    assert tracks_for(manager, "edit_track", municipality) is None


def test_a_committee_member_facilitates_only_the_meetings_of_a_body_they_chair(
    manager, committee_member, municipality
):
    assert can(committee_member, "facilitate_meetings", theirs(committee_member, municipality))
    assert not can(committee_member, "facilitate_meetings", Scoped(municipality))
    assert can(manager, "facilitate_meetings", Scoped(municipality))


def test_moving_needs_the_right_on_both_parents(track_lead, municipality):
    own, other = Scoped(municipality, "social"), Scoped(municipality, "urban")
    require_move(track_lead, "edit_track", own, old_parent=own, new_parent=own)
    with pytest.raises(PermissionDenied):
        require_move(track_lead, "edit_track", own, old_parent=own, new_parent=other)
    with pytest.raises(PermissionDenied):
        require_move(track_lead, "edit_track", own, old_parent=other, new_parent=own)


def test_only_a_seat_on_the_selection_committee_scores_an_initiative(
    manager, committee_member, municipality
):
    from tests.pilots.factories import HackathonFactory, InitiativeFactory, seat

    hackathon = HackathonFactory(municipality=municipality)
    initiative = InitiativeFactory(hackathon=hackathon)
    assert not can(committee_member, "score_initiatives", initiative)
    seat(hackathon, committee_member)
    assert can(committee_member, "score_initiatives", initiative)
    assert not can(manager, "score_initiatives", initiative)


def test_an_action_item_is_updated_by_those_who_take_minutes_or_by_its_owner(
    team_member, committee_member, track_lead, municipality
):
    item = Scoped(municipality, owner=Owner(committee_member.pk))
    assert can(committee_member, "update_action_item", item)
    assert can(team_member, "update_action_item", item)
    assert not can(track_lead, "update_action_item", item)
    assert not can(committee_member, "update_action_item", Scoped(municipality))


def test_the_hq_page_needs_no_municipality(hq_user, manager):
    assert can(hq_user, "view_hq")
    assert not can(manager, "view_hq")


def test_users_who_can_lists_the_municipalitys_own_members(everyone, municipality):
    approvers = set(users_who_can("approve", municipality))
    assert approvers == {everyone[Role.MAYOR_OFFICE]}
    owners = set(users_who_can("edit_partners", municipality))
    assert owners == {everyone[Role.MANAGER], everyone[Role.TEAM]}


# --- the table and the code name the same actions ------------------------------------------------

ROOT = Path(settings.BASE_DIR)
APPS = ["kehila", "partners", "committees", "strategy", "pilots", "live", "templates"]
ASKED = re.compile(
    r"\b(?:can|require|require_move|municipality_view|users_who_can|tracks_for)\("
    r"(?:[^\"'()]*,\s*)?[\"']([a-z_]+)[\"']"
    r"|\{%\s*can\s+[\"']([a-z_]+)[\"']"
)


def source_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                if path != ROOT / "kehila" / "permissions.py":
                    yield path


def test_every_action_the_code_asks_about_is_in_the_rule_table():
    asked = {
        name
        for path in source_files()
        for match in ASKED.finditer(path.read_text(encoding="utf-8"))
        for name in match.groups()
        if name
    }
    assert asked, "the pattern found no permission checks at all"
    assert asked - set(RULES) == set()


def test_every_action_in_the_rule_table_is_used_somewhere():
    text = "\n".join(path.read_text(encoding="utf-8") for path in source_files())
    unused = {action for action in RULES if f'"{action}"' not in text}
    assert unused == set()


# Where a role may be named: the rule table itself, the models that define roles (a models module, or any
# module of kehila's models package), and the code that makes demo and benchmark users.
ROLE_CHECK = re.compile(
    r"(?<!for )\brole\s*(?:==|!=|\bin\b|\bnot in\b)|\brole(?:__in)?\s*=\s*\[?Role\.|memberships__role"
)
MAY_NAME_ROLES = {"permissions.py", "models.py", "demo.py", "generate.py"}


def test_no_role_is_compared_outside_the_permissions_module():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in source_files()
        if path.suffix == ".py"
        and path.name not in MAY_NAME_ROLES
        and path.parent != ROOT / "kehila" / "models"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ROLE_CHECK.search(line)
    ]
    assert found == []
