"""The officer's referral: the stop, the drugs found, the eligibility decision, the outcome
recorded, consent and the appropriate adult. Its status moves only through the lifecycle's
guarded transitions; every move leaves a `StatusChange` row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from diversion.core.fields import EncryptedTextField
from diversion.referrals.lifecycle import ReferralStatus


class HowFound(models.TextChoices):
    STOP_AND_SEARCH = "stop_and_search", "Stop and search"
    CUSTODY = "custody", "In custody"
    OTHER = "other", "Other (for example a premises search or a report)"


class Referral(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(max_length=16, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    # The stop
    stopped_at = models.DateTimeField()
    local_authority = models.ForeignKey(
        "schemes.LocalAuthority", on_delete=models.PROTECT, related_name="referrals"
    )
    place = EncryptedTextField(blank=True)
    how_found = models.CharField(max_length=20, choices=HowFound.choices)
    supply_indicators = models.JSONField(default=list, blank=True)
    other_offences = models.JSONField(default=list, blank=True)
    circumstances = models.JSONField(default=list, blank=True)
    # A person under 18 needs an appropriate adult present.
    appropriate_adult_name = EncryptedTextField(blank=True)
    appropriate_adult_relationship = models.CharField(max_length=60, blank=True)
    appropriate_adult_phone = EncryptedTextField(blank=True)
    # What was decided and recorded
    eligibility = models.JSONField(help_text="The eligibility decision with its reasons.")
    policy_version = models.PositiveIntegerField()
    outcome_code = models.PositiveSmallIntegerField()
    consent_to_contact = models.BooleanField()
    consent_to_share = models.BooleanField()
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["scheme", "status"]),
            models.Index(fields=["officer", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome_code__in=[8, 22]), name="referral_outcome_is_8_or_22"
            ),
            models.CheckConstraint(
                condition=models.Q(consent_to_contact=True, consent_to_share=True),
                name="referral_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class DrugFound(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="drugs")
    drug = models.CharField(max_length=40)
    drug_class = models.CharField(max_length=2)
    quantity = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["referral", "pk"]

    def __str__(self) -> str:
        return f"{self.drug} (Class {self.drug_class})"


class StatusChange(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["referral", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.from_status or 'new'} -> {self.to_status}"


class EligibilityRecord(models.Model):
    """Every eligibility decision an officer saw, eligible or not, with what disproportionality
    monitoring needs (age band, sex, both ethnicity codes) and no name: a refusal that goes no
    further identifies nobody. The officer's supply judgement and identity answer are kept for
    supervisors. Written by `referrals.services.eligibility_record_write` with its audit row."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="eligibility_records"
    )
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField()
    local_authority = models.ForeignKey(
        "schemes.LocalAuthority", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = EncryptedTextField(blank=True)
    eligible = models.BooleanField()
    reason_codes = models.JSONField(default=list, blank=True)
    decision = models.JSONField(help_text="The decision with its reasons and notes.")
    age_band = models.CharField(max_length=12)
    sex = models.CharField(max_length=12)
    self_defined_ethnicity = models.CharField(max_length=8)
    observed_ethnicity = models.CharField(max_length=8)
    supply_indicators = models.JSONField(default=list, blank=True)
    supply_suspected = models.BooleanField(null=True, blank=True)
    supply_reason = EncryptedTextField(blank=True)
    identity_answer = models.CharField(max_length=10, blank=True)
    shared_facts = models.PositiveSmallIntegerField(
        default=0, help_text="Facts other schemes shared that the look-up found."
    )
    # The officer's referral in progress (the draft's token): the last decision of a stop is
    # its outcome, so checking again after a correction does not count twice.
    stop_token = models.CharField(max_length=64, db_index=True)
    referral = models.OneToOneField(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eligibility_record",
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["scheme", "decided_at"])]

    def __str__(self) -> str:
        return f"Eligibility decision {self.pk} ({'eligible' if self.eligible else 'not eligible'})"
