"""One log line per request with a request id that also marks the response and every error."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
from django.test import override_settings
from django.urls import path

from esa_publish.request_log import (
    HEADER,
    JsonFormatter,
    RequestIdFilter,
    current_request_id,
    incoming_or_new_id,
)
from esa_publish.urls import urlpatterns as site_urls
from tests.instances import clean_env, manage, python


def broken_view(request):
    raise RuntimeError("something broke while rendering")


urlpatterns = [*site_urls, path("test-broken/", broken_view)]


@pytest.fixture
def log_lines():
    """What the configured console handler would write, captured: same filter, given formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.INFO)

    def lines(formatter=None):
        handler.setFormatter(
            formatter or logging.Formatter("%(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
        return stream

    yield lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


def request_lines(stream) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if "esa_publish.request " in line]


@pytest.mark.django_db
def test_each_request_is_logged_once_with_the_id_sent_back(client, log_lines):
    stream = log_lines()
    response = client.get("/?q=เลขบัตรประชาชน 1234567890123")
    request_id = response[HEADER]
    assert len(request_id) == 32
    lines = request_lines(stream)
    assert len(lines) == 1
    line = lines[0]
    assert f"[{request_id}]" in line
    assert f"GET / {response.status_code} " in line
    assert "ms user=-" in line
    # The query string never reaches the log: it can carry personal data.
    assert "1234567890123" not in stream.getvalue()
    assert "q=" not in line


@pytest.mark.django_db
def test_the_signed_in_user_is_named_by_id(client, people, log_lines):
    stream = log_lines()
    client.force_login(people.requester)
    client.get("/")
    assert f"user={people.requester.pk}" in request_lines(stream)[0]


@pytest.mark.django_db
def test_a_safe_incoming_id_is_kept_and_an_unsafe_one_replaced(client, log_lines):
    stream = log_lines()
    kept = client.get("/", HTTP_X_REQUEST_ID="nginx-5f2c9a7e1b3d4c6a")
    assert kept[HEADER] == "nginx-5f2c9a7e1b3d4c6a"
    forged = client.get("/", HTTP_X_REQUEST_ID='x" status=200\nINFO fake line')
    assert forged[HEADER] != 'x" status=200\nINFO fake line'
    assert len(forged[HEADER]) == 32
    assert "fake line" not in stream.getvalue()


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("0123456789abcdef0123456789abcdef", True),
        ("3f2b6c1e-9d2a-4c55-8e1f-1a2b3c4d5e6f", True),
        ("short", False),
        ("a" * 65, False),
        ("has space inside it", False),
        ("-leading-dash-1234", False),
        ("", False),
        (None, False),
    ],
)
def test_which_incoming_ids_are_accepted(value, kept):
    assert (incoming_or_new_id(value) == value) is kept


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_an_error_carries_the_same_id_as_its_request_line(client, log_lines):
    client.raise_request_exception = False
    stream = log_lines()
    response = client.get("/test-broken/")
    assert response.status_code == 500
    request_id = response[HEADER]
    text = stream.getvalue()
    error_lines = [line for line in text.splitlines() if line.startswith("ERROR django.request")]
    assert error_lines, text
    assert all(f"[{request_id}]" in line for line in error_lines)
    assert f"[{request_id}] GET /test-broken/ 500" in text
    assert "RuntimeError: something broke" in text


@pytest.mark.django_db
def test_responses_django_logs_after_the_middleware_keep_the_id(client, log_lines):
    """Django logs "Not Found: /x" once the middleware has returned; the id still matches."""
    stream = log_lines()
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    warning = [line for line in stream.getvalue().splitlines() if "Not Found" in line]
    assert warning and f"[{response[HEADER]}]" in warning[0]


@pytest.mark.django_db
def test_json_lines_parse_and_carry_the_structured_fields(client, people, log_lines):
    stream = log_lines(JsonFormatter())
    client.force_login(people.requester)
    response = client.get("/?page=2")
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    (entry,) = [e for e in entries if e["logger"] == "esa_publish.request"]
    assert entry["request_id"] == response[HEADER]
    assert entry["level"] == "INFO"
    assert entry["method"] == "GET"
    assert entry["path"] == "/"
    assert entry["status"] == response.status_code
    assert entry["user_id"] == str(people.requester.pk)
    assert isinstance(entry["duration_ms"], float)
    assert entry["time"].endswith("+00:00")
    assert "page=2" not in stream.getvalue()


def test_json_records_outside_requests_have_a_dash_and_the_exception():
    formatter = JsonFormatter()
    try:
        raise ValueError("บันทึกไม่ได้")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("ครั้งที่ ๑",), sys.exc_info()
        )
    RequestIdFilter().filter(record)
    entry = json.loads(formatter.format(record))
    assert entry["request_id"] == "-" == current_request_id.get()
    assert entry["message"] == "failed ครั้งที่ ๑"
    assert "ValueError: บันทึกไม่ได้" in entry["exception"]


@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_the_settings_wire_the_filter_and_the_format(tmp_path, log_format):
    """A separate process with LOG_FORMAT set writes what the documentation promises."""
    env = clean_env(
        LOG_FORMAT=log_format,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    code = (
        "import logging\n"
        "from esa_publish.request_log import current_request_id\n"
        "current_request_id.set('req-0123456789')\n"
        "logging.getLogger('esa_publish.test').warning('hello %s', 'there')\n"
    )
    result = python(env, code)
    assert result.returncode == 0, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    if log_format == "json":
        entry = json.loads(line)
        assert entry["message"] == "hello there"
        assert entry["request_id"] == "req-0123456789"
        assert entry["logger"] == "esa_publish.test"
    else:
        assert "WARNING esa_publish.test [req-0123456789] hello there" in line


def test_an_unknown_log_format_stops_the_start(tmp_path):
    env = clean_env(LOG_FORMAT="xml", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = manage(env, "check")
    assert result.returncode == 2
    assert "LOG_FORMAT" in result.stderr
