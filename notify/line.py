"""The little of the LINE Messaging API we use: verify a webhook's signature, push text.

Plain ``urllib`` (our ``requests/`` app shadows the PyPI package of that name). The base address
is a setting, so tests talk to a local stand-in that checks what LINE checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

MAX_TEXT = 5000  # characters in one text message
MAX_MESSAGES = 5  # messages in one push
PUSH_PATH = "/v2/bot/message/push"
TIMEOUT_SECONDS = 10


def signature(secret: str, body: bytes) -> str:
    """X-Line-Signature: base64 of the HMAC-SHA256 of the raw body, keyed by the channel secret."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_is_valid(secret: str, body: bytes, given: str | None) -> bool:
    if not secret or not given:
        return False
    return hmac.compare_digest(signature(secret, body).encode(), given.encode())


class PushError(Exception):
    """LINE refused the push for good (bad token, unknown user, malformed message)."""

    def __init__(self, status: int, detail: str = ""):
        super().__init__(f"LINE answered {status}: {detail[:200]}")
        self.status = status


class RetryLater(Exception):
    """LINE is busy (429) or failing (5xx), or could not be reached: try again later."""

    def __init__(self, status: int | None, retry_after: float | None = None, detail: str = ""):
        super().__init__(f"LINE answered {status or 'nothing'}: {detail[:200]}")
        self.status = status
        self.retry_after = retry_after


def split_text(text: str) -> list[str]:
    """``text`` as at most five messages of at most 5000 characters, cut at line ends."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > MAX_TEXT:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:MAX_TEXT])
            line = line[MAX_TEXT:]
        if len(current) + len(line) > MAX_TEXT:
            parts.append(current)
            current = ""
        current += line
    if current:
        parts.append(current)
    parts = [p.rstrip("\n") for p in parts if p.strip()]
    if len(parts) > MAX_MESSAGES:
        parts = parts[:MAX_MESSAGES]
        parts[-1] = parts[-1][: MAX_TEXT - 2] + "\n…"
    return parts


def _retry_after(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Pushed:
    status: int
    request_id: str


def push(*, token: str, to: str, text: str, retry_key: str) -> Pushed:
    """Push ``text`` to the LINE user ``to``. ``retry_key`` (a UUID) makes a retried push count
    once: LINE answers 409 to a key it has already accepted, which is success for us."""
    body = json.dumps(
        {"to": to, "messages": [{"type": "text", "text": t} for t in split_text(text)]},
        ensure_ascii=False,
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (the address is our setting, always http(s))
        settings.LINE_API_BASE_URL + PUSH_PATH,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "X-Line-Retry-Key": retry_key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Pushed(response.status, response.headers.get("X-Line-Request-Id", ""))
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")
        if error.code == 409 and error.headers.get("X-Line-Accepted-Request-Id"):
            return Pushed(200, error.headers["X-Line-Accepted-Request-Id"])
        if error.code == 429 or error.code >= 500:
            wait = _retry_after(error.headers.get("Retry-After"))
            raise RetryLater(error.code, wait, detail) from None
        raise PushError(error.code, detail) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise RetryLater(None, None, str(error)) from None
