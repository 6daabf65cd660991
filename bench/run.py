"""`make bench`: the load benchmark of issue 9. Figures come from here, never typed by hand.

1. A PostgreSQL database (kehila_bench; BENCH_DATABASE_URL overrides) with national-scale generated data.
   A pristine copy (<name>_pristine) keeps the generation; its comment records the seed, parameters, day,
   migrations and generator code, and a later run with exactly the same generation copies it back
   instead of generating again (BENCH_REGENERATE=1 forces a new one).
2. Timeline figures: re-plan every program (in this process), one daily tick for all programs through a
   real Celery worker on Redis.
3. gunicorn with production settings (bench/settings.py), users of each role logged in, and wrk on
   loopback against the key pages and a trivial view (the bare cost of a request on the same server).
4. bench/results.json, and the table in bench/README.md regenerated from it.

Every child process runs in a session of its own and is stopped at the end, also on Ctrl-C or an error.
"""

import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
LUA = ROOT / "bench" / "wrk.lua"
RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "bench" / "README.md"
PREFIX = "gen"  # generate_demo's slug prefix
PASSWORD = "kehila-bench"  # noqa: S105 - generate_demo's synthetic users
QUEUE = "kehila-bench"
CORES = os.cpu_count() or 1
sys.path.insert(0, str(ROOT))  # run as a script: the project must be importable

from bench.report import TARGETS, parse_wrk, render_table, replace_between_markers  # noqa: E402


class BenchError(Exception):
    pass


STARTED = time.monotonic()


