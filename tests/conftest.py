"""Shared fixtures and the rules for tests that need PostgreSQL or Chromium.

Tests marked ``postgres`` are deselected on SQLite (the PostgreSQL run covers them). With
``CI=true`` a skipped ``postgres`` or ``browser`` test counts as a failure, so a missing service
or browser can never pass silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"
STRICT_MARKERS = ("postgres", "browser", "redis", "validator")


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and any(item.get_closest_marker(m) for m in STRICT_MARKERS):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is not allowed for this test: {report.longrepr}"


# --- the browser -------------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself in between are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="th-TH", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ (kept by CI for people to look)."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


# --- people --------------------------------------------------------------------------------------

PASSWORD = "test-pass-123"


@pytest.fixture
def office(db):
    from tests.factories import OfficeFactory

    return OfficeFactory()


@pytest.fixture
def people(db, office):
    """One user per role around one unit, as a namespace: people.requester, people.director…"""
    from tests.factories import make_people

    return make_people()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with the production hasher would make each login in a test take ~0.3 s."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a per-test folder, never into the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _thai_after_each_test():
    """A request to an English page leaves English active in the thread (LocaleMiddleware does
    not switch back); the next test must start in the default language, as a new request would.
    """
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _page_cache_version_read_every_time(settings):
    """Production keeps the page cache's version for a second per process; tests that count
    queries or change the catalog between two requests need it read on every page. The
    one-second behaviour has its own test (test_catalog_pages)."""
    from catalog.cache import forget_version

    settings.CATALOG_VERSION_SECONDS = 0
    forget_version()
    yield
    forget_version()


@pytest.fixture(autouse=True)
def _rate_limits_start_afresh(settings):
    """Every test is a new visitor, and sees no page an earlier test cached.

    The counts of earlier tests (all from 127.0.0.1) must not refuse this one's searches: a key
    prefix of the test's own does it in any cache, Redis included. The limits themselves stay at
    their production values; tests/test_rate_limits.py sets small ones to reach them."""
    import uuid

    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex[:12]}:"
    # The page cache too: each test's database starts again at page version 1, so a page an
    # earlier test stored would be served as current. Only the in-process cache is cleared,
    # never a developer's Redis (REDIS_URL exported).
    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()


@pytest.fixture(autouse=True)
def _no_pending_view_counts():
    """View counts wait in memory for a flush (catalog/stats.py); a test must not inherit an
    earlier test's, whose item ids a new test database may reuse."""
    from catalog import stats

    stats.discard_pending()
    yield
    stats.discard_pending()


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Queued e-mail and LINE pushes run inside the test, as if the worker had picked them up at
    once. The queue itself (database backend, worker, retries) has its own tests."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def line_api(settings):
    """The local stand-in of the LINE Messaging API (tests/line_standin.py), with LINE set up."""
    from tests.line_standin import TOKEN, LineStandIn

    standin = LineStandIn().start()
    settings.LINE_API_BASE_URL = standin.base_url
    settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
    settings.LINE_CHANNEL_SECRET = "standin-channel-secret"
    yield standin
    standin.stop()
