"""Information rights: legal holds, subject access, rectification and erasure requests, and the
record of each erasure (docs/information-rights.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HoldKind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    LITIGATION = "litigation", "Litigation"
    SAFEGUARDING_REVIEW = "safeguarding_review", "Safeguarding review"
    OTHER = "other", "Other"


class LegalHold(models.Model):
    """Stops the retention job and erasure for a person (and all their referrals) or one
    referral, until lifted. Exactly one of person and referral is set."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=HoldKind.choices)
    reason = models.CharField(max_length=500)
    review_on = models.DateField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, referral__isnull=True)
                | models.Q(person__isnull=True, referral__isnull=False),
                name="legal_hold_on_person_or_referral",
            )
        ]
        indexes = [models.Index(fields=["lifted_at"])]

    def __str__(self) -> str:
        target = f"person {self.person_id}" if self.person_id else f"referral {self.referral_id}"
        return f"{self.get_kind_display()} hold on {target}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Erasure(models.Model):
    """That a person was anonymised: when, by whom, why, and what was removed (counts only)."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    erased_at = models.DateTimeField()
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300)
    removed = models.JSONField(default=dict)  # {"what": count}

    def __str__(self) -> str:
        return f"erasure of person {self.person_id}"


class ExtractRecall(models.Model):
    """A pseudonymised extract produced before an erasure that held the erased person: the
    evaluator must be asked to delete it (listed on the erasure's page until confirmed)."""

    erasure = models.ForeignKey(Erasure, on_delete=models.CASCADE, related_name="recalls")
    extract = models.CharField(max_length=200)  # what the evaluation recorded for it
    produced_at = models.DateTimeField(null=True, blank=True)
    recipient = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recall of {self.extract}"


class RequestKind(models.TextChoices):
    ACCESS = "access", "Subject access"
    RECTIFICATION = "rectification", "Rectification"
    ERASURE = "erasure", "Erasure"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    AWAITING_REVIEW = "awaiting_review", "Awaiting review"
    COMPLETED = "completed", "Completed"
    REFUSED = "refused", "Refused"


class RightsRequest(models.Model):
    """A request from a person to see, correct or erase what is held about them."""

    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField()
    due_on = models.DateField()
    identity_checked = models.BooleanField(default=False)
    identity_evidence = models.CharField(max_length=200, blank=True)
    details = models.TextField(blank=True)  # what the person asks for (a rectification's change)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    person_told = models.CharField(max_length=200, blank=True)  # how, or the task left to do

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request {self.pk}"
