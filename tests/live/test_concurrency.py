"""Two taps at once from one phone do one thing: a move locks the session's row, so a second vote waits
for the first to commit and counts against the same budget, and a second send of an item finds the
first. Proved on PostgreSQL, where rows are locked (SQLite runs one writer at a time and has no row
locks to remove)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from live import services
from live.models import Dot, Item, LiveSession
from tests.committees.factories import MeetingFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def _open_session(municipality, manager):
    meeting = MeetingFactory(committee__municipality=municipality, started=True)
    session = services.session_open(meeting=meeting, actor=manager, note_taker="רונית")
    phone = services.join_guest(code=session.code, name="דנה")
    return session, phone


def _while_uncommitted(first, again) -> dict:
    """`first` in a transaction left open while `again` runs in another thread, which must wait for it."""
    outcome = {}

    def run():
        try:
            outcome["done"] = again()
        except ValidationError as error:
            outcome["refused"] = error
        finally:
            connection.close()

    with transaction.atomic():
        first()
        other = threading.Thread(target=run)
        other.start()
        other.join(timeout=2)
        assert other.is_alive(), "the second move did not wait for the first one's lock"
    other.join(timeout=30)
    return outcome


def test_a_second_vote_waits_for_the_first_and_counts_against_the_same_budget(
    municipality, manager
):
    session, phone = _open_session(municipality, manager)
    a = services.item_add(session=session, actor=manager, text="חניה")
    b = services.item_add(session=session, actor=manager, text="צעירים")
    services.phase_set(session=session, actor=manager, phase=LiveSession.Phase.VOTE, dots=3)
    phone.session.refresh_from_db()
    second = _while_uncommitted(
        lambda: services.dots_set(participant=phone, item_id=a.pk, count=3),
        lambda: services.dots_set(participant=phone, item_id=b.pk, count=3),
    )
    assert "refused" in second and Dot.objects.filter(participant=phone).count() == 3


def test_a_second_send_of_an_item_waits_for_the_first_and_finds_it(municipality, manager):
    session, phone = _open_session(municipality, manager)

    def send():
        return services.item_add(session=phone.session, participant=phone, text="חניה ליד הגן")

    second = _while_uncommitted(send, send)
    assert Item.objects.filter(session=session).count() == 1
    assert second["done"] == Item.objects.get(session=session)
