"""The police and ONS data the evaluation needs, per scheme, and the batches that imported it.

Police people are never stored by name: each keeps the blind-index keys of its police identifier
and of its exact name and date of birth (the same keys `people` keeps for people referred), so
it links to the scheme's referrals by equality on keys. Every imported row carries a keyed hash
of its content (`row_key`), unique per scheme, so importing the same file again adds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportKind(models.TextChoices):
    OFFENCES = "offences", "Police-recorded offences and arrests"
    OUTCOMES = "outcomes", "Crime outcomes for possession offences"
    STOP_SEARCHES = "stop_searches", "Stop-and-search records"
    POPULATION = "population", "Population (2021 Census)"
    UNIT_COSTS = "unit_costs", "Unit costs"


class ImportBatch(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_by_label = models.CharField(max_length=200)
    imported_at = models.DateTimeField()
    rows_read = models.PositiveIntegerField(default=0)
    rows_added = models.PositiveIntegerField(default=0)
    rows_already_imported = models.PositiveIntegerField(default=0)
    rows_bad = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True, help_text="The bad rows and their reasons.")

    class Meta:
        ordering = ["-imported_at"]
        indexes = [models.Index(fields=["scheme", "kind", "imported_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.file_name}"


class LinkKind(models.TextChoices):
    NONE = "", "Not linked"
    POLICE_ID = "police_id", "Same police identifier"
    NAME_DOB = "name_dob", "Same name and date of birth"
    GENERATED = "generated", "Linked when generated"


class PolicePerson(models.Model):
    """A person in the police data: pseudonymous, linked to a referred person where possible."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    police_id_index = models.CharField(max_length=64, blank=True)
    name_key = models.CharField(max_length=64, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=12, blank=True)
    ethnicity = models.CharField(max_length=2, blank=True)
    local_authority = models.CharField(max_length=9, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    link = models.CharField(max_length=12, choices=LinkKind.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["scheme", "police_id_index"]),
            models.Index(fields=["scheme", "name_key"]),
            models.Index(fields=["person"]),
        ]

    def __str__(self) -> str:
        return f"Police person {self.pk}"

    @property
    def person_key(self) -> str:
        """Stable and pseudonymous: the referred person's key when linked, else this record's."""
        return f"P{self.person_id}" if self.person_id else f"X{self.pk}"


class Disposal(models.TextChoices):
    NONE = "", "None known"
    CONVICTION = "conviction", "Conviction"
    CAUTION = "caution", "Caution"


class PoliceOffence(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    police_person = models.ForeignKey(
        PolicePerson, on_delete=models.CASCADE, related_name="offences"
    )
    offence_date = models.DateField()
    offence_code = models.CharField(max_length=6)
    is_possession = models.BooleanField()
    is_arrest = models.BooleanField(default=False)
    disposal = models.CharField(max_length=12, choices=Disposal.choices, blank=True)
    disposal_date = models.DateField(null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")
    row_key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "row_key"], name="police_offence_row_once")
        ]
        indexes = [
            models.Index(fields=["scheme", "offence_date"]),
            models.Index(fields=["police_person", "offence_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.offence_code} on {self.offence_date}"


class PossessionOutcome(models.Model):
    """One possession offence (92D/92E) and its Home Office outcome, diverted or not."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    offence_date = models.DateField()
    local_authority = models.CharField(max_length=9)
    offence_code = models.CharField(max_length=4)
    outcome_code = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=12)
    ethnicity = models.CharField(max_length=2)
    diverted = models.BooleanField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")
    row_key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "row_key"], name="possession_outcome_once")
        ]
        indexes = [models.Index(fields=["scheme", "offence_date"])]

    def __str__(self) -> str:
        return f"{self.offence_code} on {self.offence_date}: outcome {self.outcome_code}"


class StopSearch(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    searched_on = models.DateField()
    local_authority = models.CharField(max_length=9)
    sex = models.CharField(max_length=12)
    ethnicity = models.CharField(max_length=2, help_text="Self-defined; NS when not stated.")
    observed_ethnicity = models.CharField(max_length=3)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")
    row_key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "row_key"], name="stop_search_once")
        ]
        indexes = [models.Index(fields=["scheme", "searched_on"])]

    def __str__(self) -> str:
        return f"Stop and search on {self.searched_on}"


class Population(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    census_year = models.PositiveSmallIntegerField(default=2021)
    local_authority = models.CharField(max_length=9)
    sex = models.CharField(max_length=12)
    ethnic_group = models.CharField(max_length=12)
    population = models.PositiveIntegerField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "census_year", "local_authority", "sex", "ethnic_group"],
                name="population_once_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_authority} {self.sex} {self.ethnic_group}: {self.population}"


class UnitCostName(models.TextChoices):
    """What each figure costs; `docs/evaluation-data.md` says what each one covers."""

    DIVERSION_REFERRAL = "diversion_referral", "A referral to the diversion scheme"
    ASSESSMENT = "assessment", "A telephone assessment and harm-reduction session"
    COURSE_PLACE = "course_place", "A place on the group course"
    CHARGE = "charge", "A charge to court (police, CPS and court)"
    CAUTION = "caution", "A caution"
    PENALTY_NOTICE = "penalty_notice", "A penalty notice for disorder"
    CANNABIS_WARNING = "cannabis_warning", "A cannabis or khat warning"
    COMMUNITY_RESOLUTION = "community_resolution", "A community resolution"
    OFFICER_HOUR = "officer_hour", "An hour of a police officer's time"


class UnitCost(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=30, choices=UnitCostName.choices)
    amount_pounds = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.TextField()
    valid_from = models.DateField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["scheme", "name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "name", "valid_from"], name="unit_cost_once_per_date"
            ),
            models.CheckConstraint(
                condition=Q(amount_pounds__gte=0), name="unit_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()}: £{self.amount_pounds} from {self.valid_from}"


class FrameSnapshot(models.Model):
    """A scheme's evaluation frames, whole, stored column-wise (Parquet) so the dashboard reads a
    period of a large scheme in a fraction of a second (`diversion.evaluation.snapshot`).

    The `*_max_id` fields are what the snapshot had seen: referrals, status changes or
    enrolments after them are read live and replace their rows; police data after them makes
    the police frames live until the next build (decision 0012)."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField()
    build_seconds = models.FloatField(default=0)
    referral_max_id = models.BigIntegerField(default=0)
    status_change_max_id = models.BigIntegerField(default=0)
    enrolment_max_id = models.BigIntegerField(default=0)
    batch_max_id = models.BigIntegerField(default=0)
    police_person_max_id = models.BigIntegerField(default=0)
    offence_max_id = models.BigIntegerField(default=0)
    rows = models.JSONField(default=dict, help_text="Rows per frame.")

    class Meta:
        ordering = ["scheme", "-built_at"]
        get_latest_by = "built_at"

    def __str__(self) -> str:
        return f"Frames of scheme {self.scheme_id} as at {self.built_at:%Y-%m-%d %H:%M}"


class FrameSnapshotPart(models.Model):
    """One frame of a snapshot, as Parquet bytes."""

    snapshot = models.ForeignKey(FrameSnapshot, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(max_length=30)
    payload = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "name"], name="snapshot_part_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} of snapshot {self.snapshot_id}"
