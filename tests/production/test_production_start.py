"""Production start: what an operator does with a fresh database, end to end (issue 12).

DIVERSION_ENV=production with freshly generated keys, a fresh database (a new database on the
PostgreSQL server in DATABASE_URL, or a temporary SQLite file) and STATIC_ROOT in a temporary
directory: `diversion migrate`, `collectstatic` and `check --deploy`, then `diversion serve`
(gunicorn) and `diversion worker` as real processes, and the requests a load balancer and a
person reach first: the sign-in page, a static file by its hashed name, /healthz, /readyz and the
API's documentation.

Nothing else in the suite starts the production configuration, so a broken collectstatic (every
HTML page then answers 500) or a failing deployment check would otherwise go unnoticed.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import dj_database_url
import pytest
from cryptography.fernet import Fernet

PROJECT = Path(__file__).resolve().parents[2]
# The `diversion` command (`diversion.cli:main`), run by this virtual environment's Python.
DIVERSION = [sys.executable, "-m", "diversion.cli"]
# What the TLS-terminating proxy in front of gunicorn adds (settings.SECURE_PROXY_SSL_HEADER).
HTTPS = {"X-Forwarded-Proto": "https"}
# Generous: the rest of the suite runs in parallel on the same machine. At rest on two CPUs the
# whole test takes about 30 seconds, most of it collectstatic compressing the files.
COMMAND_TIMEOUT = 300
START_TIMEOUT = 90
# From the test run's environment only what a shell needs: DIVERSION_ENV=test, DEMO_MODE,
# MESSAGING_SEND_INLINE and the like must not leak into the production processes. HOME is a
# temporary directory: gunicorn puts its control socket in ~/.gunicorn/, and must not replace
# (and on stopping, remove) the socket of a gunicorn someone else runs on this machine.
PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "TMPDIR", "TZ", "PYTHONPATH", "VIRTUAL_ENV")


# --- The database --------------------------------------------------------------------------


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """DATABASE_URL of an empty database: a new one on DATABASE_URL's PostgreSQL server (dropped
    afterwards), or a temporary SQLite file when DATABASE_URL is unset or SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    parsed = dj_database_url.parse(url) if url else {}
    if "postg" not in str(parsed.get("ENGINE", "")):
        yield f"sqlite:///{tmp_path / 'diversion.sqlite3'}"
        return

    import psycopg
    from psycopg import sql

    server: dict[str, Any] = {
        key: parsed[setting]
        for key, setting in (
            ("host", "HOST"),
            ("port", "PORT"),
            ("user", "USER"),
            ("password", "PASSWORD"),
        )
        if parsed.get(setting)
    }
    server.update(
        {key: value for key, value in parsed.get("OPTIONS", {}).items() if isinstance(value, str)}
    )
    name = f"diversion_prodstart_{secrets.token_hex(6)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def production_environment(database_url: str, directory: Path) -> dict[str, str]:
    environment = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    (directory / "home").mkdir()
    environment.update(
        {
            "HOME": str(directory / "home"),
            "DJANGO_SETTINGS_MODULE": "diversion.settings",
            "DIVERSION_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(64),  # 86 characters
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(directory / "static"),
            # The TLS-terminating proxy of this test is the test itself, on 127.0.0.1.
            "TRUSTED_PROXIES": "127.0.0.1",
            "AUDIT_CHECKPOINT_PATH": str(directory / "audit-checkpoints.jsonl"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environment


# --- The processes -------------------------------------------------------------------------


@dataclass
class Processes:
    """The `diversion` processes this test starts, each in its own process group (gunicorn's and
    the worker's children with it), with their output in a log file each."""

    environment: dict[str, str]
    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    files: list[IO[bytes]] = field(default_factory=list)

    def start(self, name: str, *arguments: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        self.files.append(log)
        process = subprocess.Popen(
            [*DIVERSION, *arguments],
            cwd=PROJECT,
            env=self.environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def run(self, name: str, *arguments: str) -> str:
        """Run a command to its end; fail the test with its output unless it exits 0."""
        process = self.start(name, *arguments)
        return self.finish(name, process)

    def finish(self, name: str, process: subprocess.Popen[bytes]) -> str:
        try:
            code = process.wait(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"`diversion {name}` still running after {COMMAND_TIMEOUT}s\n{self.log(name)}"
            )
        output = self.log(name)
        if code != 0:
            pytest.fail(f"`diversion {name}` exited {code}:\n{output}")
        return output

    def log(self, name: str, last: int = 60) -> str:
        path = self.logs / f"{name}.log"
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        return "\n".join(lines[-last:])

    def assert_running(self, *names: str) -> None:
        for name in names:
            code = self.running[name].poll()
            if code is not None:
                pytest.fail(f"`diversion {name}` exited {code}:\n{self.log(name)}")

    def stop_all(self) -> None:
        """Stop what is still running: SIGTERM to each leader (gunicorn's master and django-q's
        cluster stop their own children; a signal to every child at once can leave django-q
        waiting), SIGKILL to the group after 20 seconds, and to anything a leader left behind."""
        running = [process for process in self.running.values() if process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + 20
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)
        for process in running:
            _signal_group(process, signal.SIGKILL)
        for log in self.files:
            log.close()


def _signal_group(process: subprocess.Popen[bytes], signal_number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal_number)  # the group this test created for the process


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- HTTP ----------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        assert self.content_type.startswith("application/json"), self.content_type
        return json.loads(self.body)


def get(
    port: int, path: str, headers: dict[str, str] | None = None, source: str | None = None
) -> Response:
    """One GET, redirects not followed, over the proxy's HTTPS unless told otherwise; from
    `source` (another loopback address: not the proxy) when given."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0) if source else None
    )
    try:
        connection.request("GET", path, headers=HTTPS if headers is None else headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def wait_for(
    processes: Processes, names: tuple[str, ...], port: int, path: str, status: int = 200
) -> Response:
    """Poll `path` until it answers `status`; fail early if one of `names` exits."""
    deadline = time.monotonic() + START_TIMEOUT
    last: object = None
    while time.monotonic() < deadline:
        processes.assert_running(*names)
        try:
            response = get(port, path)
        except OSError as error:
            last = error
        else:
            if response.status == status:
                return response
            last = f"{response.status}: {response.text[:500]}"
        time.sleep(0.2)
    logs = "\n".join(f"--- {name}\n{processes.log(name)}" for name in names)
    pytest.fail(f"{path} did not answer {status} in {START_TIMEOUT}s (last: {last})\n{logs}")


# --- The test ------------------------------------------------------------------------------


def test_production_starts_on_a_fresh_database(fresh_database: str, tmp_path: Path) -> None:
    static_root = tmp_path / "static"
    processes = Processes(production_environment(fresh_database, tmp_path), tmp_path)
    port = free_port()
    started, timings = time.monotonic(), dict[str, float]()

    def lap(step: str) -> None:  # seconds since the start, printed at the end (pytest -rP)
        timings[step] = round(time.monotonic() - started, 1)

    try:
        # collectstatic needs no database: gather (and compress) the files while migrating.
        collecting = processes.start("collectstatic", "collectstatic", "--no-input")
        processes.run("migrate", "migrate", "--no-input")
        lap("migrate")
        check = processes.run(
            "check", "check", "--deploy", "--database", "default", "--fail-level", "WARNING"
        )
        assert "System check identified no issues" in check, check
        lap("check --deploy")
        processes.finish("collectstatic", collecting)
        lap("collectstatic")
        manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]

        processes.start(
            "serve", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"
        )
        health = wait_for(processes, ("serve",), port, "/healthz")
        assert health.json() == {"status": "ok"}
        lap("serve answering")

        # Not ready until the background worker has beaten once: 503 naming the failing check.
        not_ready = get(port, "/readyz")
        assert not_ready.status == 503, not_ready.text
        body = not_ready.json()
        assert body["status"] == "not ready"
        assert body["checks"]["database"]["ok"] is True
        assert body["checks"]["migrations"] == {"ok": True, "detail": "applied"}
        assert body["checks"]["worker"]["ok"] is False

        processes.start("worker", "worker")
        ready = wait_for(processes, ("serve", "worker"), port, "/readyz").json()
        assert ready["status"] == "ready"
        assert set(ready["checks"]) == {"database", "migrations", "worker"}
        assert all(check["ok"] is True for check in ready["checks"].values()), ready
        lap("worker beating, /readyz 200")

        # The sign-in page: HTML from the templates, its static files by their hashed names.
        sign_in = get(port, "/sign-in/")
        assert sign_in.status == 200, sign_in.text[:2000]
        assert sign_in.content_type.startswith("text/html")
        assert re.search(r'<form[^>]+method="post"', sign_in.text), sign_in.text[:2000]
        assert "max-age=31536000" in sign_in.headers.get("Strict-Transport-Security", "")
        for cookie in sign_in.headers.get_all("Set-Cookie") or []:
            assert "secure" in cookie.lower(), cookie
        stylesheet = manifest["vendor/govuk/govuk-frontend.min.css"]
        assert stylesheet != "vendor/govuk/govuk-frontend.min.css"
        assert f'href="/static/{stylesheet}"' in sign_in.text

        css = get(port, f"/static/{stylesheet}")
        assert css.status == 200
        assert css.content_type.startswith("text/css")
        assert "immutable" in css.headers.get("Cache-Control", "")
        assert b"sourceMappingURL=govuk-frontend.min.css." in css.body  # the map's hashed name

        # The source map issue 12 found missing: copied, hashed, referenced by its hashed name.
        interpreter = manifest["vendor/vega/vega-interpreter.min.js"]
        interpreter_map = manifest["vendor/vega/vega-interpreter.min.js.map"]
        script = get(port, f"/static/{interpreter}")
        assert script.status == 200
        assert f"sourceMappingURL={Path(interpreter_map).name}".encode() in script.body
        assert get(port, f"/static/{interpreter_map}").status == 200

        docs = get(port, "/api/v1/docs/")
        assert docs.status == 200, docs.text[:2000]
        assert docs.content_type.startswith("text/html")
        assert "/api/v1/schema/" in docs.text

        # Without the proxy's header the request came over plain HTTP: redirected to HTTPS.
        plain = get(port, "/sign-in/", headers={})
        assert plain.status == 301
        assert plain.headers["Location"] == f"https://127.0.0.1:{port}/sign-in/"
        # ...except the load balancer's probes, which reach the process directly.
        assert get(port, "/healthz", headers={}).status == 200
        assert get(port, "/readyz", headers={}).status == 200
        # A client that is not the proxy cannot claim HTTPS (TRUSTED_PROXIES, decision 0014).
        spoofed = get(port, "/sign-in/", source="127.0.0.2")
        assert spoofed.status == 301, spoofed.text[:500]

        # The worker has published the audit chains' heads; the operator's verify uses them.
        checkpoints = tmp_path / "audit-checkpoints.jsonl"
        deadline = time.monotonic() + START_TIMEOUT
        while not checkpoints.exists() and time.monotonic() < deadline:
            processes.assert_running("worker")
            time.sleep(0.5)
        assert checkpoints.exists(), processes.log("worker")
        verify = processes.run("audit-verify", "audit", "verify")
        assert "intact" in verify and "audit-checkpoints.jsonl" in verify, verify

        processes.assert_running("serve", "worker")
        served = processes.log("serve", last=10_000)
        assert '"status": 500' not in served and "Traceback" not in served, served[-5000:]
        lap("requests checked")
    finally:
        processes.stop_all()
        lap("stopped")
        print(f"production start, seconds since the start: {timings}")