def say(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {text}", flush=True)


@dataclass(frozen=True)
class Config:
    database_url: str
    redis_url: str
    municipalities: int
    years: int
    scale: float
    seed: int
    seconds: int
    warmup: int
    connections: int
    workers: int
    regenerate: bool

    @classmethod
    def from_env(cls) -> "Config":
        e = os.environ.get
        return cls(
            database_url=e("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kehila_bench"),
            redis_url=e("BENCH_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/"),
            municipalities=int(e("BENCH_MUNICIPALITIES", "257")),
            years=int(e("BENCH_YEARS", "3")),
            scale=float(e("BENCH_SCALE", "1")),
            seed=int(e("BENCH_SEED", "1")),
            seconds=int(e("BENCH_SECONDS", "10")),
            warmup=int(e("BENCH_WARMUP", "2")),
            connections=int(e("BENCH_CONNECTIONS", "16")),
            # gunicorn's rule of thumb: sync workers block on the database, so more than the cores.
            workers=int(e("BENCH_WORKERS", str(2 * CORES + 1))),
            regenerate=e("BENCH_REGENERATE", "") not in ("", "0"),
        )


# --- child processes ---------------------------------------------------------------------------


class Children:
    """The processes this run started; each leads a session of its own, so stopping one stops its
    workers too (gunicorn's, Celery's pool), and Ctrl-C in the terminal reaches only this script."""

    def __init__(self):
        self.running: list[subprocess.Popen] = []

    def start(self, command: list[str], log: Path) -> subprocess.Popen:
        with log.open("ab") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        """SIGTERM to the whole group (gunicorn and Celery shut down warm), SIGKILL after 30 s."""

        def alive() -> bool:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return False
            return True

        if alive():
            os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while (process.poll() is None or alive()) and time.monotonic() < deadline:
            time.sleep(0.1)
        if alive():
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(self.running):
            self.stop(process)


def manage(*args: str) -> str:
    """Run manage.py, echo its output as it comes, return it."""
    process = subprocess.Popen(
        [PY, "manage.py", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        for line in process.stdout:
            print("   ", line, end="", flush=True)
            lines.append(line)
    except BaseException:  # Ctrl-C or kill: the command must not outlive the run
        process.kill()
        process.wait()
        raise
    if process.wait():
        raise BenchError(f"manage.py {args[0]} failed (exit {process.returncode})")
    return "".join(lines)


def wait_for(check, seconds: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if process is not None and process.poll() is not None:
            raise BenchError(f"{what} exited (code {process.returncode})")
        if time.monotonic() > deadline:
            raise BenchError(f"{what} not ready after {seconds} s")
        time.sleep(0.2)


def vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise BenchError(f"no VmHWM for process {pid}")


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far (utime and stime in /proc/<pid>/stat)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a worker gunicorn replaced; its time is lost, not misread
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def child_pids(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


# --- 1. the database ---------------------------------------------------------------------------


def environment(config: Config, workdir: Path) -> dict[str, str]:
    """Production settings for gunicorn, the worker and this process (which counts queries)."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": config.database_url,
        "CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": f"{config.redis_url}/12",
        "CACHE_URL": f"{config.redis_url}/13",
        "KEHILA_VAR_DIR": str(workdir),
        "LOG_LEVEL": "WARNING",
        # The sessions are made before the load and some wait longer than a staff session may idle.
        "KEHILA_IDLE_TIMEOUT_MINUTES": "0",
    }


def generation_marker(config: Config) -> dict:
    """Everything a generation depends on. The day counts too: generated dates are relative to it."""
    sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("*/generate.py"))
    sources.append(ROOT / "kehila" / "management" / "commands" / "generate_demo.py")
    digest = hashlib.sha256()
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return {
        "municipalities": config.municipalities,
        "years": config.years,
        "scale": config.scale,
        "seed": config.seed,
        "prefix": PREFIX,
        "day": datetime.now(ZoneInfo("Asia/Jerusalem")).date().isoformat(),
        "migrations_and_generators": digest.hexdigest()[:16],
    }


def prepare_database(config: Config) -> dict:
    import psycopg
    from psycopg import sql

    base, name = config.database_url.rsplit("/", 1)
    pristine = f"{name}_pristine"
    marker = generation_marker(config)

    def admin():
        return psycopg.connect(f"{base}/postgres", autocommit=True)

    def copy(source: str, target: str) -> None:
        with admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target))
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                    sql.Identifier(target), sql.Identifier(source)
                )
            )

    with admin() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [pristine],
        ).fetchone()
    record = json.loads(row[0]) if row and row[0] else None
    if record and record.get("marker") == marker and not config.regenerate:
        print(
            f"Reusing the generation of {record['generated_at']} (same seed, parameters, day, "
            f"migrations and generator code): {pristine} is copied to {name}; it took "
            f"{record['seconds']} s to generate."
        )
        started = time.perf_counter()
        copy(pristine, name)
        return {**record, "reused": True, "copy_s": round(time.perf_counter() - started, 1)}

    print(f"Generating into a new database {name} ({json.dumps(marker)})")
    with admin() as conn:
        for db in (pristine, name):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db))
            )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    manage("migrate", "--no-input", "-v", "0")
    started = time.perf_counter()
    output = manage(
        "generate_demo",
        f"--municipalities={config.municipalities}",
        f"--years={config.years}",
        f"--seed={config.seed}",
        f"--scale={config.scale}",
        f"--prefix={PREFIX}",
    )
    seconds = round(time.perf_counter() - started, 1)
    rows = re.search(r"\(([\d,]+) rows\)", output)
    record = {
        "marker": marker,
        "seconds": seconds,
        "rows": int(rows.group(1).replace(",", "")) if rows else None,
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    print(f"Generation took {seconds} s; keeping a pristine copy for later runs ({pristine}).")
    copy(name, pristine)
    with admin() as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(pristine), sql.Literal(json.dumps(record))
            )
        )
    return {**record, "reused": False}


# --- 2. timeline figures -----------------------------------------------------------------------


def measure_replan() -> dict:
    from kehila import scheduling
    from kehila.models import Program

    programs = list(Program.objects.select_related("municipality").order_by("pk"))
    started = time.perf_counter()
    for program in programs:
        scheduling.timeline_replan(program=program)
    return {"programs": len(programs), "replan_all_s": round(time.perf_counter() - started, 2)}


def measure_tick(children: Children, workdir: Path, timeout: float = 1800) -> dict:
    """One daily tick for all programs through a real worker: daily_tick fans out one program_tick per
    program; the tick is over when the worker's log reports every program_tick done."""
    from django.utils import timezone

    from kehila.tasks import daily_tick

    log = workdir / "celery.log"
    worker = children.start(
        [
            PY, "-m", "celery", "-A", "kehila", "worker", "-Q", QUEUE, "-c", str(CORES),
            "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"bench{os.getpid()}@%h",
        ],
        log,
    )  # fmt: skip
    wait_for(lambda: " ready." in log.read_text(), 120, "the Celery worker", worker)
    started = time.perf_counter()
    daily_tick.apply_async(kwargs={"today": timezone.localdate().isoformat()}, queue=QUEUE)
    deadline = time.monotonic() + timeout
    while True:
        text = log.read_text()
        failed = re.findall(r"Task kehila\.tasks\.\w+\[[^\]]+\] raised unexpected: (.*)", text)
        if failed:
            raise BenchError(f"{len(failed)} tick task(s) failed, first: {failed[0]} (see above)")
        fanned = re.search(r"kehila\.tasks\.daily_tick\[[^\]]+\] succeeded in [\d.]+s: (\d+)", text)
        done = len(re.findall(r"kehila\.tasks\.program_tick\[[^\]]+\] succeeded", text))
        if fanned and done >= int(fanned.group(1)):
            break
        if worker.poll() is not None or time.monotonic() > deadline:
            print(text[-3000:])
            raise BenchError("the Celery worker stopped or did not finish the tick in time")
        time.sleep(0.1)
    seconds = round(time.perf_counter() - started, 2)
    pool = child_pids(worker.pid)
    memory = {
        "worker_main_mb": vm_hwm_mb(worker.pid),
        "worker_pool_mb": max((vm_hwm_mb(pid) for pid in pool), default=0),
        "worker_pool_processes": len(pool),
    }
    children.stop(worker)
    return {"tick_all_s": seconds, "tick_tasks": done, **memory}


def warm_plan_pages() -> dict:
    """What beat runs every night before the working day (strategy.tasks.warm_plan_pages): the plan
    pages rendered into the cache the web server reads. In process, against the same Redis cache."""
    from strategy.warm import plan_pages_warm

    started = time.perf_counter()
    warmed = plan_pages_warm()
    return {
        "warm_plan_pages_s": round(time.perf_counter() - started, 2),
        "warmed_fragments": warmed,
    }


# --- 3. the web server and the pages -----------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    cookie: str = ""
    body: str = ""

    def line(self, port: int, csrf: str = "") -> str:
        """The request as bench/wrk.lua reads it: method, path, body, headers; tab-separated."""
        # Production sits behind a TLS proxy that says so; the settings trust this header.
        headers = ["X-Forwarded-Proto: https"]
        if self.cookie:
            headers.append(f"Cookie: {self.cookie}")
        if self.method == "POST":
            headers += [
                "Content-Type: application/x-www-form-urlencoded",
                f"X-CSRFToken: {csrf}",
                f"Referer: https://127.0.0.1:{port}{self.path}",
            ]
        return "\t".join([self.method, self.path, self.body, *headers])


@dataclass
class Page:
    name: str
    title: str
    pattern: str  # the URL as the table shows it
    requests: list[Request]
    expected: int = 200
    p95_target: int = TARGETS["page_p95_ms"]
    note: str = ""
    figures: dict = field(default_factory=dict)


def fetch(port: int, method: str, path: str, headers=None, body: str | None = None):
    """One request on loopback; returns the status, headers, cookies set and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})}
        )
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, response.headers, cookies, content


def start_web(config: Config, children: Children, workdir: Path) -> tuple[subprocess.Popen, int]:
    manage("collectstatic", "--no-input", "-v", "0")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = children.start(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "kehila.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(config.workers),
            "--log-level", "warning", "--error-logfile", "-", "--timeout", "60",
        ],
        workdir / "gunicorn.log",
    )  # fmt: skip

    def answers() -> bool:
        try:
            return fetch(port, "GET", "/bench/trivial/")[0] == 200
        except OSError:
            return False

    wait_for(answers, 60, "gunicorn", gunicorn)
    return gunicorn, port


def login(port: int, username: str) -> tuple[str, str]:
    """Log in through the login form as a browser does; returns the session and CSRF cookies."""
    from django.conf import settings

    status, _, cookies, page = fetch(port, "GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None or "csrftoken" not in cookies:
        raise BenchError(f"the login page answered {status} without a CSRF token")
    status, headers, set_now, _ = fetch(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{port}/accounts/login/",
        },
        body=urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        ),
    )
    session = set_now.get(settings.SESSION_COOKIE_NAME)
    if status != 302 or not session:
        raise BenchError(f"logging in as {username} failed ({status})")
    # The page the portal opens for the user after the login must answer.
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    status, headers, _, _ = fetch(port, "GET", "/", headers=cookie)
    if status == 302:
        status = fetch(port, "GET", urlsplit(headers["Location"]).path, headers=cookie)[0]
    if status != 200:
        raise BenchError(f"{username}'s first page answers {status} after the login")
    return session, cookies["csrftoken"]


def verify_two_factor(client, user) -> None:
    """Give a force_login session the authenticator a manager or HQ would have verified at login, so
    that the pages measured are the pages, not the redirect to the second step."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kehila.accounts import requires_two_factor

    if not requires_two_factor(user):
        return
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "bench authenticator"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def build_pages(port: int) -> tuple[list[Page], str]:
    """The key pages, each spread over every generated municipality where the URL names one."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from committees import links
    from committees.models import Invitation, Meeting
    from kehila.generate import HQ_USERNAME
    from kehila.models import Municipality, Role
    from strategy.models import PlanVersion, VersionStatus

    municipalities = list(
        Municipality.objects.filter(slug__startswith=f"{PREFIX}-").order_by("slug")
    )
    if not municipalities:
        raise BenchError("no generated municipalities in the database")
    slugs = [m.slug for m in municipalities]

    # One user of every role logs in through the form; the other sessions are made in process
    # (force_login, the same session rows) to spare ~500 password hashes that measure nothing.
    first = slugs[0]
    roles = [r for r in Role.values if r != Role.HQ]
    csrf = ""
    for username in [f"{first}-{role}" for role in roles] + [HQ_USERNAME]:
        _, csrf = login(port, username)
    print(f"  logged in through the form: {', '.join(roles)} of {first} and {HQ_USERNAME}")
    users = get_user_model().objects.in_bulk(
        [f"{s}-{r}" for s in slugs for r in (Role.MANAGER, Role.COMMITTEE_MEMBER)] + [HQ_USERNAME],
        field_name="username",
    )
    if len(users) != 2 * len(slugs) + 1:
        raise BenchError("generate_demo did not write a manager and a committee member everywhere")

    def session(username: str) -> str:
        client = Client()
        client.force_login(users[username])
        verify_two_factor(client, users[username])
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    manager = {s: session(f"{s}-{Role.MANAGER}") for s in slugs}
    member = {s: session(f"{s}-{Role.COMMITTEE_MEMBER}") for s in slugs}
    hq = session(HQ_USERNAME)

    soon = timezone.now() + timedelta(hours=2)  # answers stay open through the run
    upcoming = Meeting.objects.filter(municipality__in=municipalities, starts_at__gt=soon).exclude(
        status=Meeting.Status.CANCELLED
    )
    largest: dict[str, dict] = {}  # the largest upcoming meeting of each municipality
    for meeting in upcoming.annotate(invitees=Count("invitations")).values(
        "pk", "municipality__slug", "invitees"
    ):
        slug = meeting["municipality__slug"]
        if meeting["invitees"] > largest.get(slug, {"invitees": 0})["invitees"]:
            largest[slug] = meeting
    invitations = list(
        Invitation.objects.filter(meeting__in=upcoming)
        .order_by("municipality_id", "pk")
        .values_list("pk", "municipality_id")
    )
    per_municipality: dict[int, int] = {}
    answers = []
    for pk, municipality_id in invitations:  # up to 20 invitations of each municipality
        if per_municipality.get(municipality_id, 0) < 20:
            per_municipality[municipality_id] = per_municipality.get(municipality_id, 0) + 1
            answers.append(pk)
    signed = set(
        PlanVersion.objects.filter(municipality__in=municipalities, status=VersionStatus.IN_FORCE)
        .values_list("municipality__slug", flat=True)
        .distinct()
    )
    public_slugs = [s for s in slugs if s in signed] or slugs
    filter_query = "sector=residents&consent=active"
    invitees = [m["invitees"] for m in largest.values()]

    pages = [
        Page(
            "trivial",
            "Trivial view (no database)",
            "/bench/trivial/",
            [Request("GET", "/bench/trivial/")],
        ),
        Page(
            "dashboard",
            "Manager dashboard",
            "/m/<slug>/",
            [Request("GET", reverse("kehila:dashboard", args=[s]), manager[s]) for s in slugs],
        ),
        Page(
            "stakeholders",
            "Stakeholder list, filtered",
            f"/m/<slug>/partners/?{filter_query}",
            [
                Request("GET", f"{reverse('partners:list', args=[s])}?{filter_query}", manager[s])
                for s in slugs
            ],
        ),
        Page(
            "meeting",
            "Meeting page (largest upcoming)",
            "/m/<slug>/committees/meetings/<id>/",
            [
                Request(
                    "GET",
                    reverse("committees:meeting", args=[m["municipality__slug"], m["pk"]]),
                    manager[m["municipality__slug"]],
                )
                for m in largest.values()
            ],
            note=f"{min(invitees)}–{max(invitees)} invitees" if invitees else "no upcoming meeting",
        ),
        Page(
            "member",
            "Member page (committee member)",
            "/m/<slug>/committees/me/",
            [Request("GET", reverse("committees:me", args=[s]), member[s]) for s in slugs],
        ),
        Page(
            "rsvp",
            "RSVP answer (POST, signed link)",
            "/public/committees/rsvp/<token>/",
            [
                Request(
                    "POST",
                    reverse("committees_public:rsvp", args=[links.rsvp_token(Invitation(pk=pk))]),
                    f"csrftoken={csrf}",
                    urlencode({"response": ("yes", "no", "maybe")[i % 3], "note": ""}),
                )
                for i, pk in enumerate(answers)
            ],
            expected=302,  # the answer is recorded, then redirect after POST
            p95_target=TARGETS["rsvp_p95_ms"],
            note=f"{len(answers)} invitations",
        ),
        Page(
            "timeline",
            "Timeline page",
            "/m/<slug>/timeline/",
            [Request("GET", reverse("kehila:timeline", args=[s]), manager[s]) for s in slugs],
        ),
        Page(
            "public_plan",
            "Public plan page",
            "/public/strategy/<slug>/plan/",
            [Request("GET", reverse("strategy_public:plan", args=[s])) for s in public_slugs],
            note=f"{len(signed)} signed plans" if signed else "no signed plan in the data",
        ),
        Page("hq", "HQ overview", "/hq/", [Request("GET", reverse("kehila:hq"), hq)]),
    ]
    return pages, csrf


def measure_alone(page: Page, client) -> None:
    """The page's requests one at a time, in process, on the same database, users and URLs as the load.

    Queries: the first request of a URL (its caches cold: no load has run yet) and the same URL again
    (warm); both must stay within the budget. Time: a request to another URL of the page (caches cold,
    but this process warm: templates compiled) and that URL again (warm), each with the database's
    share. The times are not targets: they say where a slow page's time goes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def one(request: Request) -> tuple[int, float, float]:
        client.cookies.clear()
        for pair in filter(None, request.cookie.split("; ")):
            name, _, value = pair.partition("=")
            client.cookies[name] = value
        in_database = []

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                in_database.append(time.perf_counter() - started)

        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
            response = client.generic(
                request.method,
                request.path,
                request.body,
                content_type="application/x-www-form-urlencoded",
                secure=True,
            )
        if response.status_code != page.expected:
            raise BenchError(f"{request.path} answered {response.status_code} in process")
        elapsed = time.perf_counter() - started
        return len(captured), round(elapsed * 1000, 1), round(sum(in_database) * 1000, 1)

    counted, timed_url = page.requests[-1], page.requests[len(page.requests) // 2]
    try:
        queries_cold, _, _ = one(counted)
        queries, _, _ = one(counted)
        _, cold_ms, cold_db_ms = one(timed_url)
        _, warm_ms, warm_db_ms = one(timed_url)
    except Exception as error:  # the test client re-raises the view's exception
        page.figures["failed"] = f"in process: {error!r}"
        return
    page.figures.update(
        {
            "queries_cold": queries_cold,
            "queries": queries,
            "alone_cold_ms": cold_ms,
            "alone_cold_db_ms": cold_db_ms,
            "alone_ms": warm_ms,
            "alone_db_ms": warm_db_ms,
        }
    )


def drive(page: Page, port: int, csrf: str, config: Config, workdir: Path, gunicorn) -> None:
    """A short warm-up, then the measured run, with 16 connections on one wrk thread: wrk needs a
    fraction of a core at these rates, so the two cores stay with the server. The CPU time gunicorn's
    workers spent in the measured run, per request, tells a slow page from a busy machine."""
    file = workdir / f"{page.name}.requests"
    file.write_text("".join(r.line(port, csrf) + "\n" for r in page.requests))

    def wrk(seconds: int) -> dict:
        command = [
            "wrk", "-t1", f"-c{config.connections}", f"-d{seconds}s", "--timeout", "10s",
            "--latency", "-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(file), str(page.expected),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
        if done.returncode or "WRK_JSON" not in done.stdout:
            raise BenchError(f"wrk failed: {done.stderr or done.stdout}")
        return parse_wrk(done.stdout)

    warm = wrk(config.warmup)
    workers = child_pids(gunicorn.pid)
    cpu_before = cpu_seconds(workers)
    figures = wrk(config.seconds)
    if figures["requests"]:
        spent = cpu_seconds(workers) - cpu_before
        figures["server_cpu_ms"] = round(spent * 1000 / figures["requests"], 1)
    bad = warm["unexpected"] + figures["unexpected"]
    errors = warm["socket_errors"] + figures["socket_errors"]
    if not figures["requests"]:
        page.figures["failed"] = f"no request completed in {config.seconds} s"
    elif bad or errors:
        status = figures["unexpected_status"] or warm["unexpected_status"]
        page.figures["failed"] = (
            f"{bad} answers other than {page.expected} (last {status}), {errors} socket errors"
        )
    page.figures.update(figures)


def measure_web(config: Config, children: Children, workdir: Path) -> tuple[list[Page], dict]:
    from django.test import Client

    gunicorn, port = start_web(config, children, workdir)
    pages, csrf = build_pages(port)
    # One client for all: a new one loads the middleware again (WhiteNoise scans the static files).
    client = Client()
    for page in pages:  # queries first, while no load has warmed the caches
        if not page.requests:
            page.figures["failed"] = f"no data for this page ({page.note or 'none generated'})"
        else:
            measure_alone(page, client)
    for page in pages:
        if not page.figures.get("failed"):
            drive(page, port, csrf, config, workdir, gunicorn)
        say(f"   {page.name:<13} {page.figures}")
    trivial = pages[0].figures.get("rps")
    for page in pages:
        if "rps" in page.figures and trivial:
            page.figures["ratio"] = round(page.figures["rps"] / trivial, 3)
    workers = child_pids(gunicorn.pid)
    web = {
        "workers": len(workers),
        "worker_mb": max((vm_hwm_mb(pid) for pid in workers), default=0),
        "master_mb": vm_hwm_mb(gunicorn.pid),
    }
    children.stop(gunicorn)
    if any(p.figures.get("failed") for p in pages):
        print((workdir / "gunicorn.log").read_text()[-5000:], file=sys.stderr)
    return pages, web


# --- 4. results --------------------------------------------------------------------------------


def machine(config: Config, load_average: float) -> dict:
    import django
    from django.db import connection

    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
         if ln.startswith("model name")),
        "unknown",
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no")
    return {
        "cores": CORES,
        "cpu": cpu,
        "load_average_at_start": load_average,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "database": f"PostgreSQL {version.split()[0]}, {config.database_url.rsplit('/', 1)[1]} ({size})",
        "django": django.get_version(),
        "commit": git("rev-parse", "--short", "HEAD") + (" with local changes" if dirty else ""),
    }


# --- the run -----------------------------------------------------------------------------------


def run(config: Config, children: Children, workdir: Path) -> dict:
    # The machine is shared: how busy it was when the run started goes into the table.
    load_average = os.getloadavg()[0]
    os.environ.update(environment(config, workdir))
    say(f"1. Database {config.database_url}")
    generation = prepare_database(config)

    import django

    django.setup()
    import redis

    for db in (12, 13):  # the bench's own broker and cache
        redis.Redis.from_url(f"{config.redis_url}/{db}").flushdb()

    say(
        "2. Timeline: re-plan all programs, then one daily tick through a Celery worker; "
        "then the nightly warm-up of the plan pages"
    )
    timeline = measure_replan()
    timeline.update(measure_tick(children, workdir))
    timeline.update(warm_plan_pages())
    say(f"   {timeline}")

    say(f"3. gunicorn ({config.workers} workers) and the pages")
    pages, web = measure_web(config, children, workdir)
    return {
        "machine": machine(config, load_average),
        "params": {
            "municipalities": config.municipalities,
            "years": config.years,
            "scale": config.scale,
            "seed": config.seed,
            "connections": config.connections,
            "seconds": config.seconds,
            "warmup": config.warmup,
            "workers": config.workers,
        },
        "targets": TARGETS,
        "generation": generation,
        "timeline": timeline,
        "web": web,
        "pages": [
            {
                "name": p.name,
                "title": p.title,
                "pattern": p.pattern,
                "urls": len(p.requests),
                "expected_status": p.expected,
                "p95_target": p.p95_target,
                "note": p.note,
                **p.figures,
            }
            for p in pages
        ],
    }


def main() -> int:
    config = Config.from_env()
    children = Children()
    workdir = Path(tempfile.mkdtemp(prefix="kehila-bench-"))
    # A plain `kill` stops the run as Ctrl-C does: through the finally below.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        results = run(config, children, workdir)
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        for log in sorted(workdir.glob("*.log")):
            print(f"--- {log.name} (end)\n{log.read_text()[-2000:]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted: stopping what the run started.", file=sys.stderr)
        return 130
    finally:
        children.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = render_table(results)
    README.write_text(replace_between_markers(README.read_text(), table))
    print(f"\n{table}\n\nWritten to {RESULTS.relative_to(ROOT)} and {README.relative_to(ROOT)}.")
    failed = [p["name"] for p in results["pages"] if p.get("failed")]
    if failed:
        print(f"BENCH FAILED: pages with errors: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
