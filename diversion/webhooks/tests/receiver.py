"""A real HTTP receiver on loopback, checking signatures as a force's system would: with its own
code (hmac and hashlib), not ours."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE_SECONDS = 300


def signature_is_valid(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """The receiver's check, written from the documented recipe."""
    try:
        fields = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(fields["t"])
        given = fields["v1"]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, given)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int


@dataclass
class Receiver:
    host: str = "127.0.0.1"
    port: int = 0
    secret: str = ""
    # Status codes to answer with, in turn; 200 once they run out.
    answers: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/diversion/webhooks"

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.verified and 200 <= r.answered < 300]


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            verified = signature_is_valid(
                receiver.secret, self.headers.get("Diversion-Signature", ""), body
            )
            status = (receiver.answers.pop(0) if receiver.answers else 200) if verified else 401
            receiver.requests.append(
                Received(dict(self.headers.items()), body, verified=verified, answered=status)
            )
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", receiver.url + "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serving() -> Iterator[Receiver]:
    state = Receiver()
    server = ThreadingHTTPServer((state.host, 0), _handler_for(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
