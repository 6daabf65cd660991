import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from kehila.demo import DEMO_PASSWORD, DEMO_USERS
from kehila.permissions import role_requires_second_factor


class Command(BaseCommand):
    help = "Serve the portal with a Celery worker and beat; Ctrl-C stops all three."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        python = sys.executable
        commands = {
            "worker": [python, "-m", "celery", "-A", "kehila", "worker", "-l", "info", "-c", "2"],
            "beat": [
                python, "-m", "celery", "-A", "kehila", "beat", "-l", "info",
                "-s", settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
            "web": [python, "manage.py", "runserver", addr],
        }  # fmt: skip
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        time.sleep(1)
        self.stdout.write(self.style.SUCCESS(f"\nThe portal is at http://{addr}/"))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, _first, _last, role, _track in DEMO_USERS:
            note = (
                "  (first login: enrol an authenticator app)"
                if role_requires_second_factor(role)
                else ""
            )
            self.stdout.write(f"  {username:<10} {role.label}{note}")
        self.stdout.write("Press Ctrl-C to stop the web server, the worker and beat.\n")

        def stop(*_):
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()

        signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(1)
            failed = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"Stopped because {', '.join(failed)} exited.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            stop()
