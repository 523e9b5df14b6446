from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the background worker every minute; /readyz reads it."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
