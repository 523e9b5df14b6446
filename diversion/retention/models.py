"""A scheme's overrides of the default retention schedule, the job's runs, and the rows the
job has anonymised (so that a second run leaves them alone)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RetentionSchedule(models.Model):
    """One kind's period and action for one scheme, where it differs from the default
    (docs/decisions/0020-retention-defaults.md). Changed only by `schedules.schedule_update`."""

    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.CASCADE, related_name="retention_schedules"
    )
    kind = models.CharField(max_length=40)
    period_days = models.PositiveIntegerField()
    action = models.CharField(max_length=12)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="retention_schedule_once"),
            models.CheckConstraint(
                condition=Q(action__in=["delete", "anonymise"]), name="retention_action_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.period_days} days, {self.action}"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Finished with errors"


class RetentionRun(models.Model):
    """One run of the job, real or dry: when, what it did (or would do) per kind, what failed,
    and its longest single transaction (the longest it held any row lock)."""

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateTimeField(help_text="The time the periods were counted to.")
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    # {scheme code or "deployment": {kind: {"delete": n, "anonymise": n, "held": n}}}
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    longest_transaction_ms = models.PositiveIntegerField(default=0)
    seconds = models.JSONField(default=dict, blank=True, help_text="Seconds spent per kind.")
    stopped_early = models.BooleanField(
        default=False, help_text="Stopped at its time limit: the next run goes on from there."
    )
    started_by = models.CharField(max_length=200, default="system")

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Retention {'dry run' if self.dry_run else 'run'} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return sum(n for (_kind, action), n in self.totals().items() if action != "held")

    def totals(self, *, where: list[str] | None = None) -> dict[tuple[str, str], int]:
        """{(kind, action): rows} over the schemes named (all if None), held rows apart."""
        result: dict[tuple[str, str], int] = {}
        for place, per_kind in self.counts.items():
            if where is not None and place not in where:
                continue
            for kind, per_action in per_kind.items():
                for action, number in per_action.items():
                    result[(kind, action)] = result.get((kind, action), 0) + number
        return result


class RetentionMark(models.Model):
    """A row the job anonymised in place: the next run does not pick it again."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    applied_at = models.DateTimeField()
    run = models.ForeignKey(RetentionRun, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="retention_mark_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
