import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehila.settings")

app = Celery("kehila")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The schedule lives in code so that every install runs the same timeline.
app.conf.beat_schedule = {
    "timeline-daily-tick": {
        "task": "kehila.tasks.daily_tick",
        "schedule": crontab(hour=6, minute=0),
    },
    "partners-purge-staged-imports": {
        "task": "partners.tasks.purge_staged_imports",
        "schedule": crontab(hour=3, minute=30),
    },
    "outbox-purge-sent-bodies": {
        "task": "kehila.tasks.purge_sent_bodies",
        "schedule": crontab(hour=3, minute=50),
    },
    "privacy-purge-contact-log": {
        "task": "kehila.tasks.purge_contact_log",
        "schedule": crontab(hour=3, minute=45),
    },
    # Before the working day and the timeline's tick: the plan pages everyone opens first, rendered.
    "strategy-warm-plan-pages": {
        "task": "strategy.tasks.warm_plan_pages",
        "schedule": crontab(hour=5, minute=30),
    },
    # Every e-mail is queued with a drain task after its commit; the sweep sends whatever a lost task
    # message, a dead worker (its claims' leases run out) or a retry's backoff left behind.
    "outbox-sweep": {
        "task": "kehila.tasks.outbox_drain",
        "schedule": 60.0,
    },
    # Weekly, before the working week starts on Sunday: every signed document re-hashed, HQ told.
    "strategy-verify-signatures": {
        "task": "strategy.tasks.verify_signatures_weekly",
        "schedule": crontab(day_of_week="sun", hour=4, minute=0),
    },
    "heartbeat": {
        "task": "kehila.tasks.heartbeat",
        "schedule": 300.0,
    },
}
