"""The background worker: django-q2 on the database, with the schedules the product needs."""

from __future__ import annotations

from django.utils import timezone

from diversion.core.models import WorkerHeartbeat

HEARTBEAT = "background-worker"

# (name, dotted function, minutes between runs). Other parts add their schedules here.
SCHEDULES: list[tuple[str, str, int]] = [
    ("Worker heartbeat", "diversion.core.worker.heartbeat", 1),
    ("Scheme deadlines", "diversion.engagement.deadlines.deadlines_apply", 15),
    ("Assessment slots four weeks ahead", "diversion.scheduling.services.slots_generate_all", 60),
    ("Messages waiting too long", "diversion.messaging.services.messages_retry_stale", 5),
    ("Assessment reminders due", "diversion.referrals.notifications.reminders_due", 5),
    ("Webhook deliveries due", "diversion.webhooks.services.webhook_deliveries_due", 1),
    ("Evaluation snapshots", "diversion.evaluation.snapshot.snapshots_refresh", 60),
]


def heartbeat() -> None:
    WorkerHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"beat_at": timezone.now()})


def ensure_schedules() -> None:
    from django_q.models import Schedule

    for name, func, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": Schedule.MINUTES,
                "minutes": minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )
