"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, never a downloaded browser) against
pytest-django's live_server. Every page a journey visits is checked with axe-core for WCAG 2.0/2.1 A and AA
violations (Israeli Standard 5568), in the page's language and again in every other language of
settings.LANGUAGES (Hebrew, English, Arabic)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _missing() -> str | None:
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if not AXE.exists():
        return f"{AXE} is missing (npm ci)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -r requirements.lock)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("KEHILA_REQUIRE_BROWSER"):
            pytest.fail(f"Browser tests are required here but cannot run: {reason}")
        pytest.skip(f"BROWSER TESTS SKIPPED: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


class AccessiblePage:
    """Wraps a Playwright page: `check()` runs axe on the current page in both languages; at the end of
    the test every URL the page showed must have been checked."""

    def __init__(self, page, base_url, *, axe_tags=None, max_width=None):
        self.page = page
        self.base_url = base_url
        self.axe_tags = axe_tags or AXE_TAGS
        self.max_width = max_width  # a phone's width: no page may scroll sideways past it
        self.visited: set[str] = set()
        self.checked: set[str] = set()
        page.on(
            "framenavigated",
            lambda frame: frame == page.main_frame and self.visited.add(_path(frame.url)),
        )

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.check()
        return self.page

    def check(self):
        self.page.wait_for_load_state("load")
        language = self.page.evaluate("document.documentElement.lang") or "he"
        self._assert_page(self.page, language)
        self._check_other_language(language)
        self.checked.add(_path(self.page.url))

    def _check_other_language(self, language):
        """The same page in every other language the portal speaks, each with axe, each with its
        direction (right to left for Hebrew and Arabic)."""
        from django.conf import settings
        from django.utils.translation import get_language_info

        context = self.page.context
        saved = [c for c in context.cookies() if c["name"] == "django_language"]
        try:
            for other, _name in settings.LANGUAGES:
                if other == language[:2]:
                    continue
                context.add_cookies(
                    [{"name": "django_language", "value": other, "url": self.base_url}]
                )
                second = context.new_page()
                try:
                    second.goto(self.page.url)
                    assert second.evaluate("document.documentElement.lang") == other
                    direction = "rtl" if get_language_info(other)["bidi"] else "ltr"
                    assert second.evaluate("document.documentElement.dir") == direction
                    self._assert_page(second, other)
                finally:
                    second.close()
        finally:
            context.clear_cookies(name="django_language")
            if saved:
                context.add_cookies(saved)

    def _assert_page(self, page, language):
        _assert_no_violations(page, language, self.axe_tags)
        if self.max_width is not None:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= self.max_width, (
                f"{page.url} [{language}] is {width}px wide on a {self.max_width}px screen"
            )

    def login(self, user):
        """Log `user` in without the form (the login journey covers the form itself)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url}]
        )

    def type_totp(self, user):
        """Type the code the user's authenticator app shows now, as a person would."""
        self.tab_to("#id_code")
        self.page.keyboard.type(totp_code(user))
        self.page.keyboard.press("Enter")

    def tab_to(self, selector: str, limit: int = 60):
        """Press Tab until `selector` has the focus: proves the control is reachable by keyboard alone."""
        target = self.page.locator(selector).first
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                return target
        raise AssertionError(f"{selector} cannot be reached with the Tab key")

    def assert_all_checked(self):
        missed = self.visited - self.checked
        assert not missed, f"pages visited without an accessibility check: {sorted(missed)}"


def totp_code(user) -> str:
    """What an authenticator app holding the user's TOTP key shows (django_otp's own TOTP). A code is
    refused at or before the step of the last one accepted, so within that same 30 seconds this takes
    the next step's code, which the device accepts as one step of clock drift: a person would wait."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-pk").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def _assert_no_violations(page, language, tags=AXE_TAGS):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not violations, f"axe found violations on {page.url} [{language}]:\n" + "\n".join(
        violations
    )


@pytest.fixture
def a11y(browser, live_server):
    """A fresh browser context per test, with a phone or desktop viewport as the test asks."""
    contexts = []

    def open_page(viewport=None, phone=False, axe_tags=None):
        """`phone=True`: a 360-pixel touch phone, every page checked for sideways scrolling too."""
        context = browser.new_context(
            viewport=(SMALL_PHONE if phone else viewport) or {"width": 1280, "height": 900},
            is_mobile=phone,
            has_touch=phone,
            locale="he-IL",
            timezone_id="Asia/Jerusalem",
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return AccessiblePage(
            context.new_page(),
            live_server.url,
            axe_tags=axe_tags,
            max_width=SMALL_PHONE["width"] if phone else None,
        )

    pages = []

    def factory(viewport=None, *, phone=False, axe_tags=None):
        page = open_page(viewport, phone, axe_tags)
        pages.append(page)
        return page

    yield factory
    try:
        for page in pages:
            page.assert_all_checked()
    finally:
        for context in contexts:
            context.close()


PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}
