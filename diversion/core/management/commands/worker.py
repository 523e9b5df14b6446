from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from diversion.core.worker import ensure_schedules, heartbeat


class Command(BaseCommand):
    help = "Run the background worker (scheduled jobs and queued tasks)."

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_schedules()
        heartbeat()
        call_command("qcluster")
