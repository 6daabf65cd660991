"""The outbox through real parts: a Celery worker process on the configured broker (Redis in CI, the file
transport otherwise), a real SMTP server (aiosmtpd) that answers slowly, and the worker killed with
SIGKILL in the middle of a meeting's 40 invitations. A second worker finishes the job: every invitee gets
the invitation, at most one of them twice (the one the server accepted just before the kill); then the
manager's "send again" gives nobody a third."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from committees import services as committees
from committees.models import Meeting
from kehila.celery import app as celery_app
from kehila.models import SentMessage
from kehila.permissions import SYSTEM
from partners.models import Person
from tests.kehila.test_timeline_worker import broker_reachable, database_url

ROOT = Path(__file__).resolve().parents[2]
INVITEES = 40
SMTP_DELAY = 0.15  # seconds before the server says 250 to each message
LEASE = 8  # seconds; a batch of 20 takes about 3 s at SMTP_DELAY
TIMEOUT = 120


class SlowCountingHandler:
    """Counts each accepted message per recipient, after a pause, as a loaded server would."""

    def __init__(self):
        self.received = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.sleep(SMTP_DELAY)
        with self.lock:
            self.received.update(envelope.rcpt_tos)
        return "250 Message accepted"

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.received)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_worker(env: dict, queue: str, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "kehila", "worker", "-P", "solo", "-Q", queue,
             "-l", "info", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that SIGKILL takes all of it
        )  # fmt: skip


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _wait(condition, what: str, log: Path, worker=None, sweep=None) -> None:
    deadline = time.monotonic() + TIMEOUT
    last_sweep = 0.0
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None and worker.poll() is not None:
            pytest.fail("the worker died:\n" + log.read_text()[-3000:])
        if sweep and time.monotonic() - last_sweep > 2:
            sweep()  # what beat's every-minute sweep does, faster
            last_sweep = time.monotonic()
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}:\n" + log.read_text()[-3000:])


def _meeting_with_invitees(municipality) -> Meeting:
    committee = committees.committee_for_kind(municipality=municipality, kind="design")
    for i in range(INVITEES):
        person = Person.objects.create(
            municipality=municipality,
            full_name=f"חבר.ת ועדה {i}",
            email=f"invitee-{i:02d}@example.org",
            language="he" if i % 2 else "en",
        )
        committees.member_add(committee=committee, person=person, actor=SYSTEM)
    starts = timezone.now() + timedelta(days=10)
    return committees.meeting_schedule(
        committee=committee,
        title="מפגש",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        actor=SYSTEM,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_worker_killed_mid_batch_loses_no_invitation_and_send_again_adds_none(
    tmp_path, municipality, manager, client, monkeypatch
):
    if not broker_reachable():
        if os.environ.get("KEHILA_REQUIRE_SERVICES"):
            pytest.fail(f"the broker {settings.CELERY_BROKER_URL} is required here but unreachable")
        pytest.skip(f"broker {settings.CELERY_BROKER_URL} unreachable")
    handler = SlowCountingHandler()
    port = _free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    queue = f"test-outbox-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "kehila.settings",
        "KEHILA_VAR_DIR": str(settings.VAR_DIR),  # the same file-system broker folders
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "KEHILA_OUTBOX_LEASE_SECONDS": str(LEASE),
    }
    # The drain this process would queue after each commit goes to the test's queue instead.
    celery_app.conf.task_always_eager = False
    monkeypatch.setattr(
        "kehila.mail._queue_drain",
        lambda: celery_app.send_task("kehila.tasks.outbox_drain", queue=queue),
    )

    def sweep():
        celery_app.send_task("kehila.tasks.outbox_drain", queue=queue)

    workers = []
    try:
        meeting = _meeting_with_invitees(municipality)
        workers.append(_start_worker(env, queue, log))
        assert committees.invitations_send(meeting=meeting, actor=manager) == INVITEES
        assert Meeting.objects.get(pk=meeting.pk).status == "invited"
        # Mid-batch: some accepted, most not yet.
        _wait(lambda: sum(handler.counts().values()) >= 8, "the first e-mails", log, workers[0])
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait()
        at_kill = sum(handler.counts().values())
        assert at_kill < INVITEES, "the worker finished before it was killed; slow the server"
        assert SentMessage.objects.exclude(state="sent").exists()

        workers.append(_start_worker(env, queue, log))
        _wait(
            lambda: (
                len(handler.counts()) == INVITEES
                and not SentMessage.objects.exclude(state="sent").exists()
            ),
            "every invitation",
            log,
            workers[1],
            sweep,
        )
        counts = handler.counts()
        assert sorted(counts) == [f"invitee-{i:02d}@example.org" for i in range(INVITEES)]
        twice = [address for address, n in counts.items() if n > 1]
        assert len(twice) <= 1 and max(counts.values()) <= 2, counts

        # The manager presses "send again": everything was sent, so nothing is queued.
        client.force_login(manager)
        url = reverse(
            "committees:meeting_invite",
            kwargs={"slug": municipality.slug, "meeting_id": meeting.pk},
        )
        assert client.post(url).status_code == 302
        sweep()
        time.sleep(3 * SMTP_DELAY + 2)  # time enough for a wrong second copy to arrive
        _wait(lambda: not SentMessage.objects.exclude(state="sent").exists(), "a quiet outbox", log)
        assert handler.counts() == counts
        assert max(handler.counts().values()) <= 2
        assert SentMessage.objects.filter(about=f"committees.meeting:{meeting.pk}").count() == (
            INVITEES
        )
    finally:
        for worker in workers:
            _stop(worker)
        smtp.stop()


def test_celery_acks_late_and_the_redis_visibility_timeout_outlasts_a_drain_and_its_lease():
    """A killed worker's task message comes back (acks_late, reject on worker lost), and Redis does not
    hand a running drain (at most half a lease) to a second worker. Read in a fresh process, as a
    worker reads them."""
    import json

    probe = (
        "import json, django; django.setup(); from kehila.celery import app; c = app.conf; "
        "print(json.dumps([c.task_acks_late, c.task_reject_on_worker_lost, "
        "c.broker_transport_options.get('visibility_timeout')]))"
    )
    result = subprocess.run(  # noqa: S603 - our own settings, a fixed probe
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "kehila.settings",
            "KEHILA_VAR_DIR": str(settings.VAR_DIR),
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
            "KEHILA_OUTBOX_LEASE_SECONDS": "300",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    acks_late, reject_on_lost, visibility = json.loads(result.stdout.strip().splitlines()[-1])
    assert acks_late and reject_on_lost
    assert visibility > 300  # longer than a lease, so longer than any drain (half a lease)
