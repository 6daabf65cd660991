"""`manage.py verify_signatures` re-hashes every signed document of every municipality and exits non-zero on
a mismatch; beat's weekly task e-mails program HQ what it found, once a week."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import translation

from kehila.mail import outbox_drain
from kehila.models import Municipality, Role
from strategy import tasks
from strategy.models import AgreementVersion, PlanVersion
from tests.factories import member
from tests.strategy.tampering import tamper_plan, tamper_section

pytestmark = pytest.mark.django_db

SUNDAY = datetime.datetime(2027, 3, 7, 4, 0, tzinfo=datetime.UTC)


def run(*args):
    out = io.StringIO()
    call_command("verify_signatures", *args, stdout=out)
    return out.getvalue()


def tamper_both(signed_agreement, signed_plan):
    tamper_section(signed_agreement, "נוסח שהוחלף")
    tamper_plan(PlanVersion.objects.get(pk=signed_plan.pk), "חזון שהוחלף")


def test_all_signed_documents_match(signed_agreement, signed_plan, municipality, manager):
    from tests.strategy.factories import draft_agreement

    draft_agreement(
        Municipality.objects.create(name="אחרת", slug="other-town")
    )  # unsigned: skipped
    assert run().strip() == "All 2 signed documents match their signatures."


def test_a_mismatch_is_printed_and_the_command_fails(signed_agreement, signed_plan):
    tamper_both(signed_agreement, signed_plan)
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 of 2 signed documents") as refused:
        call_command("verify_signatures", stdout=out)
    assert refused.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    agreement = AgreementVersion.objects.get(pk=signed_agreement.pk)
    assert lines[0].startswith(f"MISMATCH agreement version 1 (id {agreement.pk}) of עין הגליל")
    assert f"content SHA-256 {agreement.compute_hash()}" in lines[0]
    assert f"signed SHA-256 {signed_agreement.content_hash}" in lines[0]
    assert lines[1].startswith(f"MISMATCH plan version {signed_plan.number} (id {signed_plan.pk})")


def test_the_command_line_exits_with_status_one(signed_agreement, signed_plan, capsys):
    tamper_both(signed_agreement, signed_plan)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "verify_signatures"]).execute()
    assert exited.value.code == 1
    assert "do not match their signatures" in capsys.readouterr().err


def send_earlier_mail_and_forget_it():
    """The fixtures' own e-mails (approval and signing notices) leave the outbox first, unread here."""
    outbox_drain()
    mail.outbox.clear()


@time_machine.travel(SUNDAY, tick=False)
def test_the_weekly_task_emails_hq_the_mismatches_once_a_week(
    signed_agreement, signed_plan, hq_user, manager
):
    second_hq = member(None, Role.HQ, user__username="hq2")
    tamper_both(signed_agreement, signed_plan)
    send_earlier_mail_and_forget_it()

    assert tasks.verify_signatures_weekly() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([hq_user.email, second_hq.email])
    assert manager.email not in [m.to[0] for m in mail.outbox]
    message = mail.outbox[0]
    with translation.override("he"):
        assert message.subject == "מסמכים חתומים שאינם תואמים את החתימות עליהם: 2"
    body = message.body
    assert "נבדקו: 2. אינם תואמים את החתימות עליהם: 2." in body
    assert (
        f"/m/{signed_agreement.municipality.slug}/strategy/agreement/v/{signed_agreement.pk}/"
        in body
    )
    assert signed_agreement.content_hash in body and signed_plan.content_hash in body

    assert tasks.verify_signatures_weekly() == 2  # the same week: nobody is told twice
    assert len(mail.outbox) == 2
    with time_machine.travel(SUNDAY + datetime.timedelta(days=7), tick=False):
        tasks.verify_signatures_weekly()
    assert len(mail.outbox) == 4


@time_machine.travel(SUNDAY, tick=False)
def test_a_good_week_is_reported_too(signed_agreement, hq_user):
    send_earlier_mail_and_forget_it()
    assert tasks.verify_signatures_weekly() == 0
    [message] = mail.outbox
    assert message.subject == "כל המסמכים החתומים תואמים את החתימות עליהם"
    assert "נבדקו: 1. אינם תואמים את החתימות עליהם: 0." in message.body


def test_beat_runs_it_weekly():
    from celery.schedules import crontab

    from kehila.celery import app

    entry = app.conf.beat_schedule["strategy-verify-signatures"]
    assert entry["task"] == tasks.verify_signatures_weekly.name
    assert entry["schedule"] == crontab(day_of_week="sun", hour=4, minute=0)
