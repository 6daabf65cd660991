"""Two taps at once from one phone count against one budget: a vote locks the session's row, so a second
vote waits for the first to commit and then sees its dots. Proved on PostgreSQL, where rows are locked
(SQLite runs one writer at a time and has no row locks to remove)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from live import services
from live.models import Dot, LiveSession
from tests.committees.factories import MeetingFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def test_a_second_vote_waits_for_the_first_and_counts_against_the_same_budget(
    municipality, manager
):
    meeting = MeetingFactory(committee__municipality=municipality, started=True)
    session = services.session_open(meeting=meeting, actor=manager, note_taker="רונית")
    phone = services.join_guest(code=session.code, name="דנה")
    a = services.item_add(session=session, actor=manager, text="חניה")
    b = services.item_add(session=session, actor=manager, text="צעירים")
    services.phase_set(session=session, actor=manager, phase=LiveSession.Phase.VOTE, dots=3)
    phone.session.refresh_from_db()
    second = {}

    def tap_again():
        try:
            second["placed"] = services.dots_set(participant=phone, item_id=b.pk, count=3)
        except ValidationError as error:
            second["refused"] = error
        finally:
            connection.close()

    with transaction.atomic():
        services.dots_set(participant=phone, item_id=a.pk, count=3)  # not committed yet
        other = threading.Thread(target=tap_again)
        other.start()
        other.join(timeout=2)
        assert other.is_alive(), "the second vote did not wait for the first one's lock"
    other.join(timeout=30)
    assert "refused" in second and Dot.objects.filter(participant=phone).count() == 3
