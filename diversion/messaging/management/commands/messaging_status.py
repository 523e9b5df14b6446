"""For a monitoring check: `diversion messaging_status` prints the back end's health and the
queue as JSON, and exits 2 while the operators are alerted (the provider keeps failing)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diversion.messaging.backends import backend_name
from diversion.messaging.health import delivery_health
from diversion.messaging.selectors import message_queue_summary


class Command(BaseCommand):
    help = "Messaging back end health and queue (exit status 2 while the provider is failing)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        backend = backend_name()
        health = delivery_health(backend=backend)
        report = {
            "backend": backend,
            "consecutive_failures": health.consecutive_failures,
            "failing_since": health.failing_since.isoformat() if health.failing_since else None,
            "last_error": health.last_error,
            "alerted": health.alerted_at is not None,
            **message_queue_summary(now=now),
        }
        self.stdout.write(json.dumps(report, sort_keys=True))
        if health.alerted_at is not None:
            raise CommandError(
                f"{backend} has failed {health.consecutive_failures} times in a row",
                returncode=2,
            )
