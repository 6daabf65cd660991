"""The live-session load (issue 18): twenty sessions at once, sixty phones each polling at the phones'
interval and voting, a board per session polling at the board's; on gunicorn with production settings,
PostgreSQL and Redis, like bench/run.py. Reports the p95 of a poll and of a vote and the time from an
item's submission to the first board poll that shows it; writes bench/live.json and its table in
bench/README.md.

    .venv/bin/python bench/live.py        (make bench runs it after bench/run.py)

The clients are asyncio coroutines in this process, one short connection per request (gunicorn's sync
workers close after each answer), each phone starting at a random moment so the polls spread as real
phones' do.
"""

import asyncio
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    BenchError,
    Children,
    Config,
    environment,
    fetch,
    manage,
    start_web,
)

LIVE_BEGIN, LIVE_END = "<!-- live:begin -->", "<!-- live:end -->"

SESSIONS = int(os.environ.get("BENCH_LIVE_SESSIONS", "20"))
PHONES = int(os.environ.get("BENCH_LIVE_PHONES", "60"))
SECONDS = int(os.environ.get("BENCH_LIVE_SECONDS", "20"))
PHONE_INTERVAL = 3.0  # live/templates/live/phone.html's data-live-interval
BOARD_INTERVAL = (
    1.0  # live/templates/live/board.html's; then what each answer says, as live.js does
)
BOARD_INTERVAL_VOTING = 2.0  # LiveSession.board_interval_ms while voting (for the report)
DOTS = 3  # each participant's dots in the round the facilitators open
VOTE_EVERY = 20.0  # each phone changes its dots about three times a minute while voting
FULL_EVERY = 120.0  # live.js's FULL_EVERY_MS: now and then a poll without If-None-Match, at each phone's own moment
PHASE_SPREAD = 0.5  # the facilitators move to voting one after another, this many seconds apart
RESULTS = ROOT / "bench" / "live.json"
README = ROOT / "bench" / "README.md"
TARGETS = {"poll_p95_ms": 50, "vote_p95_ms": 100, "item_on_board_p95_s": 2}


def p95(values, digits=1):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))], digits)


def prepare(config: Config):
    import psycopg

    base, name = config.database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", "-v", "0")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils import timezone

    from committees.models import Committee, CommitteeMember, Meeting
    from kehila.models import Membership, Municipality, Role
    from live import services
    from partners.models import Person

    municipality = Municipality.objects.create(name="עיר המדידה", slug="live-bench")
    chair = get_user_model().objects.create_user("live-chair", password="kehila-bench")  # noqa: S106 - a synthetic user
    Membership.objects.create(user=chair, municipality=municipality, role=Role.COMMITTEE_MEMBER)
    committee = Committee.objects.create(
        municipality=municipality, name="ועדה מעצבת", kind="design"
    )
    person = Person.objects.create(municipality=municipality, full_name="יושב.ת ראש", user=chair)
    CommitteeMember.objects.create(
        municipality=municipality,
        committee=committee,
        person=person,
        role=CommitteeMember.Role.CHAIR,
    )
    store = SessionStore()
    store[SESSION_KEY] = str(chair.pk)
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b
    )
    store[HASH_SESSION_KEY] = chair.get_session_auth_hash()
    store.create()
    now = timezone.now()
    sessions = []
    for n in range(SESSIONS):
        meeting = Meeting.objects.create(
            municipality=municipality,
            committee=committee,
            title=f"מפגש {n}",
            starts_at=now,
            ends_at=now + timezone.timedelta(hours=2),
        )
        session = services.session_open(
            meeting=meeting, actor=chair, note_taker="רושם.ת", question="מה הכי חשוב?"
        )
        phones = [
            services.join_guest(code=session.code, name=f"משתתף.ת {i}") for i in range(PHONES)
        ]
        session.refresh_from_db()
        # Each phone loads its page (Load.pages), then its first poll asks "still this version?".
        sessions.append(
            {
                "pk": session.pk,
                "code": session.code,
                "keys": [p.key for p in phones],
                "passes": [None] * len(phones),
                "own": [None] * len(phones),
                "etag": f'"live-{session.phone_version}"',
            }
        )
    return chair, store.session_key, sessions, settings.SESSION_COOKIE_NAME


