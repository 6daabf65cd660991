"""Page weight and Largest Contentful Paint of the key pages in Chromium on a throttled "slow 4G" profile.

Issue 17: LCP under 1.5 s and at most 150 KB of compressed JavaScript on any page. Runs alone against a
portal that is already serving (`manage.py runserver` on the demo, or gunicorn), with the same settings
and database in this process, which makes the sessions (force_login, as bench/run.py does):

    DATABASE_URL=sqlite:////tmp/kehila-pages.sqlite3 .venv/bin/python bench/pages.py \
        --url http://127.0.0.1:8000 [--write]

or, as `make bench` runs it, on a server of its own (`--serve`): a fresh SQLite database in a temporary
folder, migrated and loaded with the demo, served by the same development server as `make run` (which
sends static files compressed), stopped at the end.

Each page opens in a fresh browser context (an empty cache, as on a first visit), in Hebrew, with
Chromium's DevTools network throttling (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up: Lighthouse's
"slow 4G") and its CPU slowed four times. The bytes are what crossed the network per resource type
(DevTools' encodedDataLength: compressed bodies and their headers). LCP is read from a
PerformanceObserver for 'largest-contentful-paint' after the load event. --write puts the table in
bench/README.md between its page-weight markers.
"""

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
START_MARK = "<!-- pages:start (written by bench/pages.py) -->"
END_MARK = "<!-- pages:end -->"
CHROMIUM = "/usr/bin/chromium"

# Lighthouse's "slow 4G" (its mobile default), as DevTools' Network.emulateNetworkConditions takes it.
SLOW_4G = {
    "offline": False,
    "latency": 150,  # ms
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,  # bytes/s
    "uploadThroughput": 750 * 1024 / 8,
}
CPU_SLOWDOWN = 4
LCP_TARGET_MS = 1500
JS_TARGET_BYTES = 150 * 1024
KINDS = ("html", "css", "js", "font", "other")

LCP_SCRIPT = """() => new Promise(resolve => {
  new PerformanceObserver(list => {
    const entries = list.getEntries();
    resolve(entries[entries.length - 1].startTime);
  }).observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => resolve(null), 3000);
})"""


def kind(resource_type: str, mime_type: str = "") -> str:
    """The column a DevTools resource goes in."""
    by_type = {"Document": "html", "Stylesheet": "css", "Script": "js", "Font": "font"}
    if resource_type in by_type:
        return by_type[resource_type]
    if mime_type.startswith("font/") or mime_type in (
        "application/font-woff",
        "application/x-font-ttf",
    ):
        return "font"
    return "other"


def add_up(resources: list[tuple[str, str, float]]) -> dict[str, int]:
    """Bytes per kind from (resource type, MIME type, encoded bytes) of every finished request."""
    totals = dict.fromkeys(KINDS, 0)
    for resource_type, mime_type, size in resources:
        totals[kind(resource_type, mime_type)] += int(size)
    return totals


