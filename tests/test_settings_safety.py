"""Production refuses unsafe settings; bad values fail at start-up with one readable line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from esa_publish.env import SettingsError, parse_database_url, parse_email_url

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k3J9-x" * 10
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "publish.example.go.th",
    "SITE_URL": "https://publish.example.go.th",
    "TRUSTED_PROXY_COUNT": "1",
}


def run_manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SITE_URL",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_starts_with_safe_production_values():
    result = run_manage(PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = run_manage(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout


def test_deploy_check_warns_when_no_proxy_is_trusted():
    """Behind nginx, TRUSTED_PROXY_COUNT=0 puts every visitor in one rate-limit bucket."""
    result = run_manage(
        {**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"}, "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "esa_publish.W001" in result.stderr + result.stdout
    assert "TRUSTED_PROXY_COUNT" in result.stderr + result.stdout


def test_an_office_without_a_proxy_can_silence_that_warning():
    """gunicorn facing the network directly: REMOTE_ADDR is the visitor, nothing to trust."""
    env = {**PRODUCTION, "TRUSTED_PROXY_COUNT": "0", "SILENCED_SYSTEM_CHECKS": "esa_publish.W001"}
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-secret"}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"SITE_URL": "http://publish.example.go.th"}, "SITE_URL"),
    ],
)
def test_production_refuses_unsafe_values(override, named):
    env = {**PRODUCTION, **override}
    if override.get("SECRET_KEY") == "":
        env.pop("SECRET_KEY")
    result = run_manage(env)
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_URL": "postgres://u:p@localhost:notaport/db"}, "port"),
        ({"DATABASE_URL": "mysql://u:p@localhost/db"}, "unknown scheme"),
        ({"EMAIL_URL": "smtp://mail.example.go.th:abc"}, "port"),
        ({"EMAIL_URL": "pigeon://coop"}, "unknown scheme"),
        ({"SESSION_IDLE_SECONDS": "soon"}, "SESSION_IDLE_SECONDS"),
        ({"DEBUG": "maybe"}, "DEBUG"),
    ],
)
def test_bad_values_are_a_clear_startup_error(env, named):
    result = run_manage(env)
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_sqlite_is_tuned_for_a_web_app(tmp_path):
    config = parse_database_url("sqlite:///var/x.sqlite3", base_dir=tmp_path)
    assert config["NAME"] == str(tmp_path / "var" / "x.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout" in config["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed(tmp_path):
    config = parse_database_url("postgres://app:s%40cret@db.internal:6543/esa", base_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "app",
        "s@cret",
        "db.internal",
        "6543",
        "esa",
    )


def test_smtp_url_is_parsed():
    config = parse_email_url("smtp://user:pw@mail.example.go.th:587?tls=1")
    assert config["EMAIL_HOST"] == "mail.example.go.th"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_USE_TLS"] is True


def test_a_database_url_without_a_name_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="names no PostgreSQL database"):
        parse_database_url("postgres://localhost:5432/", base_dir=tmp_path)


def test_pythainlp_is_read_only():
    assert os.environ.get("PYTHAINLP_READ_ONLY") == "1"
