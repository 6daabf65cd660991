"""One integration test with a real Celery worker process on the configured broker: the file-system
transport by default, Redis in CI (CELERY_BROKER_URL). Unit tests call tasks in-process."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from kehila.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_a_real_worker_runs_a_queued_task_and_sends_the_email(tmp_path):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KEHILA_VAR_DIR": str(settings.VAR_DIR),
        "EMAIL_FILE_PATH": str(mail_dir),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    env.pop("EMAIL_URL", None)
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "kehila", "worker", "-P", "solo", "-Q", queue,
         "-l", "warning", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        celery_app.conf.task_always_eager = False
        celery_app.send_task("kehila.tasks.send_test_email", args=["ops@example.org"], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(mail_dir.glob("*.log")):
            if worker.poll() is not None:
                pytest.fail("the worker died:\n" + worker.stdout.read().decode())
            time.sleep(0.5)
        files = list(mail_dir.glob("*.log"))
        assert files, "the worker did not send the e-mail within 60 seconds"
        message = files[0].read_text()
        assert "To: ops@example.org" in message
        assert "e-mail works" in message
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
