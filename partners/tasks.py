from celery import shared_task

from . import services


@shared_task
def purge_staged_imports() -> int:
    return services.staged_imports_purge()
