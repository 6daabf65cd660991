"""`flush`, which also empties signed documents on SQLite.

Emptying the whole database is the one wholesale removal that may take signed documents with it (the
test runner does it after every transactional test). On PostgreSQL flush is TRUNCATE, which row triggers
never see; SQLite's flush is DELETE, which the signed-version triggers of migration 0005 refuse. So on
SQLite the triggers are lifted for the flush and put back exactly as they were, in one transaction.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections, transaction

TRIGGER_PREFIX = "strategy_signed_"


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [TRIGGER_PREFIX + "%"],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            super().handle(**options)
            for _name, sql in triggers:
                cursor.execute(sql)
