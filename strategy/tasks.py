from celery import shared_task

from . import warm


@shared_task
def warm_plan_pages() -> int:
    return warm.plan_pages_warm()
