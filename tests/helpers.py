"""Helpers shared by the apps' tests."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings

_PROJECT = Path(settings.BASE_DIR).resolve()


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
