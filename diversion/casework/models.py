"""The provider's casework on a referral: the telephone assessment, the advice plan, the
allocation to a course (or to treatment only) and onward referrals; and, per scheme, the
advice library, the directory of services and the casework settings.

What the person said (drugs, health, safeguarding, free text) is in encrypted columns. Scores,
the risk level and the allocation stay plain so that the scheme's figures can be counted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from diversion.casework.fields import EncryptedJSONField
from diversion.casework.questions import RiskLevel
from diversion.casework.scoring import AuditBand
from diversion.core.fields import EncryptedTextField


class CaseworkSettings(models.Model):
    """A scheme's casework settings: its safeguarding lead and its allocation rules."""

    scheme = models.OneToOneField(
        "schemes.Scheme", on_delete=models.CASCADE, related_name="casework_settings"
    )
    safeguarding_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    allocation_rules = models.JSONField(
        default=list, blank=True, help_text="Empty: the standard rules in casework/rules.py."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "casework settings"

    def __str__(self) -> str:
        return f"Casework settings of {self.scheme}"


class Assessment(models.Model):
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="assessment"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answers = EncryptedJSONField(default=dict, blank=True)
    sections_done = models.JSONField(default=list, blank=True)
    audit_c_score = models.PositiveSmallIntegerField(null=True, blank=True)
    audit_score = models.PositiveSmallIntegerField(null=True, blank=True)
    audit_band = models.CharField(max_length=12, choices=AuditBand.choices, blank=True)
    proposed_risk = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    risk_change_reason = EncryptedTextField(blank=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(audit_c_score__lte=12), name="assessment_audit_c_at_most_12"
            ),
            models.CheckConstraint(
                condition=Q(audit_score__lte=40), name="assessment_audit_at_most_40"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.referral_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class SafeguardingConcern(models.Model):
    """A concern raised in an assessment, routed to the scheme's safeguarding lead."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="safeguarding_concerns"
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    kinds = EncryptedJSONField(default=list)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"], name="safeguarding_concern_one_per_referral"
            )
        ]

    def __str__(self) -> str:
        return f"Safeguarding concern on {self.referral_id}"


class AdviceEntry(models.Model):
    """One topic in a scheme's advice library. Its words are in versions: an edit adds one."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=60)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "key"], name="advice_entry_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class AdviceVersion(models.Model):
    entry = models.ForeignKey(AdviceEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="What the worker explains on the call.")
    message_text = models.CharField(
        max_length=300, help_text="One or two sentences for the summary sent to the person."
    )
    triggers = models.JSONField(help_text="Facts about an assessment that bring this advice in.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    change_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="advice_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class AdvicePlan(models.Model):
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="advice_plan"
    )
    personal_note = EncryptedTextField(blank=True)
    drafted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary_consent = models.BooleanField(default=False)
    summary_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Advice plan of {self.referral_id}"


class AdvicePlanItem(models.Model):
    plan = models.ForeignKey(AdvicePlan, on_delete=models.CASCADE, related_name="items")
    version = models.ForeignKey(AdviceVersion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="advice_plan_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version} in plan {self.plan_id}"


class Allocation(models.Model):
    """Where the person goes after the assessment: a course type, or treatment only."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="allocation"
    )
    proposed_course_type = models.ForeignKey(
        "courses.CourseType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_onward_only = models.BooleanField(default=False)
    proposed_reason = models.CharField(max_length=300)
    course_type = models.ForeignKey(
        "courses.CourseType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    onward_only = models.BooleanField(default=False)
    change_reason = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(onward_only=True, course_type__isnull=False),
                name="allocation_course_or_onward_only",
            ),
        ]

    def __str__(self) -> str:
        return f"Allocation of {self.referral_id}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


class ServiceKind(models.TextChoices):
    DRUG_TREATMENT = "drug_treatment", "Drug treatment"
    ALCOHOL = "alcohol", "Alcohol service"
    HOUSING = "housing", "Housing"
    CITIZENS_ADVICE = "citizens_advice", "Citizens Advice"
    MENTAL_HEALTH = "mental_health", "Mental health"
    YOUNG_PEOPLE = "young_people", "Young people's service"
    EMPLOYMENT = "employment", "Employment"
    GAMBLING = "gambling", "Gambling support"


class OnwardService(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)
    name = models.CharField(max_length=200)
    contact = models.CharField(max_length=200, help_text="Phone, email or web address.")
    description = models.CharField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="onward_service_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class OnwardStatus(models.TextChoices):
    MADE = "made", "Made"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ATTENDED = "attended", "Attended"


class OnwardReferral(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="onward_referrals"
    )
    service = models.ForeignKey(OnwardService, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        max_length=10, choices=OnwardStatus.choices, default=OnwardStatus.MADE
    )
    consent = models.BooleanField()
    follow_up_on = models.DateField()
    notes = EncryptedTextField(blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="onward_referral_has_consent"),
            models.UniqueConstraint(
                fields=["referral", "service"], name="onward_referral_once_per_service"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} to {self.service}"
