"""Minutes published to the members before the lifecycle (issue 15 §6) stayed "draft" although everyone
had received them: the migration makes them circulated from the day they were published."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("kehila", "0008_milestone_meeting_moved"), ("committees", "0006_meeting_milestone")]
AFTER = [
    ("kehila", "0008_milestone_meeting_moved"),
    ("committees", "0007_published_minutes_circulated"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_published_drafts_become_circulated_and_others_stay_as_they_were(back_to_the_latest):
    old = _migrate(BEFORE)
    town = old.get_model("kehila", "Municipality").objects.create(name="עיר", slug="old-minutes")
    committee = old.get_model("committees", "Committee").objects.create(
        municipality=town, kind="design", name="ועדה מעצבת", corrections_days=10
    )
    Meeting = old.get_model("committees", "Meeting")
    Minutes = old.get_model("committees", "Minutes")
    rows = {}
    for day, published in ((1, True), (8, False)):
        meeting = Meeting.objects.create(
            municipality=town,
            committee=committee,
            title=f"מפגש {day}",
            starts_at=datetime(2026, 2, day, 15, tzinfo=UTC),
            ends_at=datetime(2026, 2, day, 17, tzinfo=UTC),
        )
        rows[published] = Minutes.objects.create(
            municipality=town,
            meeting=meeting,
            note_taker="נ",
            summary="סיכום",
            published_at=datetime(2026, 2, 3, 10, tzinfo=UTC) if published else None,
        )

    new = _migrate(AFTER)
    Minutes = new.get_model("committees", "Minutes")
    was_published = Minutes.objects.get(pk=rows[True].pk)
    assert was_published.state == "circulated"
    assert was_published.circulated_at == datetime(2026, 2, 3, 10, tzinfo=UTC)
    assert was_published.corrections_until == date(2026, 2, 13)
    assert Minutes.objects.get(pk=rows[False].pk).state == "draft"
