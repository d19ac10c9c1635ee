"""Fixtures for browser tests: one request at a time on in-memory SQLite (every test here), and
for the journeys patient assertions, a fresh page cache and anonymous visitors."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.browser.journey import SERVER_TURN, TIMEOUT_MS


@pytest.fixture
def patient_expect():
    """expect() waits as long as page actions do (its own default is five seconds, too short for
    a loaded CI machine rendering memo PDFs)."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def fresh_page_cache():
    """The public pages' cache lives in the process and outlasts a test's database."""
    from catalog.cache import page_cache

    page_cache().clear()
    yield
    page_cache().clear()


@pytest.fixture
def visitor(browser):
    """Open a page for someone without an account, in a browser context of their own:
    ``visitor(DESKTOP)`` or ``visitor(PHONE)``."""
    contexts = []

    def open_page(options: dict):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def one_request_at_a_time(request):
    """Every browser test with a live server: on SQLite, its requests take turns.

    On SQLite the test database is an in-memory, shared-cache database, and each thread of the
    live server opens its own connection to it (pytest-django builds the session's live server
    before the test database exists, so it hands the threads no connection to share). SQLite's
    busy timeout does not apply to the table locks of a shared cache: while one connection
    writes, another fails at once with "database table is locked". A browser loads a page's
    thumbnails in parallel and, with ``SESSION_SAVE_EVERY_REQUEST``, each of those requests
    writes the session, so pictures broke, and a query of the test itself could fail while the
    browser was still loading. With a database file or PostgreSQL, writers wait for each other;
    here the server's requests and the test's own queries take turns (``SERVER_TURN``).
    Nothing changes on PostgreSQL.
    """
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")  # the test database's name is known from here
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        return
    httpd = request.getfixturevalue("live_server").thread.httpd
    app = httpd.get_app()
    if getattr(app, "takes_turns", False):
        return

    def taking_turns(environ, start_response):
        with SERVER_TURN:
            return app(environ, start_response)

    taking_turns.takes_turns = True
    httpd.set_app(taking_turns)
