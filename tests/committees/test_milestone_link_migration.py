"""The link between a meeting and its milestone moved from kehila to committees: the old links survive."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("kehila", "0007_calendar_profile"), ("committees", "0005_managers_meeting")]
AFTER = [("kehila", "0008_milestone_meeting_moved"), ("committees", "0006_meeting_milestone")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest():
    """Every app migrated forward again afterwards, for the tests that follow in this session."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_copies_every_old_link_to_the_meeting(back_to_the_latest):
    old = _migrate(BEFORE)
    town = old.get_model("kehila", "Municipality").objects.create(name="עיר", slug="old-link")
    program = old.get_model("kehila", "Program").objects.create(municipality=town)
    committee = old.get_model("committees", "Committee").objects.create(
        municipality=town, kind="design", name="ועדה מעצבת"
    )
    Meeting = old.get_model("committees", "Meeting")
    linked, free = (
        Meeting.objects.create(
            municipality=town,
            committee=committee,
            title=title,
            starts_at=datetime(2027, 2, day, 15, tzinfo=UTC),
            ends_at=datetime(2027, 2, day, 17, tzinfo=UTC),
        )
        for day, title in ((1, "linked"), (8, "free"))
    )
    Milestone = old.get_model("kehila", "Milestone")
    design_1 = Milestone.objects.create(
        municipality=town, program=program, key="design_1", planned=date(2027, 2, 1), meeting=linked
    )
    Milestone.objects.create(
        municipality=town, program=program, key="design_2", planned=date(2027, 5, 1)
    )

    new = _migrate(AFTER)
    Meeting = new.get_model("committees", "Meeting")
    assert Meeting.objects.get(pk=linked.pk).milestone_id == design_1.pk
    assert Meeting.objects.get(pk=free.pk).milestone_id is None
    assert "meeting" not in {f.name for f in new.get_model("kehila", "Milestone")._meta.fields}
