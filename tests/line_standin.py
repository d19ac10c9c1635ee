"""A local stand-in for the LINE Messaging API's push endpoint, checking what LINE checks.

It answers like the real API: 401 without the right bearer token, 400 for a body LINE would
refuse (no ``to``, no messages, more than five, a message that is not text, text empty or over
5000 characters), 409 for a retry key it has already accepted, and 429 with ``Retry-After`` (or a
5xx) for as many pushes as a test asks. Accepted pushes are kept in ``received``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "standin-channel-access-token"


class LineStandIn:
    def __init__(self, token: str = TOKEN):
        self.token = token
        self.received: list[dict] = []
        self.refused: list[tuple[int, str]] = []
        self.busy: list[tuple[int, str | None]] = []  # (status, Retry-After) to answer next
        self.accepted_keys: dict[str, str] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> LineStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer_busy(self, times: int, status: int = 429, retry_after: str | None = "2") -> None:
        self.busy.extend([(status, retry_after)] * times)

    def texts_to(self, line_user_id: str) -> list[str]:
        return [m["text"] for p in self.received if p["to"] == line_user_id for m in p["messages"]]

    # --- what LINE checks -------------------------------------------------------------------

    def problem(self, body: object) -> str | None:
        if not isinstance(body, dict):
            return "The request body has 1 error(s)"
        if not isinstance(body.get("to"), str) or not body["to"]:
            return "to: must be specified"
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return "messages: must be specified"
        if len(messages) > 5:
            return "messages: Size must be between 1 and 5"
        for message in messages:
            if not isinstance(message, dict) or message.get("type") != "text":
                return "messages[].type: must be text"
            text = message.get("text")
            if not isinstance(text, str) or not text:
                return "messages[].text: must be specified"
            if len(text) > 5000:
                return "messages[].text: Length must be between 0 and 5000"
        return None

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, payload: dict, headers: dict | None = None):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path != "/v2/bot/message/push":
                    return self._send(404, {"message": "Not found"})
                if self.headers.get("Authorization") != f"Bearer {standin.token}":
                    standin.refused.append((401, "token"))
                    return self._send(401, {"message": "Authentication failed"})
                if not self.headers.get("Content-Type", "").startswith("application/json"):
                    return self._send(415, {"message": "Unsupported Media Type"})
                with standin.lock:
                    if standin.busy:
                        status, retry_after = standin.busy.pop(0)
                        headers = {"Retry-After": retry_after} if retry_after else {}
                        return self._send(status, {"message": "busy"}, headers)
                try:
                    body = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    return self._send(400, {"message": "The request body has 1 error(s)"})
                problem = standin.problem(body)
                if problem:
                    standin.refused.append((400, problem))
                    return self._send(
                        400,
                        {
                            "message": "The request body has 1 error(s)",
                            "details": [{"message": problem}],
                        },
                    )
                key = self.headers.get("X-Line-Retry-Key")
                with standin.lock:
                    if key and key in standin.accepted_keys:
                        return self._send(
                            409,
                            {"message": "The retry key is already accepted"},
                            {"X-Line-Accepted-Request-Id": standin.accepted_keys[key]},
                        )
                    request_id = f"req-{len(standin.received) + 1}"
                    if key:
                        standin.accepted_keys[key] = request_id
                    standin.received.append(body)
                return self._send(200, {"sentMessages": []}, {"X-Line-Request-Id": request_id})

        return Handler
