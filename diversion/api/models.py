"""What the API keeps of its own: the idempotency keys police systems sent with each referral.

A key belongs to one API client. It remembers a fingerprint of the request that used it, so that
a retry gets the same referral back and a different request with the same key is refused.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    client = models.ForeignKey(
        "accounts.ApiClient", on_delete=models.PROTECT, related_name="idempotency_records"
    )
    key = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    # Removed with the referral when retention deletes it.
    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "key"], name="idempotency_key_once_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} -> {self.referral_id}"
