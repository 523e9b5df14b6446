"""The background worker: django-q2 on the database, with the schedules the product needs.

Core knows no other app's jobs: each app registers its own with `schedule_register` from its
`AppConfig.ready()`, handing over the function itself. django-q stores a dotted path, so one is
derived from the function only when its Schedule row is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from diversion.core.models import WorkerHeartbeat

HEARTBEAT = "background-worker"


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    func: Callable[[], object]
    minutes: int

    @property
    def dotted_path(self) -> str:
        """What django-q imports to run the job."""
        return f"{self.func.__module__}.{self.func.__qualname__}"


_JOBS: dict[str, ScheduledJob] = {}


def schedule_register(*, name: str, func: Callable[[], object], minutes: int) -> None:
    """Run `func` every `minutes` minutes in the background worker. `func` must be a function
    defined at the top of its module (django-q imports it by name); registering the same `name`
    again replaces the job."""
    if "<" in func.__qualname__ or "." in func.__qualname__:
        raise ValueError(f"{func.__qualname__} is not a module-level function")
    if minutes < 1:
        raise ValueError("A job runs at most once a minute")
    _JOBS[name] = ScheduledJob(name=name, func=func, minutes=minutes)


def schedules() -> list[ScheduledJob]:
    """Every registered job, in the order registered."""
    return list(_JOBS.values())


def heartbeat() -> None:
    WorkerHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"beat_at": timezone.now()})


def ensure_schedules() -> None:
    from django_q.models import Schedule

    for job in schedules():
        Schedule.objects.update_or_create(
            name=job.name,
            defaults={
                "func": job.dotted_path,
                "schedule_type": Schedule.MINUTES,
                "minutes": job.minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )
