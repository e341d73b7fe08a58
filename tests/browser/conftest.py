"""Real-browser fixtures: Debian's chromium driven by Playwright, axe-core on every page.

- Every test in this folder is marked `browser` and skipped, with the reason, when chromium
  (/usr/bin/chromium or `chromium` on PATH) or Playwright for Python is missing. No browser is
  ever downloaded: Playwright launches the system chromium through `executable_path`.
- `live_server`: the app of the test (fresh database, mail to the `smtp` fixture) served by
  werkzeug on a free loopback port, in a daemon thread; its base URL.
- `browser` (session) and `page` / `new_page` (per test, each in its own context, i.e. its
  own cookies: two people can use the site side by side).
- every page records the Content-Security-Policy violations chromium reports (`csp_violations`)
  and uncaught JavaScript errors (`js_errors`); helpers.py checks them together with axe-core
  (`visit`, `check_a11y`).
- `axe`: the check as a fixture, for tests that prefer fixtures to imports.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from werkzeug.serving import make_server

from cop.extensions import db

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None
    PlaywrightError = Exception

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000


def _chromium_path() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


CHROMIUM = _chromium_path()


def _skip_reason() -> str | None:
    if sync_playwright is None:
        return "browser tests need Playwright for Python (pip install -e '.[dev]')"
    if CHROMIUM is None:
        return ("browser tests need Debian's chromium (apt-get install chromium): "
                "no /usr/bin/chromium and no chromium on PATH")
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.commits)  # the server answers from its own thread
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


# --- the translations the language switch needs ---------------------------------------------

@pytest.fixture(scope="session")
def compiled_translations():
    """Compiles each catalogue whose .mo is missing or older than its .po (as `make` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "cop" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        partial = mo_path.with_name(f"messages.mo.{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            write_mo(handle, catalog)
        os.replace(partial, mo_path)  # atomic: a concurrent run never reads half a file
    return True


@pytest.fixture(scope="session")
def translate(compiled_translations):
    """translate(italian, locale='en'): what the compiled catalogue shows for a text."""
    from babel.support import Translations

    def _translate(text: str, locale: str = "en") -> str:
        translations = Translations.load(str(ROOT / "cop" / "translations"), [locale])
        return translations.gettext(text)

    return _translate


# --- the application, served for real -------------------------------------------------------

@pytest.fixture
def live_server(app, compiled_translations):
    """The test's app (see tests/conftest.py: fresh database, mail to `smtp`) on a free port."""
    with app.app_context():
        assert isinstance(db.engine, Engine), "the live server needs real commits (`commits`)"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- the browser ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except PlaywrightError as error:
        playwright.stop()
        pytest.fail(f"chromium at {CHROMIUM} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(): a page in a new browser context (own cookies) on the live server."""
    contexts = []

    def _new_page():
        context = browser.new_context(base_url=live_server, locale="it-IT")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.csp_violations, page.js_errors = [], []
        page.on("console", lambda message: _record_csp_violation(page, message))
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def _record_csp_violation(page, message) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        page.csp_violations.append(message.text)


@pytest.fixture
def axe():
    """axe(page): axe-core on the page shown now; fails on serious or critical violations."""
    from tests.browser.helpers import check_a11y

    return check_a11y
