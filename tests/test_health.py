"""``/healthz``: 200 "ok" when the installation can work, 503 naming the failed check otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import override_settings

from esa_publish import health

pytestmark = pytest.mark.django_db


def test_all_checks_pass_in_plain_text_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok\n"


def test_json_lists_every_check(client):
    response = client.get("/healthz?format=json")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "media", "disk"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "MB free" in body["checks"]["disk"]["detail"]


def test_the_answer_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert "no-store" in cache_control
    assert "max-age=0" in cache_control


def test_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_the_media_probe_leaves_nothing_behind(client, settings):
    client.get("/healthz")
    assert list(Path(settings.MEDIA_ROOT).iterdir()) == []


def test_a_database_error_fails_without_revealing_its_text(client, monkeypatch, caplog):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError('password authentication failed for user "esa_secret_account"')

    monkeypatch.setattr(health, "connection", BrokenConnection())
    monkeypatch.setitem(health.CHECKS, "migrations", lambda: "ok")
    monkeypatch.setitem(health.CHECKS, "disk", lambda: "ok")
    response = client.get("/healthz?format=json")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "failing"
    assert body["checks"]["database"] == {"ok": False, "detail": "failed (see the server log)"}
    assert body["checks"]["media"]["ok"] is True
    assert b"esa_secret_account" not in response.content
    # The operator still finds the cause in the log.
    assert "esa_secret_account" in caplog.text


def test_media_that_cannot_be_written_fails(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocker)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"failing\n" in response.content
    assert b"media: failed" in response.content
    assert b"database: ok" in response.content


def test_low_disk_space_fails(client, monkeypatch):
    monkeypatch.setenv("HEALTH_MIN_FREE_MB", str(10**9))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"disk: " in response.content
    assert b"MB free, below 1000000000 MB" in response.content


class BehindExecutor:
    def __init__(self, connection):
        self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})()})()

    def migration_plan(self, targets):
        return [("catalog.9999_new", False), ("requests.9999_new", False)]


def test_unapplied_migrations_fail_on_every_probe(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_current", False)
    monkeypatch.setattr(health, "MigrationExecutor", BehindExecutor)
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert b"migrations: 2 unapplied migration(s)" in response.content


def test_a_process_that_saw_the_schema_current_stops_reading_migration_files(monkeypatch):
    monkeypatch.setattr(health, "_migrations_current", False)
    assert health.check_migrations() == "ok"
    monkeypatch.setattr(health, "MigrationExecutor", BehindExecutor)
    assert health.check_migrations() == "ok"


def test_the_real_migration_check_sees_the_test_database_as_current(monkeypatch):
    monkeypatch.setattr(health, "_migrations_current", False)
    assert health.check_migrations() == "ok"


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"])
def test_a_plain_http_monitor_is_not_redirected(client):
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_production_settings_exempt_healthz_from_the_https_redirect():
    from tests.instances import clean_env, python

    env = clean_env(
        DEBUG="false",
        SECRET_KEY="k3J9-x" * 10,
        ALLOWED_HOSTS="publish.example.go.th",
        SITE_URL="https://publish.example.go.th",
    )
    result = python(
        env,
        "import re\nfrom django.conf import settings\n"
        "assert settings.SECURE_SSL_REDIRECT\n"
        "assert any(re.search(p, 'healthz') for p in settings.SECURE_REDIRECT_EXEMPT)\n"
        "assert not any(re.search(p, 'healthzx') for p in settings.SECURE_REDIRECT_EXEMPT)\n",
    )
    assert result.returncode == 0, result.stderr
