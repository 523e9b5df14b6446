"""Public code lists, loaded from `data/` (copies of the published lists), never retyped in code."""

from __future__ import annotations

from django.db import models


class OutcomeGroup(models.TextChoices):
    PENDING = "pending", "Pending"
    CHARGE = "charge", "Charge or summons"
    OUT_OF_COURT_FORMAL = "out_of_court_formal", "Formal out-of-court outcome"
    OUT_OF_COURT_INFORMAL = "out_of_court_informal", "Informal out-of-court outcome"
    DIVERSIONARY = "diversionary", "Diversionary activity"
    TAKEN_INTO_CONSIDERATION = "taken_into_consideration", "Taken into consideration"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class CrimeOutcome(models.Model):
    code = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=30, choices=OutcomeGroup.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class PossessionOffence(models.Model):
    home_office_code = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["home_office_code"]

    def __str__(self) -> str:
        return f"{self.home_office_code} {self.name}"


class SelfDefinedEthnicity(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    group = models.CharField(max_length=60)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.group}: {self.name}"


class ObservedEthnicity(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AuditCQuestion(models.Model):
    number = models.PositiveSmallIntegerField(primary_key=True)
    question = models.CharField(max_length=300)
    answers = models.JSONField(help_text="The five answers, scoring 0 to 4 in order.")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"AUDIT-C {self.number}"
