from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from diversion.core.worker import ensure_schedules, heartbeat


def without_connection_pool() -> None:
    """django-q forks its processes from this one: a pool's open connections would be shared by
    all of them, and their replies mixed up (the task pusher died reading another's rows). Each
    process opens its own connections instead."""
    for wrapper in connections.all():
        close_pool = getattr(wrapper, "close_pool", None)  # PostgreSQL's (and Oracle's)
        if close_pool is not None:
            close_pool()
        wrapper.settings_dict.get("OPTIONS", {}).pop("pool", None)


class Command(BaseCommand):
    help = "Run the background worker (scheduled jobs and queued tasks)."

    def handle(self, *args: Any, **options: Any) -> None:
        without_connection_pool()
        ensure_schedules()
        heartbeat()
        call_command("qcluster")
