"""``make serve`` really serves: gunicorn, DEBUG off, whitenoise's hashed static files, /healthz.

The Makefile target is run as an operator would run it (collectstatic, migrate, gunicorn from
esa_publish/gunicorn_conf.py), on a free loopback port, with production settings except for the
HTTPS redirect, which a plain-HTTP loopback test cannot follow.

Collected static files are kept between runs in one folder of the system's temporary directory:
the first collection compresses the fonts (about 15 s on two cores), later ones reuse the
compressed files (esa_publish/staticfiles.py). A lock keeps parallel test runs apart.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.instances import ROOT, clean_env, scratch_database, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)

STATIC_CACHE = Path(tempfile.gettempdir()) / f"esa-publish-test-static-{os.getuid()}"
# Generous for a busy CI machine; on an idle two-core machine it is up in about ten seconds.
START_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def static_folder():
    STATIC_CACHE.mkdir(exist_ok=True)
    with open(STATIC_CACHE.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield STATIC_CACHE
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def database_url(tmp_path):
    """The test database itself on PostgreSQL (already migrated); a new SQLite file otherwise."""
    shared = shared_database_url()
    if shared:
        yield shared
    else:
        with scratch_database(tmp_path) as url:
            yield url


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_up(base: str, process: subprocess.Popen, log: Path) -> float:
    start = time.monotonic()
    while time.monotonic() - start < START_TIMEOUT:
        if process.poll() is not None:
            pytest.fail(f"make serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            status, _, _ = fetch(base + "/healthz")
            if status == 200:
                return time.monotonic() - start
        time.sleep(0.2)
    pytest.fail(f"make serve did not answer within {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """End make and gunicorn (their own process group, started by this test)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_make_serve_serves_pages_static_files_and_healthz(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with static_folder() as static_root, database_url(tmp_path) as db_url:
        env = clean_env(
            DEBUG="true",  # the target must switch it off itself
            SECRET_KEY="k3J9-x" * 10,
            ALLOWED_HOSTS="127.0.0.1",
            SITE_URL="https://publish.example.go.th",
            SECURE_SSL_REDIRECT="false",
            DATABASE_URL=db_url,
            MEDIA_ROOT=str(tmp_path / "media"),
            STATIC_ROOT=str(static_root),
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="2",
            LOG_FORMAT="json",
        )
        with open(log, "w") as out:
            process = subprocess.Popen(
                ["make", "--no-print-directory", "serve"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_up(base, process, log)

            status, headers, body = fetch(base + "/")
            assert status == 200, body[:500]
            home_id = headers["X-Request-ID"]
            page = body.decode()
            # DEBUG is off: a missing page gets the site's own 404, not Django's debug page.
            status, _, body = fetch(base + "/no-such-page/")
            assert status == 404
            assert b"technical_404" not in body and b"Django" not in body

            # Static files: hashed names from the manifest, cached for a year, pre-compressed.
            css = re.search(r"/static/css/app\.[0-9a-f]{12}\.css", page)
            assert css, "the home page does not link the hashed stylesheet"
            status, headers, _ = fetch(base + css.group(0), **{"Accept-Encoding": "br"})
            assert status == 200
            assert "max-age=315360000" in headers["Cache-Control"]
            assert "immutable" in headers["Cache-Control"]
            assert headers.get("Content-Encoding") == "br"

            manifest = json.loads((static_root / "staticfiles.json").read_text())
            font = manifest["paths"]["fonts/sarabun/Sarabun-Regular.ttf"]
            assert re.fullmatch(r"fonts/sarabun/Sarabun-Regular\.[0-9a-f]{12}\.ttf", font)
            status, headers, data = fetch(f"{base}/static/{font}", **{"Accept-Encoding": "gzip"})
            assert status == 200
            assert "max-age=315360000" in headers["Cache-Control"]
            assert headers.get("Content-Encoding") == "gzip"

            status, headers, body = fetch(base + "/healthz")
            assert (status, body) == (200, b"ok\n")
            assert "no-store" in headers["Cache-Control"]
        finally:
            stop(process)

    # The request line went to the log as JSON, with the id the response carried.
    entries = []
    for line in log.read_text().splitlines():
        with contextlib.suppress(ValueError):
            entries.append(json.loads(line))
    home = [e for e in entries if e.get("logger") == "esa_publish.request" and e["path"] == "/"]
    assert home and home[0]["request_id"] == home_id
    assert home[0]["status"] == 200
    # gunicorn's own access log is off: no line in its format.
    assert not re.search(r'"GET / HTTP/1\.[01]" 200', log.read_text())


def test_the_gunicorn_settings_follow_the_environment(monkeypatch):
    import importlib

    from esa_publish import gunicorn_conf

    assert gunicorn_conf.default_workers(1) == 3
    assert gunicorn_conf.default_workers(2) == 5
    assert gunicorn_conf.default_workers(16) == gunicorn_conf.MAX_DEFAULT_WORKERS
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "120")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    conf = importlib.reload(gunicorn_conf)
    try:
        assert (conf.workers, conf.timeout, conf.forwarded_allow_ips) == (3, 120, "10.0.0.5")
        assert conf.accesslog is None
        assert conf.wsgi_app == "esa_publish.wsgi:application"
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn_conf)


def test_a_bad_worker_count_stops_gunicorn_with_a_clear_message(monkeypatch):
    import importlib

    from esa_publish import gunicorn_conf

    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number"):
        importlib.reload(gunicorn_conf)
    monkeypatch.undo()
    importlib.reload(gunicorn_conf)
