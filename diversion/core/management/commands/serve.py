from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from diversion.core.startup import assert_safe_to_start

# gunicorn's heartbeat files belong in memory, not on a possibly slow disk.
SHARED_MEMORY = "/dev/shm"  # noqa: S108
LIMIT_REQUEST_LINE = 4094
LIMIT_REQUEST_FIELD_SIZE = 8190
LIMIT_REQUEST_FIELDS = 100


class Command(BaseCommand):
    help = "Serve the web application with gunicorn (the production web server)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "3"))
        parser.add_argument("--threads", default=os.environ.get("WEB_THREADS", "2"))

    def handle(self, *args: Any, **options: Any) -> None:
        assert_safe_to_start()
        argv = [
            "gunicorn",
            "diversion.wsgi:application",
            f"--bind={options['host']}:{options['port']}",
            f"--workers={options['workers']}",
            f"--threads={options['threads']}",
            f"--worker-tmp-dir={SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else '.'}",
            # X-Forwarded-Proto (and so HTTPS) believed only from our proxies, as X-Forwarded-For
            # is by core/proxies.py; none when TRUSTED_PROXIES is empty.
            f"--forwarded-allow-ips={','.join(settings.TRUSTED_PROXIES)}",
            "--timeout=30",
            "--graceful-timeout=20",
            # Refused by gunicorn itself, before Django, with its own HTML page (docs/api.md):
            # request lines over 4094 bytes (414), headers over 8190 bytes or more than 100.
            # The request guards refuse addresses over 2048 characters first, in the format
            # the address calls for (core/request_guards.py).
            f"--limit-request-line={LIMIT_REQUEST_LINE}",
            f"--limit-request-field_size={LIMIT_REQUEST_FIELD_SIZE}",
            f"--limit-request-fields={LIMIT_REQUEST_FIELDS}",
        ]
        os.execvp(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606
