"""Database triggers: a signed version's content and its signatures refuse UPDATE and DELETE (and its
content rows refuse INSERT), even from raw SQL. The same rules as strategy/signed.py's model guards.

PostgreSQL gets plpgsql functions; SQLite, which has no procedures, gets one trigger per table and
operation. A version is signed once a row of its signature table names it. On SQLite a migration that
rebuilds one of these tables drops its triggers: tests/strategy/test_signed_triggers.py notices.
"""

from django.db import migrations

# Tables whose rows are a version's content: (table, its signatures' table).
CONTENT = [
    ("strategy_agreementsection", "strategy_agreementsignature"),
    ("strategy_budgetline", "strategy_agreementsignature"),
    ("strategy_agreementmilestone", "strategy_agreementsignature"),
]
# Versions: (table, its signatures' table, the columns that follow the workflow after signing).
MUTABLE = ["status", "in_force_at", "created_by_id", "submitted_by_id", "decided_by_id"]
VERSIONS = [
    (
        "strategy_agreementversion",
        "strategy_agreementsignature",
        [
            "id", "number", "content_hash", "created_at", "submitted_at", "decided_at",
            "review_comment", "municipality_id", "agreement_id", "title", "term_start_year",
            "term_end_year", "operating_model", "parties", "partners", "exit_clause",
        ],
    ),
    (
        "strategy_planversion",
        "strategy_plansignature",
        [
            "id", "number", "content_hash", "created_at", "submitted_at", "decided_at",
            "review_comment", "municipality_id", "plan_id", "content",
        ],
    ),
]  # fmt: skip
SIGNATURES = ["strategy_agreementsignature", "strategy_plansignature"]
SIGNED_STATUSES = "('approved', 'in_force', 'superseded')"


def _message(table: str) -> str:
    return f"strategy: a signed version cannot change ({table})"


# --- PostgreSQL --------------------------------------------------------------------------------------

# Only this module's constants are interpolated into the SQL here and below.
PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION strategy_signed_raise(tbl text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'strategy: a signed version cannot change (%)', tbl
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE OR REPLACE FUNCTION strategy_signed_is_signed(signatures regclass, version bigint)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE found boolean;
BEGIN
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE version_id = $1)', signatures)
    INTO found USING version;
  RETURN found;
END $$;

CREATE OR REPLACE FUNCTION strategy_signed_content_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF strategy_signed_is_signed(TG_ARGV[0]::regclass, OLD.version_id) THEN
      PERFORM strategy_signed_raise(TG_TABLE_NAME);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF strategy_signed_is_signed(TG_ARGV[0]::regclass, NEW.version_id) THEN
      PERFORM strategy_signed_raise(TG_TABLE_NAME);
    END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END $$;

CREATE OR REPLACE FUNCTION strategy_signed_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE mutable text[] := ARRAY{MUTABLE!r};
BEGIN
  IF strategy_signed_is_signed(TG_ARGV[0]::regclass, OLD.id) THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM strategy_signed_raise(TG_TABLE_NAME);
    END IF;
    IF (to_jsonb(OLD) - mutable) IS DISTINCT FROM (to_jsonb(NEW) - mutable)
       OR NEW.status NOT IN {SIGNED_STATUSES} THEN
      PERFORM strategy_signed_raise(TG_TABLE_NAME);
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION strategy_signed_signature_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM strategy_signed_raise(TG_TABLE_NAME);
  RETURN NULL;
END $$;
"""  # noqa: S608


def _pg_forwards() -> list[str]:
    sql = [PG_FUNCTIONS]
    for table, signatures in CONTENT:
        sql.append(
            f"CREATE TRIGGER strategy_signed_{table} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION strategy_signed_content_guard('{signatures}')"
        )
    for table, signatures, _columns in VERSIONS:
        sql.append(
            f"CREATE TRIGGER strategy_signed_{table} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION strategy_signed_version_guard('{signatures}')"
        )
    for table in SIGNATURES:
        sql.append(
            f"CREATE TRIGGER strategy_signed_{table} BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION strategy_signed_signature_guard()"
        )
    return sql


def _pg_backwards() -> list[str]:
    tables = [t for t, _s in CONTENT] + [t for t, _s, _c in VERSIONS] + SIGNATURES
    sql = [f"DROP TRIGGER IF EXISTS strategy_signed_{t} ON {t}" for t in tables]
    for function in (
        "strategy_signed_content_guard()",
        "strategy_signed_version_guard()",
        "strategy_signed_signature_guard()",
        "strategy_signed_is_signed(regclass, bigint)",
        "strategy_signed_raise(text)",
    ):
        sql.append(f"DROP FUNCTION IF EXISTS {function}")
    return sql


# --- SQLite ------------------------------------------------------------------------------------------


def _sqlite_trigger(name: str, when: str, table: str, condition: str | None) -> str:
    where = f" WHEN {condition}" if condition else ""
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table}{where} "
        f"BEGIN SELECT RAISE(ABORT, '{_message(table)}'); END"
    )


def _sqlite_triggers() -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER statement) for every trigger."""
    triggers = []
    for table, signatures in CONTENT:
        signed = f"EXISTS (SELECT 1 FROM {signatures} WHERE version_id = %s)"  # noqa: S608
        for when, condition in (
            ("INSERT", signed % "NEW.version_id"),
            ("UPDATE", f"{signed % 'OLD.version_id'} OR {signed % 'NEW.version_id'}"),
            ("DELETE", signed % "OLD.version_id"),
        ):
            name = f"strategy_signed_{table}_{when.lower()}"
            triggers.append((name, _sqlite_trigger(name, when, table, condition)))
    for table, signatures, columns in VERSIONS:
        signed = f"EXISTS (SELECT 1 FROM {signatures} WHERE version_id = OLD.id)"  # noqa: S608
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        update = f"{signed} AND ({changed} OR NEW.status NOT IN {SIGNED_STATUSES})"
        for when, condition in (("UPDATE", update), ("DELETE", signed)):
            name = f"strategy_signed_{table}_{when.lower()}"
            triggers.append((name, _sqlite_trigger(name, when, table, condition)))
    for table in SIGNATURES:
        for when in ("UPDATE", "DELETE"):
            name = f"strategy_signed_{table}_{when.lower()}"
            triggers.append((name, _sqlite_trigger(name, when, table, None)))
    return triggers


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = _pg_forwards()
    elif vendor == "sqlite":
        statements = [sql for _name, sql in _sqlite_triggers()]
    else:
        return  # Only the two supported databases; the model guards still hold elsewhere.
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = _pg_backwards()
    elif vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name, _sql in _sqlite_triggers()]
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0004_mapping_and_logic_model")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
