"""What the police are told: an intelligence log when a person did not engage, and the
engagement outcome when they did. Each is made once per referral and kind, and acknowledged by
the force's system through the API."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class NoticeKind(models.TextChoices):
    INTELLIGENCE_LOG = "intelligence_log", "Intelligence log: did not engage"
    ENGAGED = "engaged", "Engaged"
    COMPLETED = "completed", "Completed"


class PoliceNotice(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="police_notices"
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.ApiClient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "kind"], name="police_notice_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.referral}"