OWN = re.compile(r'data-own-(hand|items|dots)="([^"]*)"')
PACE = re.compile(r'data-live-interval="(\d+)"')
PASS = re.compile(r'data-live-pass="([^"]+)"')


def read_own(body: bytes, own: dict) -> None:
    """As live.js does: an answer's data-own-* marks replace the phone's, a part not said stays."""
    for part, value in OWN.findall(body.decode("utf-8", "replace")):
        own[part] = value


async def request(port, method, path, headers, body=b""):
    """One request on a short connection: (status, headers, body, milliseconds)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
             "X-Forwarded-Proto: https", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    elapsed = (time.perf_counter() - started) * 1000
    head, _, content = raw.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    status = int(head_lines[0].split()[1]) if head_lines and head_lines[0] else 0
    parsed = {}
    for line in head_lines[1:]:
        key, _, value = line.partition(":")
        parsed[key.strip().lower()] = value.strip()
    return status, parsed, content, elapsed


class Load:
    def __init__(self, port, sessions, board_cookie, csrf):
        self.port, self.sessions, self.board_cookie, self.csrf = port, sessions, board_cookie, csrf
        self.polls, self.votes, self.boards, self.on_board = [], [], [], []
        self.errors: dict[str, int] = {}
        self.pending: dict[str, float] = {}  # item text -> when it was sent
        self.voting = False
        self.stop_at = 0.0

    def error(self, what):
        self.errors[what] = self.errors.get(what, 0) + 1

    async def pages(self, batch=60):
        """Each phone loads its page, as after joining, and its script reads from it what live.js reads:
        the pass for its polls and what it has of its own. Not measured; it warms the workers too."""

        async def one(session, n):
            cookie = f"kehila_live_{session['pk']}={session['keys'][n]}"
            status, _got, body, _ms = await request(
                self.port, "GET", f"/j/{session['code']}/", {"Cookie": cookie}
            )
            shown = PASS.search(body.decode("utf-8", "replace"))
            if status != 200 or shown is None:
                raise BenchError(f"a phone's page answered {status} without its pass")
            session["passes"][n], session["own"][n] = shown[1], {}
            read_own(body, session["own"][n])

        phones = [(s, n) for s in self.sessions for n in range(len(s["keys"]))]
        for start in range(0, len(phones), batch):
            await asyncio.gather(*(one(s, n) for s, n in phones[start : start + batch]))

    async def phone(self, session, n):
        key, shown = session["keys"][n], session["passes"][n]
        own = dict(session["own"][n])
        cookie = f"kehila_live_{session['pk']}={key}; csrftoken={self.csrf}"
        version = session["etag"]
        wrote = False
        # A third of the room writes an item, at a moment of its own in the first half of collecting.
        write_at = time.monotonic() + random.uniform(0, SECONDS / 2)
        await asyncio.sleep(random.uniform(0, PHONE_INTERVAL))
        next_vote = time.monotonic() + random.uniform(0, VOTE_EVERY)
        next_full = time.monotonic() + random.uniform(0, FULL_EVERY)
        mine: dict[int, int] = {}  # this phone's dots, item -> count
        while time.monotonic() < self.stop_at:
            headers = {
                "Cookie": cookie,
                "X-Live-Pass": shown,
                "X-Live-Own": " ".join(f"{k}={v}" for k, v in own.items()),
            }
            if time.monotonic() >= next_full:
                next_full += FULL_EVERY
            elif version:
                headers["If-None-Match"] = version
            try:
                status, got, body, ms = await request(
                    self.port, "GET", f"/live/{session['pk']}/poll/phone/", headers
                )
            except OSError:
                self.error("poll connection")
                status, ms = 0, 0
            if status in (200, 304):
                self.polls.append(ms)
                version = got.get("etag", version)
                read_own(body, own)
            elif status:
                self.error(f"poll {status}")
            if not self.voting and not wrote and n % 3 == 0 and time.monotonic() >= write_at:
                wrote = True
                text = f"פריט {session['pk']}-{n}-{random.randrange(10**6)}"
                self.pending[text] = time.perf_counter()
                _status, _ms = await self.post(session, cookie, "item", f"text={text}", "item", own)
            if session.get("voting") and time.monotonic() >= next_vote:
                next_vote += VOTE_EVERY
                # As on the phone's screen, where "+" is disabled with no dot left: a count that fits.
                item = random.choice(session["items"])
                count = random.randint(0, DOTS - sum(mine.values()) + mine.get(item, 0))
                status, ms = await self.post(
                    session, cookie, "dots", f"dots={item}:{count}", "vote", own
                )
                if status == 200:
                    mine[item] = count
                    self.votes.append(ms)
            await asyncio.sleep(PHONE_INTERVAL)

    async def post(self, session, cookie, action, body, what, own):
        from urllib.parse import quote

        body = "&".join(
            f"{k}={quote(v)}" for k, _, v in (part.partition("=") for part in body.split("&"))
        ).encode()
        referer = f"https://127.0.0.1:{self.port}/j/{session['code']}/"
        headers = {
            "Cookie": cookie,
            "X-CSRFToken": self.csrf,
            "Referer": referer,
            "X-Live-Fetch": "1",
        }
        try:
            status, _got, answer, ms = await request(
                self.port, "POST", f"/j/{session['code']}/do/{action}/", headers, body
            )
        except OSError:
            self.error(f"{what} connection")
            return 0, 0
        if status != 200:
            self.error(f"{what} {status}")
        read_own(answer, own)
        return status, ms

    async def board(self, session):
        version, interval = None, BOARD_INTERVAL
        await asyncio.sleep(random.uniform(0, BOARD_INTERVAL))
        while time.monotonic() < self.stop_at:
            headers = {"Cookie": self.board_cookie}
            if version:
                headers["If-None-Match"] = version
            try:
                status, got, body, ms = await request(
                    self.port, "GET", f"/m/live-bench/live/{session['pk']}/poll/board/", headers
                )
            except OSError:
                self.error("board connection")
                status = 0
            if status == 200:
                version = got.get("etag")
                text = body.decode("utf-8", "replace")
                pace = PACE.search(text)
                interval = int(pace[1]) / 1000 if pace else interval
                now = time.perf_counter()
                for item, sent in list(self.pending.items()):
                    if item.startswith(f"פריט {session['pk']}-") and item in text:
                        self.on_board.append(now - sent)
                        del self.pending[item]
            elif status == 304:
                pass
            elif status:
                self.error(f"board {status}")
            if status in (200, 304):
                self.boards.append(ms)
            await asyncio.sleep(interval)

    async def warm(self, rounds=5):
        """A gunicorn worker compiles its templates and opens its connections on its first requests, as a
        server up for a while has long done; bench/run.py warms up before measuring too. A few rounds of
        every session's phone and board drawn in full reach every worker; nothing is measured or changed."""
        for _ in range(rounds):
            await asyncio.gather(
                *(
                    request(self.port, "GET", path, {"Cookie": cookie})
                    for s in self.sessions
                    for path, cookie in (
                        (f"/live/{s['pk']}/poll/phone/", f"kehila_live_{s['pk']}={s['keys'][0]}"),
                        (f"/m/live-bench/live/{s['pk']}/poll/board/", self.board_cookie),
                    )
                )
            )

    async def facilitators(self, chair):
        """Each session's facilitator opens the vote, one after another (their own pace, not one
        second for all twenty)."""
        from live import services
        from live.models import LiveSession

        for s in self.sessions:
            session = await asyncio.to_thread(LiveSession.objects.get, pk=s["pk"])
            await asyncio.to_thread(
                services.phase_set, session=session, actor=chair, phase="vote", dots=DOTS
            )
            s["voting"] = True
            await asyncio.sleep(PHASE_SPREAD)

    async def run(self, seconds, chair=None):
        self.stop_at = time.monotonic() + seconds
        tasks = [self.board(s) for s in self.sessions]
        if chair is not None:
            tasks.append(self.facilitators(chair))
        tasks += [self.phone(s, n) for s in self.sessions for n in range(len(s["keys"]))]
        await asyncio.gather(*tasks)


