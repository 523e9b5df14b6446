from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from diversion.accounts.selectors import demo_accounts
from diversion.demo.accounts import ACCOUNTS, DEMO_DOMAIN
from diversion.demo.identity_provider import (
    DEMO_ACCOUNTS,
    DEMO_FORCE,
    NodeProvider,
    ProviderNotStarted,
    demo_provider_start,
)

LOOPBACK = "127.0.0.1"
# The README walks through West Midlands: its accounts are the ones printed.
README_SCHEME = "WM"
# The demo's web server loads the evaluation's libraries before it forks (gunicorn_demo.py).
GUNICORN_DEMO = "diversion.demo.gunicorn_demo"


def child_environment(*, host: str, port: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The web server's and worker's environment: people's self-service links point at the
    address the demo runs on, unless SELF_SERVICE_BASE_URL says otherwise, and the web server
    loads the dashboard's libraries before it serves (gunicorn_demo.py)."""
    env = dict(environ)
    if not env.get("SELF_SERVICE_BASE_URL", "").strip():
        reachable = LOOPBACK if host in {"", "0.0.0.0", "::"} else host  # noqa: S104
        env["SELF_SERVICE_BASE_URL"] = f"http://{reachable}:{port}"
    if not env.get("GUNICORN_CMD_ARGS", "").strip():
        env["GUNICORN_CMD_ARGS"] = f"--config=python:{GUNICORN_DEMO}"
    return env


class Command(BaseCommand):
    help = "Run the web server and the background worker together (what `make run` uses)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        command = [sys.executable, "-m", "diversion.cli"]
        identity_provider = self._identity_provider_start(host, int(port))
        env = child_environment(host=host, port=port, environ=os.environ)
        worker = subprocess.Popen([*command, "worker"], env=env)  # noqa: S603
        web = subprocess.Popen(  # noqa: S603
            [*command, "serve", "--host", host, "--port", port, "--workers", "2"], env=env
        )
        self._print_welcome(host, port)
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and web.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        finally:
            for process in (web, worker):
                if process.poll() is None:
                    process.terminate()
            for process in (web, worker):
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            if identity_provider is not None:
                identity_provider.stop()

    def _identity_provider_start(self, host: str, port: int) -> NodeProvider | None:
        """In the demo, West Midlands Police signs in at its own (loopback) OpenID provider."""
        if not settings.DEMO_MODE:
            return None
        try:
            provider = demo_provider_start(host=host, port=port)
        except (ProviderNotStarted, ValidationError) as error:
            self.stderr.write(f"The demo's OpenID provider did not start: {error}")
            return None
        self.stdout.write(f"{DEMO_FORCE} signs in at its own OpenID provider on {provider.issuer}:")
        for login in DEMO_ACCOUNTS:
            self.stdout.write(f"  {login} (any password at the provider)")
        return provider

    def _print_welcome(self, host: str, port: str) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Diversion is running at http://{host}:{port}/"))
        if settings.DEMO_MODE:
            out.write("Demo sign-ins (password for all: see below). The sign-in page shows each")
            out.write("demo account's current two-factor code, so no phone is needed.")
            accounts = {user.email: user for user in demo_accounts()}
            readme = [f"{row[0]}@{DEMO_DOMAIN}" for row in ACCOUNTS if row[3] == README_SCHEME]
            shown = [accounts[email] for email in readme if email in accounts]
            for user in shown:
                out.write(f"  {user.get_role_display():<28} {user.email}")
            if others := len(accounts) - len(shown):
                out.write(
                    f"  (and {others} more demo accounts in other schemes: see the sign-in page)"
                )
            out.write(f"  Password: {settings.DEMO_PASSWORD}")
        out.write("Press Ctrl+C to stop.")
