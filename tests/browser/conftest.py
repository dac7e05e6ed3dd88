"""Browser tests: Debian's Chromium driven by Playwright, an axe scan on every page.

Every test in this folder is marked `browser`. Without /usr/bin/chromium the tests are skipped,
unless HJULET_REQUIRE_BROWSER=1 (CI), which makes a missing browser a failure. Never run
`playwright install`: the tests use the system's Chromium.

The live server runs in its own thread, so these tests use `transactional_db`: the tables are
emptied after each test. The reference data that migrate seeds (roles, permissions, laws,
services) is therefore created again at the start of each test, before the demo organisation.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The accessibility standard the application promises: WCAG 2.1 level AA (which includes 2.0).
# Plus landmark-unique (a best practice): two landmarks of one role and one name, such as a
# section and the scrolling table inside it named alike, are one place twice to a screen reader.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"landmark-unique": {"enabled": True}},
    "resultTypes": ["violations"],
}
LOGIN_PATH = "/account/login/"
HERE = Path(__file__).resolve().parent

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marks must be there before tests/conftest.py sorts browser tests last.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _chromium():
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"{CHROMIUM} is missing: install Debian's browser with `apt-get install -y chromium`"
    if os.environ.get("HJULET_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HJULET_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, _chromium):
    return {**browser_type_launch_args, "executable_path": str(_chromium), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The people who use Hjulet have Swedish browsers.
    return {**browser_context_args, "locale": "sv-SE"}


@pytest.fixture
def demo(transactional_db, settings):
    """The demo organisation and its users (password organisation.demo.DEMO_PASSWORD)."""
    from accounts.seed import ensure_roles_and_permissions
    from legal.seed import ensure_register
    from organisation.demo import load_demo
    from organisation.seed import ensure_services

    # A fast hasher: load_demo sets thirteen passwords per test. The live server thread reads
    # the same settings object, so logging in works with it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_roles_and_permissions()
    ensure_services()
    ensure_register()
    return load_demo()


# --- Checks ---------------------------------------------------------------------------------


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page, one readable line per element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(
                f"axe {violation['id']} ({violation.get('impact')}): {violation['help']} — {target}"
            )
    return lines


@pytest.fixture
def axe_check():
    """axe_check(page): fails with the list of violations; zero are allowed."""

    def _check(page):
        lines = axe_violations(page)
        assert not lines, f"axe found {len(lines)} violation(s) on {page.url}:\n" + "\n".join(lines)

    return _check


class ConsoleWatch:
    """Collects the browser console's errors and uncaught script errors of one page."""

    CSP = re.compile(r"content[ -]security[ -]policy", re.IGNORECASE)

    def __init__(self, page):
        self.errors = []
        page.on("console", self._console)
        page.on("pageerror", self._page_error)

    def _console(self, message):
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        # Chromium asks for /favicon.ico on pages without an icon link (Django's plain error
        # pages); that 404 says nothing about the application.
        if where.endswith("/favicon.ico"):
            return
        self.errors.append(f"console error: {message.text} [{where}]")

    def _page_error(self, error):
        self.errors.append(f"uncaught script error: {error}")

    def take(self):
        """The errors since the last call; content-security-policy violations first."""
        errors, self.errors = self.errors, []
        csp = [f"CSP violation — {e}" for e in errors if self.CSP.search(e)]
        return csp + [e for e in errors if not self.CSP.search(e)]


def watch_console(page):
    return ConsoleWatch(page)


@pytest.fixture
def console(page):
    """The console watch of the `page` fixture."""
    return ConsoleWatch(page)


def page_problems(page, response, console_watch, *, logged_in=True):
    """Everything wrong with the page just loaded: status, headings, console, axe.

    Call it right after the navigation: the console errors collected so far count as this
    page's.
    """
    problems = []
    console = console_watch.take()
    if response is None:
        return ["no response", *console]
    if response.status >= 400:
        # An error page is a bug in itself; its accessibility (and the browser's complaint
        # about the status) is not the point.
        return [f"HTTP {response.status}"]
    if logged_in and urlsplit(page.url).path == LOGIN_PATH:
        return ["redirected to the login page"]
    if "text/html" not in response.headers.get("content-type", ""):
        return [f"not an HTML page ({response.headers.get('content-type')})"]
    h1 = page.locator("h1").count()
    if h1 != 1:
        problems.append(f"{h1} <h1> elements (one expected)")
    problems += console
    problems += axe_violations(page)
    return problems


# --- Logging in -----------------------------------------------------------------------------


def log_in(page, base_url, username, password=None):
    """Log in through the real login form; returns the response of the page landed on."""
    if password is None:
        from organisation.demo import DEMO_PASSWORD

        password = DEMO_PASSWORD
    page.goto(base_url + LOGIN_PATH)
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    response = navigation.value
    assert urlsplit(page.url).path != LOGIN_PATH, f"{username} could not log in"
    return response


@pytest.fixture
def login_as(page, live_server):
    """login_as(username, password=DEMO_PASSWORD) on the `page` fixture, through the form."""

    def _login(username, password=None):
        return log_in(page, live_server.url, username, password)

    return _login