def main() -> int:
    config = Config.from_env()
    base, name = config.database_url.rsplit("/", 1)
    config = Config(**{**config.__dict__, "database_url": f"{base}/{name}_live"})
    workdir = Path(tempfile.mkdtemp(prefix="kehila-live-bench-"))
    os.environ.update(environment(config, workdir))
    children = Children()
    try:
        print(f"Live sessions: {SESSIONS} sessions x {PHONES} phones, {SECONDS} s collecting, "
              f"{SECONDS} s voting")  # fmt: skip
        chair, session_key, sessions, cookie_name = prepare(config)
        _gunicorn, port = start_web(config, children, workdir)
        status, _h, cookies, _b = fetch(port, "GET", "/j/")
        if status != 200 or "csrftoken" not in cookies:
            raise BenchError(f"the join page answered {status} without a CSRF cookie")
        load = Load(port, sessions, f"{cookie_name}={session_key}", cookies["csrftoken"])
        asyncio.run(load.pages())
        asyncio.run(load.warm())
        asyncio.run(load.run(SECONDS))
        collected_polls = list(load.polls)
        # The vote: each session's facilitator opens it, one after another.
        from live.models import Item

        for s in sessions:
            s["items"] = list(Item.objects.filter(session_id=s["pk"]).values_list("pk", flat=True))
        load.voting = True
        asyncio.run(load.run(SECONDS, chair=chair))
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        children.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    results = {
        "sessions": SESSIONS,
        "phones_per_session": PHONES,
        "phone_poll_interval_s": PHONE_INTERVAL,
        "board_poll_interval_s": BOARD_INTERVAL,
        "board_poll_interval_voting_s": BOARD_INTERVAL_VOTING,
        "polls": len(load.polls),
        "poll_p95_ms": p95(load.polls),
        "poll_p95_collecting_ms": p95(collected_polls),
        "board_poll_p95_ms": p95(load.boards),
        "votes": len(load.votes),
        "vote_p95_ms": p95(load.votes),
        "items_sent": len(load.on_board) + len(load.pending),
        "item_on_board_p95_s": p95(load.on_board, 2),
        "items_never_on_board": len(load.pending),
        "errors": load.errors,
        "cores": os.cpu_count(),
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = render(results)
    text = README.read_text()
    if LIVE_BEGIN not in text:
        text += f"\n## Live sessions (bench/live.py)\n\n{LIVE_BEGIN}\n{LIVE_END}\n"
    start, end = text.index(LIVE_BEGIN) + len(LIVE_BEGIN), text.index(LIVE_END)
    README.write_text(text[:start] + "\n" + table + "\n" + text[end:])
    print(f"\n{table}\n")
    missed = [k for k, target in TARGETS.items() if results.get(k) is None or results[k] > target]
    if load.errors or results["items_never_on_board"] or missed:
        print(f"BENCH: over target or with errors: {missed} {load.errors}", file=sys.stderr)
        return 1
    return 0


def render(r) -> str:
    rows = [
        ("Phone poll p95 (304 or the new state)", f"{r['poll_p95_ms']} ms", "< 50 ms"),
        ("Vote p95 (dots set, the phone's dots back)", f"{r['vote_p95_ms']} ms", "< 100 ms"),
        ("Item from a phone to the board, p95", f"{r['item_on_board_p95_s']} s", "< 2 s"),
        ("Board poll p95", f"{r['board_poll_p95_ms']} ms", ""),
        ("Errors", str(sum(r["errors"].values())), "0"),
    ]
    head = (
        f"{r['sessions']} sessions x {r['phones_per_session']} phones polling every "
        f"{r['phone_poll_interval_s']} s, boards every {r['board_poll_interval_s']} s "
        f"({r.get('board_poll_interval_voting_s', r['board_poll_interval_s'])} s while voting); "
        f"{r['polls']} polls, {r['votes']} votes, {r['items_sent']} items, on {r['cores']} cores.\n\n"
    )
    lines = ["| Measure | Result | Target |", "|---|---|---|"] + [
        f"| {a} | {b} | {c} |" for a, b, c in rows
    ]
    return head + "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
