"""Helpers shared by the apps' tests."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings

from kehila.models import Role
from kehila.permissions import RULES

_PROJECT = Path(settings.BASE_DIR).resolve()

# The names the fixtures know the users by (tests/conftest.py, `users_by_role`): each role's value, and
# "outsider", the manager of another municipality, whom every action here refuses.
OUTSIDER = "outsider"
_ROLE_NAMES = frozenset(Role.values)
_FIXTURE_NAMES = _ROLE_NAMES | {OUTSIDER}


def _allowed(action: str) -> frozenset[str]:
    return frozenset(Role(role).value for role in RULES[action])


def _names(names, *, argument: str) -> frozenset[str]:
    names = frozenset(names)
    if unknown := names - _FIXTURE_NAMES:
        raise ValueError(f"{argument}: no fixture is called {sorted(unknown)}")
    return names


def roles_allowed(*actions: str, refused=(), without=()) -> list[str]:
    """The roles the rule table (`RULES`) allows every one of `actions` and refuses each of `refused`,
    sorted, by the names `users_by_role` knows them by: for parametrizing a test over who may act.

    `refused` expresses a deliberate subset through the table, e.g. the roles that may see a page but
    not edit it: `roles_allowed("view_x", refused=["edit_x"])`. `without` leaves out roles a test covers
    on its own elsewhere. Never "outsider": nothing here is allowed to another municipality's manager.
    """
    if not actions:
        raise TypeError("roles_allowed() needs at least one action")
    names = _ROLE_NAMES
    for action in actions:
        names &= _allowed(action)
    for action in refused:
        names -= _allowed(action)
    return sorted(names - _names(without, argument="without"))


def roles_refused(*actions: str, also=(), without=()) -> list[str]:
    """The roles the rule table (`RULES`) refuses every one of `actions`, sorted, by the names
    `users_by_role` knows them by: for parametrizing a denial test, so a role the table stops allowing
    is tested as refused, and one it starts allowing stops being so, without editing the test.

    `also` adds fixtures the table does not describe, in practice "outsider" (whose refusal may be a
    404 rather than a 403); a name the table allows is an error. `without` leaves out roles a test
    covers on its own elsewhere.
    """
    if not actions:
        raise TypeError("roles_refused() needs at least one action")
    names = set(_ROLE_NAMES)
    for action in actions:
        names -= _allowed(action)
    also = _names(also, argument="also")
    if allowed := also & (_ROLE_NAMES - names):
        raise ValueError(f"also: the table allows {sorted(allowed)} {', '.join(actions)}")
    return sorted((names | also) - _names(without, argument="without"))


def project_models():
    """Every concrete model of the portal's own apps (not Django's nor a library's)."""
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(_PROJECT) or ".venv" in path.parts:
            continue
        for model in config.get_models():
            if not model._meta.proxy and model._meta.managed:
                yield model


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row of every project table, keyed by table name."""
    snapshot = {}
    for model in project_models():
        rows = model._base_manager.order_by("pk").values_list()
        digest = hashlib.sha256()
        count = 0
        for row in rows.iterator():
            digest.update(repr(row).encode())
            count += 1
        snapshot[model._meta.db_table] = (count, digest.hexdigest())
    return snapshot


@contextmanager
def assert_nothing_changed():
    """A refusal must leave the database as it found it: wrap the refused request or service call.

    Compares every project table's row count and the checksum of its rows before and after, and names the
    tables that changed. Log in before entering: a login writes the session and the user's last login.
    """
    before = database_snapshot()
    yield
    after = database_snapshot()
    changed = sorted(
        f"{table}: {before[table][0]} -> {after[table][0]} rows"
        + ("" if before[table][0] != after[table][0] else " (same count, rows changed)")
        for table in before
        if before[table] != after[table]
    )
    assert not changed, "A refused request changed the database: " + "; ".join(changed)
