"""Forces, local authorities, providers, commissioners and the schemes that join them.

A scheme's policy lives here as data. Its rules are validated in `policy.py`, called by the
services before every save, so a bad policy never reaches the database.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from diversion.core.roles import OrganisationKind
from diversion.schemes.policy import RECORD_STATEMENT_DEFAULT


class Organisation(models.Model):
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LocalAuthority(models.Model):
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=120)
    force = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="local_authorities",
        limit_choices_to={"kind": OrganisationKind.FORCE},
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class OutcomeCode(models.IntegerChoices):
    COMMUNITY_RESOLUTION = 8, "Community resolution (Home Office outcome 8)"
    DIVERSIONARY_ACTIVITY = 22, "Diversionary, educational or intervention activity (outcome 22)"


class Scheme(models.Model):
    code = models.CharField(
        max_length=3, unique=True, help_text="Two or three capital letters: the referral prefix."
    )
    name = models.CharField(max_length=120, unique=True)
    force = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    evaluators = models.ManyToManyField(Organisation, blank=True, related_name="evaluated_schemes")
    local_authorities = models.ManyToManyField(LocalAuthority, related_name="schemes")
    go_live = models.DateField()
    is_active = models.BooleanField(default=True)

    # Policy: validated as a whole by schemes.policy.validate_policy.
    outcome_code = models.PositiveSmallIntegerField(
        choices=OutcomeCode.choices, default=OutcomeCode.COMMUNITY_RESOLUTION
    )
    eligible_drug_classes = models.JSONField(default=list)
    excluded_circumstances = models.JSONField(default=list, blank=True)
    days_to_assessment = models.PositiveSmallIntegerField(default=14)
    days_to_course = models.PositiveSmallIntegerField(default=56)
    missed_appointments_limit = models.PositiveSmallIntegerField(default=2)
    # Indicators that refuse on their own in this scheme, whatever the officer judges
    # (schemes.policy.SUPPLY_INDICATORS codes); the rest only inform the officer's judgement.
    automatic_supply_refusals = models.JSONField(default=list, blank=True)
    # What the officer says about the Community Resolution's record, in English; blank: the
    # default (schemes.policy.RECORD_STATEMENT_DEFAULT). See `record_words`.
    record_statement = models.TextField(blank=True)
    accepts_young_people = models.BooleanField(default=True)
    youth_minimum_age = models.PositiveSmallIntegerField(default=10)
    slot_hold_minutes = models.PositiveSmallIntegerField(default=5)
    # The course types it offers are part of its policy too: CourseType.schemes, kept by the
    # courses app (courses/scheme_policy.py), read here as scheme.course_types.
    policy_version = models.PositiveIntegerField(default=1)
    policy_updated_at = models.DateTimeField(auto_now_add=True)
    # The schemes this one tells, at their stops, the one fact "referred here on DATE: engaged /
    # did not engage" about a person (never more). Empty: shared with nobody (decision 0016).
    # Changed only through `services.scheme_sharing_update`, audited in both schemes.
    shares_engagement_with = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="receives_engagement_from"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def record_words(self) -> str:
        return self.record_statement.strip() or RECORD_STATEMENT_DEFAULT


def schemes_of_organisation_q(organisation: Organisation) -> Q:
    return (
        Q(force=organisation)
        | Q(provider=organisation)
        | Q(commissioner=organisation)
        | Q(evaluators=organisation)
    )


class FundingSource(models.TextChoices):
    OPCC_CORE = "opcc_core", "Police and Crime Commissioner core budget"
    PROCEEDS_OF_CRIME = "proceeds_of_crime", "Proceeds of crime"
    HOME_OFFICE = "home_office", "Home Office grant"
    PUBLIC_HEALTH = "public_health", "Local authority public health grant"
    OTHER = "other", "Other"


class FundingPeriod(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="funding_periods")
    funder = models.CharField(max_length=200)
    source = models.CharField(max_length=30, choices=FundingSource.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    amount_pounds = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["scheme", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="funding_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(amount_pounds__gte=0), name="funding_period_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.starts_on} to {self.ends_on}"
