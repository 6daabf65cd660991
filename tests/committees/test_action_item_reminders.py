"""Action items' reminders (issue 15 §6): N days before the due date (the committee's setting, default 2)
and once when overdue, through the outbox, once each whatever the number of ticks; done items are quiet."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from committees import services
from committees.models import ActionItem
from kehila import scheduling
from kehila.models import Program, SentMessage

from .factories import MeetingFactory, PersonFactory

TZ = ZoneInfo("Asia/Jerusalem")
pytestmark = pytest.mark.django_db


def _item(municipality, due_on, **kwargs):
    meeting = MeetingFactory(committee__municipality=municipality, **kwargs)
    return ActionItem.objects.create(
        municipality=municipality,
        meeting=meeting,
        title="לאסוף נתונים",
        owner=PersonFactory(municipality=municipality),
        due_on=due_on,
    )


def _tick(municipality, day, capture):
    with time_machine.travel(datetime.combine(day, datetime.min.time(), tzinfo=TZ), tick=False):
        with capture(execute=True):
            return services.action_item_reminders_send(municipality=municipality, today=day)


def test_a_reminder_before_the_due_date_and_one_when_overdue_once_each(
    municipality, django_capture_on_commit_callbacks
):
    item = _item(municipality, date(2026, 3, 20))
    days = [date(2026, 3, d) for d in (17, 18, 19, 20, 21, 22, 23)]
    sent = [_tick(municipality, d, django_capture_on_commit_callbacks) for d in days]
    # 17th: too early; 18th (two days before): reminded; 21st: overdue; the rest: nothing new.
    assert sent == [0, 1, 0, 0, 1, 0, 0]
    assert [m.to[0] for m in mail.outbox] == [item.owner.email, item.owner.email]
    assert "20.3.2026" in mail.outbox[0].body and "לאסוף נתונים" in mail.outbox[1].subject
    assert SentMessage.objects.filter(idempotency_key__startswith="committees:action_").count() == 2


def test_the_committee_sets_how_many_days_before(municipality, django_capture_on_commit_callbacks):
    item = _item(municipality, date(2026, 3, 20))
    item.meeting.committee.action_reminder_days = 5
    item.meeting.committee.save()
    assert _tick(municipality, date(2026, 3, 14), django_capture_on_commit_callbacks) == 0
    assert _tick(municipality, date(2026, 3, 15), django_capture_on_commit_callbacks) == 1


def test_done_items_and_items_without_a_due_date_are_not_reminded(
    municipality, django_capture_on_commit_callbacks
):
    done = _item(municipality, date(2026, 3, 1))
    done.status = ActionItem.Status.DONE
    done.save()
    _item(municipality, None)
    assert _tick(municipality, date(2026, 3, 20), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_new_due_date_is_reminded_again(municipality, django_capture_on_commit_callbacks):
    item = _item(municipality, date(2026, 3, 20))
    assert _tick(municipality, date(2026, 3, 21), django_capture_on_commit_callbacks) == 1
    item.due_on = date(2026, 3, 30)
    item.save()
    assert _tick(municipality, date(2026, 3, 28), django_capture_on_commit_callbacks) == 1


def test_the_daily_tick_runs_the_reminders_that_committees_registered(
    municipality, django_capture_on_commit_callbacks
):
    _item(municipality, date(2026, 3, 20))
    program = Program.objects.filter(municipality=municipality).first() or Program.objects.create(
        municipality=municipality
    )
    with time_machine.travel(datetime(2026, 3, 19, 6, tzinfo=TZ), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            result = scheduling.program_tick(program=program, today=date(2026, 3, 19))
    assert result["action_item_reminders"] == 1
    assert len(mail.outbox) == 1


def test_an_owner_who_turned_action_item_reminders_off_gets_none(
    municipality, django_capture_on_commit_callbacks
):
    from kehila.models import Profile
    from tests.factories import UserFactory

    quiet = _item(municipality, date(2027, 3, 10))
    told = _item(municipality, date(2027, 3, 10))
    account = UserFactory(email=quiet.owner.email.upper())  # the same mailbox, typed otherwise
    Profile.objects.create(user=account, action_item_reminders=False)
    assert _tick(municipality, date(2027, 3, 8), django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [[told.owner.email]]
