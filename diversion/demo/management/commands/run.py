from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from diversion.accounts.selectors import demo_accounts
from diversion.demo.identity_provider import (
    DEMO_ACCOUNTS,
    DEMO_FORCE,
    NodeProvider,
    ProviderNotStarted,
    demo_provider_start,
)


class Command(BaseCommand):
    help = "Run the web server and the background worker together (what `make run` uses)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        command = [sys.executable, "-m", "diversion.cli"]
        identity_provider = self._identity_provider_start(host, int(port))
        worker = subprocess.Popen([*command, "worker"])  # noqa: S603
        web = subprocess.Popen(  # noqa: S603
            [*command, "serve", "--host", host, "--port", port, "--workers", "2"]
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
            shown: set[str] = set()
            others = 0
            for user in demo_accounts():
                if user.role in shown:
                    others += 1
                    continue
                shown.add(user.role)
                out.write(f"  {user.get_role_display():<28} {user.email}")
            if others:
                out.write(f"  (and {others} more demo accounts: see the sign-in page)")
            out.write(f"  Password: {settings.DEMO_PASSWORD}")
        out.write("Press Ctrl+C to stop.")
