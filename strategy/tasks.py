from celery import shared_task

from . import services, warm


@shared_task
def warm_plan_pages() -> int:
    return warm.plan_pages_warm()


@shared_task
def verify_signatures_weekly() -> int:
    """Every signed document re-hashed; program HQ e-mailed the findings. Returns the mismatches."""
    return len(services.signatures_verify_and_report().mismatches)
