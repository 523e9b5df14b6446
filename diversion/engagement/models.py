"""What the police are told: an intelligence log when a person did not engage at all, and the
engagement outcome when they did (completed, or assessed but the course not completed). Each
is made once per referral and kind, and acknowledged by the force's system through the API."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class NoticeKind(models.TextChoices):
    INTELLIGENCE_LOG = "intelligence_log", "Intelligence log: did not engage"
    ENGAGED = "engaged", "Engaged"
    COMPLETED = "completed", "Completed"
    COURSE_NOT_COMPLETED = "course_not_completed", "Engaged: assessed, course not completed"


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


class LinkPurpose(models.TextChoices):
    ASSESSMENT = "assessment", "Telephone assessment"
    COURSE = "course", "Course session"


class LinkUse(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed the time"
    REBOOKED = "rebooked", "Chose another time"
    MOVED = "moved", "Chose another course session"


class SelfServiceLink(models.Model):
    """A link in a message to the person: no account, signed, expiring, used once.

    The address carries `public_id` and a signature over it (`engagement/selfservice.py`); the
    row says what it is for, until when, and whether it has been used.
    """

    public_id = models.CharField(max_length=16, unique=True)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="self_service_links"
    )
    purpose = models.CharField(max_length=12, choices=LinkPurpose.choices)
    booking = models.ForeignKey(
        "scheduling.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_for = models.CharField(max_length=12, choices=LinkUse.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True, used_for="")
                | models.Q(used_at__isnull=False) & ~models.Q(used_for=""),
                name="self_service_link_use_recorded_whole",
            )
        ]

    def __str__(self) -> str:
        return f"Self-service link for {self.referral} ({self.purpose})"
