"""One log line per request, and a request id that ties every log record to its request.

An office runs this behind nginx with gunicorn's access log switched off: the line written here
knows what gunicorn cannot (the signed-in user, the time Django spent) and leaves out what must not
reach a log file (the query string, which can carry names or national ID numbers typed into a
search box). The id comes from the proxy's ``X-Request-ID`` when it looks like an id, so nginx's
and Django's lines about one request can be joined; otherwise a fresh one is made.

The id lives in a context variable for the duration of the request, and :class:`RequestIdFilter`
copies it onto every record handled by the configured handlers, so the traceback Django logs for
a 500 carries the same id as the request line and the ``X-Request-ID`` header the user can quote.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from django.contrib.auth import SESSION_KEY
from django.utils.functional import empty

logger = logging.getLogger("esa_publish.request")

#: The current request's id; "-" outside a request (management commands, start-up).
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "esa_publish_request_id", default="-"
)

HEADER = "X-Request-ID"
# What an incoming id may look like: nginx's $request_id (32 hex), UUIDs, similar tokens. Anything
# else (spaces, quotes, newlines, very long values) could forge or break log lines, so it is
# replaced rather than cleaned.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is data.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime"}
)


_PLAIN = (str, int, float, bool, type(None))


def incoming_or_new_id(value: str | None) -> str:
    """The proxy's id when it is a safe token, otherwise a fresh random one."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _user_id(request) -> str:
    """The signed-in user's id without loading the user just to log it.

    ``request.user`` is lazy; when the view never looked at it, the session (if it was loaded
    anyway) already holds the id. Loading the user here would cost a query on every static-like
    request for nothing.
    """
    user = getattr(request, "user", None)
    if user is None:
        return "-"
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty:
        session = getattr(request, "session", None)
        if session is not None and hasattr(session, "_session_cache"):
            return str(session.get(SESSION_KEY) or "-")
        return "-"
    return str(wrapped.pk) if getattr(wrapped, "is_authenticated", False) else "-"


class RequestLogMiddleware:
    """Assign the request id, echo it in the response header, log the request when it is done.

    Placed right after SecurityMiddleware so the line also covers whitenoise's static files and
    the time every later middleware takes. Django turns exceptions into 500 responses inside
    ``get_response``, so the id is still set when the traceback is logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_or_new_id(request.headers.get(HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            duration_ms = round((time.perf_counter() - start) * 1000, 1)
            user_id = _user_id(request)
            logger.info(
                "%s %s %s %.1fms user=%s",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                user_id,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record (``%(request_id)s`` in formats)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs 4xx/5xx responses ("Not Found: /x") after the middleware has returned,
            # but hands the request along with the record: its id is the right one.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors that parse fields instead of text.

    Always present: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message`` and
    ``request_id``; then any structured fields the caller passed with ``extra=`` (the request line
    adds method, path, status, duration_ms and user_id) and ``exception`` with the traceback.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        for key, value in record.__dict__.items():
            # Plain values only: Django passes the request object itself, whose text form would
            # put the query string back into the log.
            if key not in _RECORD_ATTRIBUTES and key not in entry and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
