"""`make bench`: figures, never timed tests. Prints a table and writes bench/results.json.

Timeline figures (issue 5): re-planning every program of 257 municipalities (every local authority in
Israel) and one daily tick for all of them. Runs against a fresh database of its own: a temporary SQLite
file by default, or BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/kehila_bench, which is
dropped and recreated).
"""

import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MUNICIPALITIES = int(os.environ.get("BENCH_MUNICIPALITIES", "257"))


def _prepare_environment() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kehila-bench-"))
    os.environ["KEHILA_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehila.settings")
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> dict:
    _prepare_environment()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)

    from django.contrib.auth import get_user_model

    from kehila import scheduling
    from kehila.models import Membership, Municipality, Program, Role

    rng = random.Random(5568)
    tracks = ["economic", "urban", "social", "educational"]
    municipalities = Municipality.objects.bulk_create(
        Municipality(name=f"רשות {i}", slug=f"authority-{i}") for i in range(MUNICIPALITIES)
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"manager{i}", email=f"manager{i}@example.org")
        for i in range(MUNICIPALITIES)
    )
    Membership.objects.bulk_create(
        Membership(user=u, municipality=m, role=Role.MANAGER)
        for u, m in zip(users, municipalities, strict=True)
    )
    Program.objects.bulk_create(
        Program(
            municipality=m,
            scope_decision_date=date(2026, 1, 4) + timedelta(days=rng.randrange(0, 330)),
            tracks=rng.sample(tracks, rng.randint(2, 3)),
        )
        for m in municipalities
    )
    programs = list(Program.objects.select_related("municipality"))

    first, _ = _timed(lambda: [scheduling.timeline_replan(program=p) for p in programs])
    again, _ = _timed(lambda: [scheduling.timeline_replan(program=p) for p in programs])
    today = date(2026, 11, 23)
    tick, results = _timed(
        lambda: [scheduling.program_tick(program=p, today=today) for p in programs]
    )
    from django.core import mail

    figures = {
        "machine": f"{os.cpu_count()} cores",
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "programs": len(programs),
        "timeline_first_plan_s": round(first, 3),
        "timeline_replan_all_s": round(again, 3),
        "daily_tick_all_s": round(tick, 3),
        "tick_meetings_created": sum(r["meetings"] for r in results),
        "tick_emails": len(getattr(mail, "outbox", [])),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "targets": {"timeline_replan_all_s": 5.0, "daily_tick_all_s": 60.0},
    }
    return figures


if __name__ == "__main__":
    figures = main()
    out = ROOT / "bench" / "results.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing["timeline"] = figures
    out.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    width = max(len(k) for k in figures)
    print("Timeline benchmark")
    for key, value in figures.items():
        print(f"  {key:<{width}}  {value}")
    print(f"written to {out.relative_to(ROOT)}")