def verdict(page: dict) -> str:
    misses = []
    if page["lcp_ms"] is None:
        misses.append("no LCP")
    elif page["lcp_ms"] >= LCP_TARGET_MS:
        misses.append(f"LCP ≥ {LCP_TARGET_MS / 1000:g} s")
    if page["bytes"]["js"] > JS_TARGET_BYTES:
        misses.append(f"JS > {JS_TARGET_BYTES // 1024} KB")
    return "miss: " + ", ".join(misses) if misses else "pass"


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def render_table(result: dict) -> str:
    lines = [
        f"Measured {result['date']} against {result['server']}, Chromium {result['browser']}: "
        f'network "slow 4G" ({SLOW_4G["latency"]} ms, 1.6 Mbit/s down, 750 kbit/s up), CPU ÷ '
        f"{CPU_SLOWDOWN}, empty cache, in Hebrew. Kilobytes as transferred (compressed, with headers).",
        "",
        "| Page | URL | HTML KB | CSS KB | JS KB | fonts KB | other KB | requests | LCP ms | result |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in result["pages"]:
        b = page["bytes"]
        lcp = "–" if page["lcp_ms"] is None else f"{page['lcp_ms']:.0f}"
        lines.append(
            f"| {page['title']} | `{page['pattern']}` | {kb(b['html'])} | {kb(b['css'])} | {kb(b['js'])} "
            f"| {kb(b['font'])} | {kb(b['other'])} | {page['requests']} | {lcp} | {verdict(page)} |"
        )
    lines.append("")
    lines.append(
        f"Targets (issue 17): LCP < {LCP_TARGET_MS} ms and at most {JS_TARGET_BYTES // 1024} KB of "
        "compressed JavaScript on every page."
    )
    return "\n".join(lines)


def replace_between_markers(text: str, table: str) -> str:
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        raise ValueError(f"the README lacks the markers {START_MARK} … {END_MARK}")
    return text[: start + len(START_MARK)] + "\n" + table + "\n" + text[end:]


def key_pages() -> list[dict]:
    """The key pages of the demo (`manage.py load_demo`) and a session cookie for each."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench.run import verify_two_factor
    from kehila.models import Membership

    users = get_user_model().objects.in_bulk(["manager", "member", "hq"], field_name="username")
    if len(users) != 3:
        raise SystemExit("No demo users here: run `manage.py load_demo` on this database first.")
    slug = Membership.objects.filter(user=users["manager"]).values_list(
        "municipality__slug", flat=True
    )[0]

    def session(username: str) -> str:
        client = Client()
        client.force_login(users[username])
        verify_two_factor(client, users[username])
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    manager, member, hq = session("manager"), session("member"), session("hq")
    candidates = [
        ("Login", "/accounts/login/", "login", [], None),
        ("Manager dashboard", "/m/<slug>/", "kehila:dashboard", [slug], manager),
        ("Timeline", "/m/<slug>/timeline/", "kehila:timeline", [slug], manager),
        ("Strategic plan", "/m/<slug>/strategy/plan/", "strategy:plan", [slug], manager),
        ("Public plan", "/public/strategy/<slug>/plan/", "strategy_public:plan", [slug], None),
        ("Relationship map", "/m/<slug>/partners/map/", "partners:map", [slug], manager),
        ("Member page", "/m/<slug>/committees/me/", "committees:me", [slug], member),
        ("HQ overview", "/hq/", "kehila:hq", [], hq),
    ]
    pages = []
    for title, pattern, name, args, cookie in candidates:
        try:
            path = reverse(name, args=args)
        except NoReverseMatch:
            continue  # a page this checkout does not have
        pages.append({"title": title, "pattern": pattern, "path": path, "session": cookie})
    return pages


def measure(browser, base_url: str, page: dict) -> dict:
    from django.conf import settings

    context = browser.new_context(locale="he-IL")
    if page["session"]:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": page["session"], "url": base_url}]
        )
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "he", "url": base_url}])
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    types: dict[str, tuple[str, str]] = {}
    finished: list[tuple[str, str, float]] = []
    cdp.on(
        "Network.responseReceived",
        lambda e: types.__setitem__(e["requestId"], (e["type"], e["response"].get("mimeType", ""))),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: finished.append(
            (*types.get(e["requestId"], ("Other", "")), e["encodedDataLength"])
        ),
    )
    response = tab.goto(base_url + page["path"], wait_until="load")
    if response is None or response.status != 200:
        raise SystemExit(f"{page['path']} answered {response and response.status}")
    lcp = tab.evaluate(LCP_SCRIPT)
    tab.wait_for_timeout(200)  # the last loadingFinished events
    context.close()
    return {
        "title": page["title"],
        "pattern": page["pattern"],
        "bytes": add_up(finished),
        "requests": len(finished),
        "lcp_ms": lcp,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def own_server():
    """The demo on a fresh SQLite database, served on a free port until the block ends."""
    with tempfile.TemporaryDirectory(prefix="kehila-pages-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--no-input", "-v", "0"], ["load_demo"]):
            subprocess.run(manage + command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(
            manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(url + "/accounts/login/", timeout=2)  # noqa: S310 - our own
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("The page-weight server did not start.") from None
                    time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--serve", action="store_true", help="serve the demo on a server of its own"
    )
    parser.add_argument("--write", action="store_true", help="write the table into bench/README.md")
    args = parser.parse_args(argv)
    if args.serve:
        with own_server() as url:
            return measure_all(url, write=args.write)
    return measure_all(args.url, write=args.write)


def measure_all(url: str, *, write: bool) -> int:

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehila.settings")
    import django

    django.setup()
    from django.utils import timezone
    from playwright.sync_api import sync_playwright

    pages = key_pages()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        version = browser.version
        measured = [measure(browser, url.rstrip("/"), page) for page in pages]
        browser.close()
    result = {
        "date": timezone.localtime().isoformat(timespec="seconds"),
        "server": url,
        "browser": version,
        "pages": measured,
    }
    print(json.dumps(result, indent=1))
    table = render_table(result)
    print(table)
    if write:
        README.write_text(replace_between_markers(README.read_text(), table))
    return 0 if all(verdict(p) == "pass" for p in measured) else 1


if __name__ == "__main__":
    sys.exit(main())
