"""The daily tick through a real Celery worker process (solo pool) on the configured broker: run twice,
every e-mail is queued and goes out once. The worker uses the test database (SQLite file or the PostgreSQL test
database) and writes e-mail to files, which the test counts."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from committees.models import Meeting
from kehila.celery import app as celery_app
from kehila.models import Milestone, SentMessage
from tests.kehila.timeline_factories import plan_program

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 40


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def broker_reachable() -> bool:
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        return True
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return False
    return True


def wait_for(condition, worker, log: Path, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            pytest.fail("the worker died:\n" + log.read_text())
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}:\n" + log.read_text()[-3000:])


def _messages_written(mail_dir) -> int:
    """E-mails in the file backend's folder. Counted by message, not by file: the backend names a file
    by the second and its connection object's id, so two connections in one second can share a file."""
    return sum(f.read_text().count("\nMessage-ID: ") for f in mail_dir.glob("*.log"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_real_worker_runs_the_tick_twice_and_sends_every_email_once(
    tmp_path, municipality, manager
):
    if not broker_reachable():
        if os.environ.get("KEHILA_REQUIRE_SERVICES"):
            pytest.fail(f"the broker {settings.CELERY_BROKER_URL} is required here but unreachable")
        pytest.skip(f"broker {settings.CELERY_BROKER_URL} unreachable")
    # Fifty days after the scope decision: design_1 is long overdue, meetings lie within six weeks.
    program = plan_program(municipality, t0=timezone.localdate() - timedelta(days=50))
    queue = f"test-tick-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "kehila.settings",
        "KEHILA_VAR_DIR": str(
            settings.VAR_DIR
        ),  # the same file-system broker folders as this process
        "DATABASE_URL": database_url(),
        "EMAIL_FILE_PATH": str(mail_dir),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    env.pop("EMAIL_URL", None)

    def succeeded(task: str) -> int:
        lines = log.read_text().splitlines()
        return sum(
            1 for line in lines if f"Task kehila.tasks.{task}[" in line and "succeeded" in line
        )

    with log.open("wb") as out:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "kehila", "worker", "-P", "solo", "-Q", queue,
             "-l", "info", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        for run in (1, 2):
            celery_app.send_task("kehila.tasks.daily_tick", queue=queue)
            # The tick queues its e-mails; the drain task it queued after each commit sends them.
            wait_for(
                lambda run=run: (
                    succeeded("program_tick") >= run
                    and SentMessage.objects.exists()
                    and not SentMessage.objects.exclude(state="sent").exists()
                    and _messages_written(mail_dir) >= SentMessage.objects.count()
                ),
                worker,
                log,
                f"tick {run} and its e-mails",
            )
            if run == 1:
                first = sorted(SentMessage.objects.values_list("idempotency_key", flat=True))
                sent_after_first = _messages_written(mail_dir)
        keys = sorted(SentMessage.objects.values_list("idempotency_key", flat=True))
        files = list(mail_dir.glob("*.log"))
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    design_1 = Milestone.objects.get(program=program, key="design_1")
    assert f"overdue:{design_1.pk}:{design_1.planned.isoformat()}:{manager.pk}" in first
    assert keys == first, "the second tick sent something again"
    assert _messages_written(mail_dir) == sent_after_first == len(keys)
    assert any("To: manager@example.org" in f.read_text() for f in files)
    meetings = Meeting.objects.filter(municipality=municipality)
    assert meetings.exists()
    assert meetings.count() == len(set(meetings.values_list("idempotency_key", flat=True)))
