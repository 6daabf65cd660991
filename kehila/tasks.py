"""Celery tasks of the core. The timeline's daily tick lives here so that beat's schedule names one place.

Tasks take ids and ISO dates (never model instances), re-fetch, and are idempotent: acks_late means a task
may run again after a worker dies, and every step below it is keyed in the database.
"""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Proves the worker and beat are alive; the operator sees it in the worker log."""
    logger.info("kehila heartbeat")
    return "ok"


@shared_task(bind=True)
def daily_tick(self, today: str | None = None) -> int:
    """Fan out one `program_tick` per program with a scope decision; returns how many were queued.

    The day is fixed here and passed on, so a program task that runs after midnight still acts for the
    day beat meant. The program tasks go to the queue the tick came from, so a tick sent to a dedicated
    queue (an operator's re-run, the integration test) stays on that queue's workers."""
    from .models import Program

    day = today or timezone.localdate().isoformat()
    queue = (self.request.delivery_info or {}).get("routing_key") or None
    ids = list(
        # A paused municipality is passed by (kehila.pausing); reopened, its next tick catches up.
        Program.objects.filter(
            scope_decision_date__isnull=False, municipality__paused_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for program_id in ids:
        program_tick.apply_async((program_id, day), queue=queue)
    return len(ids)


@shared_task
def program_tick(program_id: int, today: str) -> dict:
    """One program's daily round: re-plan, create and move meetings, invite, remind, warn, digest."""
    from . import scheduling
    from .models import Program

    program = Program.objects.select_related("municipality").filter(pk=program_id).first()
    if program is None:
        return {}
    return scheduling.program_tick(program=program, today=date.fromisoformat(today))


@shared_task(bind=True)
def outbox_drain(self) -> int:
    """Send what the outbox holds; queued after every commit that wrote e-mail, and by beat each minute.

    acks_late (settings): a worker killed mid-drain leaves this message unacknowledged, and the rows it
    claimed are claimed again when their lease runs out, by this task's next run or beat's sweep. The
    drain stops after half a lease and queues its own continuation, so it never outlives its claims."""
    from django.conf import settings

    from . import mail

    sent, more = mail.outbox_drain(time_limit=settings.KEHILA_OUTBOX_LEASE_SECONDS / 2)
    if more:
        queue = (self.request.delivery_info or {}).get("routing_key") or None
        outbox_drain.apply_async(queue=queue)
    return sent


@shared_task
def purge_sent_bodies() -> int:
    """Nightly: sent e-mails' bodies (names, personal links) are not kept past their retention."""
    from .mail import sent_bodies_purge

    return sent_bodies_purge()


@shared_task
def send_test_email(address: str) -> None:
    """Lets an operator prove that the worker runs and the mail settings deliver (manage.py send_test_email)."""
    from django.core.mail import send_mail

    send_mail(
        "Kehila portal: test e-mail / הודעת בדיקה",
        "The Celery worker sent this message: e-mail works.\nהודעה זו נשלחה מהתור: הדואר פועל.",
        None,
        [address],
    )


@shared_task
def purge_contact_log() -> int:
    """Nightly: the log of access to contact details is itself personal data, kept only as long as the
    retention setting says."""
    from .privacy import contact_log_purge

    return contact_log_purge()
