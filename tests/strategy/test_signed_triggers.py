"""Signed stays signed in the database: raw SQL that goes round the ORM is refused by the triggers of
migration 0005, on SQLite and on PostgreSQL alike, while the legitimate writes still pass."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from strategy.models import AgreementSignature, AgreementVersion, PlanVersion, Topic, VersionStatus
from tests.strategy.factories import draft_agreement


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def refused(sql, params=()):
    with pytest.raises(IntegrityError, match="signed version cannot change"), transaction.atomic():
        raw(sql, params)


def state(version):
    model = type(version)
    version = model.objects.get(pk=version.pk)
    return version.compute_hash(), version.content_hash, version.status


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE strategy_agreementsection SET text = 'שונה' WHERE version_id = %s",
        "UPDATE strategy_agreementsection SET owner_id = NULL WHERE version_id = %s",
        "DELETE FROM strategy_agreementsection WHERE version_id = %s",
        "UPDATE strategy_budgetline SET amount = 1 WHERE version_id = %s",
        "DELETE FROM strategy_budgetline WHERE version_id = %s",
        "UPDATE strategy_agreementmilestone SET title = 'אחר' WHERE version_id = %s",
        "DELETE FROM strategy_agreementmilestone WHERE version_id = %s",
        "UPDATE strategy_agreementversion SET title = 'אחר' WHERE id = %s",
        "UPDATE strategy_agreementversion SET content_hash = '' WHERE id = %s",
        "UPDATE strategy_agreementversion SET status = 'draft' WHERE id = %s",
        "DELETE FROM strategy_agreementversion WHERE id = %s",
        "UPDATE strategy_agreementsignature SET sha256 = '' WHERE version_id = %s",
        "DELETE FROM strategy_agreementsignature WHERE version_id = %s",
    ],
)
def test_raw_sql_cannot_change_a_signed_agreement(signed_agreement, sql):
    before = state(signed_agreement)
    refused(sql, [signed_agreement.pk])
    assert state(signed_agreement) == before


@pytest.mark.django_db
def test_raw_sql_cannot_add_to_a_signed_agreement(signed_agreement):
    before = state(signed_agreement)
    refused(
        "INSERT INTO strategy_agreementmilestone (municipality_id, version_id, title, due_date,"
        " timeline_key) VALUES (%s, %s, 'נוסף', '2027-06-01', '')",
        [signed_agreement.municipality_id, signed_agreement.pk],
    )
    assert state(signed_agreement) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE strategy_planversion SET content_hash = '' WHERE id = %s",
        "UPDATE strategy_planversion SET number = 99 WHERE id = %s",
        "DELETE FROM strategy_planversion WHERE id = %s",
        "UPDATE strategy_plansignature SET signed_at = '2020-01-01' WHERE version_id = %s",
        "DELETE FROM strategy_plansignature WHERE version_id = %s",
    ],
)
def test_raw_sql_cannot_change_a_signed_plan_version(signed_plan, sql):
    before = state(signed_plan)
    refused(sql, [signed_plan.pk])
    assert state(signed_plan) == before


@pytest.mark.django_db
def test_raw_sql_cannot_change_a_signed_plans_content(signed_plan):
    before = state(signed_plan)
    refused(
        "UPDATE strategy_planversion SET content = %s WHERE id = %s",
        ['{"vision": "x"}', signed_plan.pk],
    )
    assert state(signed_plan) == before


@pytest.mark.django_db
def test_the_workflow_still_moves_a_signed_version_on(signed_agreement):
    assert raw(
        "UPDATE strategy_agreementversion SET status = 'superseded' WHERE id = %s",
        [signed_agreement.pk],
    )
    assert AgreementVersion.objects.get(pk=signed_agreement.pk).status == VersionStatus.SUPERSEDED


@pytest.mark.django_db
def test_raw_sql_still_edits_and_deletes_an_unsigned_draft(municipality, manager):
    version = draft_agreement(municipality, user=manager)
    assert raw(
        "UPDATE strategy_agreementsection SET text = 'טיוטה' WHERE version_id = %s", [version.pk]
    )
    raw("DELETE FROM strategy_agreementsection WHERE version_id = %s", [version.pk])
    raw("DELETE FROM strategy_budgetline WHERE version_id = %s", [version.pk])
    raw("DELETE FROM strategy_agreementversion WHERE id = %s", [version.pk])
    assert not AgreementVersion.objects.filter(pk=version.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_signed_documents_and_keeps_the_triggers(signed_agreement, signed_plan):
    """The test runner's flush between transactional tests empties everything; the guard survives it."""
    call_command("flush", interactive=False, verbosity=0)
    assert not AgreementSignature.objects.exists()
    assert not PlanVersion.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'strategy_signed_%%'"
            )
            assert cursor.fetchone()[0] == 17


@pytest.mark.django_db(transaction=True)
def test_the_triggers_hold_after_a_flush(municipality, manager, mayor_office, hq_user, request):
    """Runs after the flush of the test above (and of any transactional test): still refused."""
    version = request.getfixturevalue("signed_agreement")
    section = version.sections.get(topic=Topic.GOALS)
    refused("UPDATE strategy_agreementsection SET text = 'x' WHERE id = %s", [section.pk])


def test_the_triggers_freeze_every_column_the_model_guard_freezes():
    """A field added to a version later must be frozen by a new trigger migration too: this notices."""
    import importlib

    from strategy.signed import SIGNED_MUTABLE_FIELDS

    migration = importlib.import_module("strategy.migrations.0005_signed_version_triggers")
    assert {c.removesuffix("_id") for c in migration.MUTABLE} == SIGNED_MUTABLE_FIELDS
    for table, _signatures, frozen in migration.VERSIONS:
        model = AgreementVersion if table == AgreementVersion._meta.db_table else PlanVersion
        columns = {f.column for f in model._meta.concrete_fields}
        assert set(frozen) == columns - set(migration.MUTABLE), table


@pytest.mark.django_db
def test_deleting_a_user_named_in_a_signed_section_is_refused(signed_agreement, manager):
    """The section's owner is part of what was signed: the user is kept (erasure must anonymise)."""
    before = state(signed_agreement)
    with pytest.raises(IntegrityError, match="signed version cannot change"), transaction.atomic():
        manager.delete()
    assert state(signed_agreement) == before
