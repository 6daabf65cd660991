"""Celery tasks of the core. The timeline's daily tick lives here so that beat's schedule names one place."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Proves the worker and beat are alive; the operator sees it in the worker log."""
    logger.info("kehila heartbeat")
    return "ok"


@shared_task
def daily_tick() -> int:
    """Placeholder until the timeline scheduler lands: it re-plans and sends due e-mails."""
    return 0


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
