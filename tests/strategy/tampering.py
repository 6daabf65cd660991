"""Tampering with signed documents the way only the database's owner could: under the ORM guards and
with the triggers lifted, so that the re-checks (pages, PDFs, verify_signatures) have something to find."""

import json
from contextlib import contextmanager

from django.db import connection, transaction

from strategy.models import Topic


@contextmanager
def triggers_lifted(table):
    """Go round every guard, as someone with the database owner's rights could."""
    # SET LOCAL lasts until the transaction ends: in its own transaction, so that it also holds in a
    # test that runs without one (a browser test's live server needs committed rows).
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield cursor
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield cursor
            for _name, sql in triggers:
                cursor.execute(sql)


def tamper_section(version, text):
    with triggers_lifted("strategy_agreementsection") as cursor:
        cursor.execute(
            "UPDATE strategy_agreementsection SET text = %s WHERE version_id = %s AND topic = %s",
            [text, version.pk, Topic.GOALS],
        )


def tamper_plan(version, vision):
    content = {**version.content, "vision": vision}
    with triggers_lifted("strategy_planversion") as cursor:
        cursor.execute(
            "UPDATE strategy_planversion SET content = %s WHERE id = %s",
            [json.dumps(content), version.pk],
        )
