"""A stand-in for GOV.UK Notify: a real HTTP server on loopback speaking the part of Notify's
REST API we use (send an SMS or email, list notifications by reference), which can be told to
fail (an HTTP status), to hang after accepting a message (its answer comes after the client has
given up: the outcome the client sees is unknown, but the message was sent), or to work.

`sent` is what Notify accepted, i.e. what people would receive. Used by the messaging tests and
by benchmarks/resilience.py (`python -m diversion.messaging.tests.fake_notify --port N`).
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

SEND_PATHS = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}


def api_key(*, service_id: str, secret: str) -> str:
    """A Notify API key in its published form: name, service id, secret."""
    return f"diversion_test-{service_id}-{secret}"


@dataclass
class FakeNotify:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    mode: str = "ok"  # "ok", "fail" (answer `status`), "hang" (accept, answer after `hang`)
    status: int = 500
    hang: float = 2.0
    sent: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def key(self) -> str:
        return api_key(service_id=self.service_id, secret=self.secret)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def set(self, mode: str, *, status: int = 500, hang: float = 2.0) -> None:
        with self.lock:
            self.mode, self.status, self.hang = mode, status, hang

    def sent_references(self) -> list[str]:
        with self.lock:
            return [str(n["reference"]) for n in self.sent]

    def start(self, port: int = 0) -> FakeNotify:
        notify = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def _authorised(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    claims = jwt.decode(token, notify.secret, algorithms=["HS256"])
                except jwt.PyJWTError:
                    return False
                return bool(claims.get("iss") == notify.service_id)

            def _common(self) -> tuple[str, int, float] | None:
                notify.requests.append((self.command, self.path))
                if not self._authorised():
                    self._answer(403, {"status_code": 403, "errors": [{"error": "AuthError"}]})
                    return None
                with notify.lock:
                    return notify.mode, notify.status, notify.hang

            def do_GET(self) -> None:
                state = self._common()
                if state is None:
                    return
                mode, status, _ = state
                if mode == "fail":
                    self._answer(status, {"status_code": status, "errors": [{"error": "E"}]})
                    return
                url = urlsplit(self.path)
                if url.path != "/v2/notifications":
                    self._answer(404, {"status_code": 404, "errors": []})
                    return
                reference = parse_qs(url.query).get("reference", [None])[0]
                with notify.lock:
                    found = [n for n in notify.sent if n["reference"] == reference]
                self._answer(200, {"notifications": found, "links": {}})

            def do_POST(self) -> None:
                state = self._common()
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                if state is None:
                    return
                mode, status, hang = state
                kind = SEND_PATHS.get(self.path)
                if kind is None:
                    self._answer(404, {"status_code": 404, "errors": []})
                    return
                if mode == "fail":
                    self._answer(status, {"status_code": status, "errors": [{"error": "E"}]})
                    return
                notification = {
                    "id": str(uuid.uuid4()),
                    "type": kind,
                    "reference": request.get("reference"),
                    "to": request.get("phone_number") or request.get("email_address"),
                    "personalisation": request.get("personalisation"),
                    "status": "created",
                }
                with notify.lock:
                    notify.sent.append(notification)
                if mode == "hang":
                    time.sleep(hang)
                self._answer(201, {"id": notification["id"], "reference": request["reference"]})

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def main() -> None:
    """Run on its own; the harness reads what was sent from `--sent-file` (JSON lines) and
    switches the mode by writing `ok`, `fail`, or `hang` to `--mode-file`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--service-id", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--sent-file", required=True)
    parser.add_argument("--mode-file", required=True)
    options = parser.parse_args()
    notify = FakeNotify(service_id=options.service_id, secret=options.secret).start(options.port)
    written = 0
    while True:
        try:
            with open(options.mode_file, encoding="utf-8") as mode_file:
                mode = mode_file.read().strip() or "ok"
        except FileNotFoundError:
            mode = "ok"
        notify.set(mode)
        with notify.lock:
            new, written = notify.sent[written:], len(notify.sent)
        if new:
            with open(options.sent_file, "a", encoding="utf-8") as sent_file:
                for notification in new:
                    sent_file.write(json.dumps(notification) + "\n")
        time.sleep(0.2)


if __name__ == "__main__":
    main()
