"""The headers and cookies a production installation really sends, read over HTTP.

Settings computed from ``DEBUG=false`` (HSTS, secure cookies, the HTTPS redirect) only exist in a
process started with the production environment, so the test starts gunicorn with it, using
esa_publish/gunicorn_conf.py, on a loopback port with a database of its own, and reads pages
as a browser behind the office's HTTPS proxy would (``X-Forwarded-Proto: https`` from 127.0.0.1).

One deviation from production, for speed only: static files use Django's plain storage, so no
``collectstatic`` (15-60 s, mostly compressing fonts) is needed; no header depends on it. Password
hashing is the fast test hasher for the same reason. ``manage.py check --deploy`` with production
values is run by tests/test_settings_safety.py.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.instances import ROOT, clean_env

ONE_YEAR = 365 * 24 * 3600
STRICT_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
SECRET = "p9Xq-" + "Zr7k-Lm2v-" * 6
START_TIMEOUT = 90

# Runs in the server process: production settings with the two speed deviations, a migrated
# SQLite database with the demo office, a draft of staff1's, then gunicorn in the foreground.
SERVER = r"""
import json, sys
import esa_publish.settings as s

s.STORAGES = {
    **s.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
s.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

import django

django.setup()
from django.core.management import call_command
from django.db import connections

call_command("migrate", verbosity=0)
from catalog.models import Category
from esa_publish import demo
from esa_publish.office.models import User
from requests.services import request_create

demo.EXTRA_SEEDERS.clear()  # the office and its people are enough here
demo.seed(lambda _: None)
staff = User.objects.get(username="staff1")
draft = request_create(
    user=staff,
    data={"publish_title": "ทดสอบส่วนหัว", "category": Category.objects.active().first()},
)
with open(sys.argv[1], "w") as out:
    json.dump({"username": "staff1", "password": demo.DEMO_PASSWORD, "draft": draft.pk}, out)
connections.close_all()  # never share a database connection with the forked workers

from gunicorn.app.wsgiapp import run

sys.argv = ["gunicorn", "-c", "python:esa_publish.gunicorn_conf"]
run()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def cookies(self) -> SimpleCookie:
        jar = SimpleCookie()
        for line in self.headers.get_all("Set-Cookie") or []:
            jar.load(line)
        return jar


@dataclass
class Visitor:
    """A browser behind the HTTPS proxy, keeping its own cookies (Secure ones included)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method, path, *, data=None, https=True) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept-Language": "th"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            conn.close()
        for name, morsel in response.cookies().items():
            self.cookies[name] = morsel.value
        return response

    def get(self, path, **kw) -> Response:
        return self.request("GET", path, **kw)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    port = free_port()
    info_file = tmp / "info.json"
    env = clean_env(
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(info_file)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(proc, port, info_file, tmp / "server.log")
        yield {"port": port, **json.loads(info_file.read_text())}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_until_up(proc, port: int, info_file: Path, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server stopped at start-up:\n{log_path.read_text()[-4000:]}")
        if info_file.exists():
            try:
                Visitor(port).get("/healthz", https=False)
                return
            except OSError:
                pass
        time.sleep(0.2)
    pytest.fail(f"the server did not start in {START_TIMEOUT} s:\n{log_path.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def pages(server):
    """Every page checked below, fetched once: public ones anonymously, staff ones signed in."""
    port = server["port"]
    citizen = Visitor(port)
    fetched = {"home": citizen.get("/"), "login": citizen.get("/accounts/login/")}

    staff = Visitor(port)
    login_page = staff.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.body).group(1)
    fetched["login POST"] = staff.request(
        "POST",
        "/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": server["username"],
            "password": server["password"],
        },
    )
    assert fetched["login POST"].status == 302, fetched["login POST"].body[:500]
    fetched["my requests"] = staff.get("/requests/")
    fetched["new request"] = staff.get("/requests/new/")
    fetched["request page"] = staff.get(f"/requests/{server['draft']}/")
    fetched["edit request"] = staff.get(f"/requests/{server['draft']}/edit/")
    fetched["not found"] = staff.get("/requests/999999/")
    return fetched


HTML_PAGES = ["home", "login", "my requests", "new request", "request page", "edit request"]


def csp_directives(response: Response) -> dict[str, list[str]]:
    policy = response.header("Content-Security-Policy")
    assert policy, "no Content-Security-Policy header"
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


@pytest.mark.parametrize("name", [*HTML_PAGES, "login POST", "not found"])
def test_every_response_carries_the_protective_headers(pages, name):
    response = pages[name]
    hsts = dict(
        (part.strip().split("=", 1) + [""])[:2]
        for part in response.header("Strict-Transport-Security").split(";")
    )
    assert int(hsts.get("max-age") or 0) >= ONE_YEAR, response.header("Strict-Transport-Security")
    assert "includeSubDomains" in hsts
    assert response.header("X-Frame-Options") == "DENY"
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert response.header("Referrer-Policy") in STRICT_REFERRER
    assert response.header("Cross-Origin-Opener-Policy") == "same-origin"
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives.get("style-src", directives["default-src"])


@pytest.mark.parametrize("name", HTML_PAGES)
def test_every_script_carries_the_nonce_of_its_response(pages, name):
    """With no 'unsafe-inline', a script without the response's nonce (or an inline handler or
    style attribute) would be blocked in the browser: the page would silently lose it."""
    response = pages[name]
    assert response.status == 200
    script_src = csp_directives(response)["script-src"]
    nonces = [v.removeprefix("'nonce-").removesuffix("'") for v in script_src if "nonce-" in v]
    scripts = re.findall(r"<script\b[^>]*>", response.body, flags=re.IGNORECASE)
    for tag in scripts:
        found = re.search(r'\bnonce="([^"]+)"', tag)
        assert found, f"script without a nonce on {name}: {tag}"
        assert found.group(1) in nonces, f"nonce not in the header on {name}: {tag}"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", response.body), "inline event handler"
    assert not re.search(r"<[^>]+\sstyle\s*=", response.body), "inline style attribute"


def test_the_request_form_really_uses_a_nonce(pages):
    """The form's script is the one this policy must let through; the nonce is fresh each time."""
    scripts = re.findall(r'<script\b[^>]*nonce="([^"]+)"', pages["new request"].body)
    assert scripts
    assert f"'nonce-{scripts[0]}'" in csp_directives(pages["new request"])["script-src"]
    again = re.findall(r'<script\b[^>]*nonce="([^"]+)"', pages["edit request"].body)
    assert again and again[0] != scripts[0]
    assert len(scripts[0]) >= 16


def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(pages):
    csrf = pages["login"].cookies()["csrftoken"]
    session = pages["login POST"].cookies()["sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"].lower() in {"lax", "strict"}
    # Sessions end with the browser; the server side ends them after the idle time.
    assert not session["expires"] and not session["max-age"]


def test_staff_pages_are_never_stored_by_shared_caches(pages):
    for name in ("my requests", "new request", "request page", "edit request"):
        cache_control = pages[name].header("Cache-Control").lower()
        assert "public" not in cache_control
        assert "Cookie" in pages[name].header("Vary") or "private" in cache_control


def test_plain_http_is_sent_to_https(server):
    response = Visitor(server["port"]).get("/accounts/login/", https=False)
    assert response.status == 301
    assert response.header("Location") == f"https://127.0.0.1:{server['port']}/accounts/login/"


def test_the_health_check_answers_over_plain_http_on_loopback(server):
    response = Visitor(server["port"]).get("/healthz", https=False)
    assert response.status in (200, 503)
