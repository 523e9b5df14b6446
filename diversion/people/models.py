"""The person referred: identity, demographics and contact preferences.

Names, contact details and police identifiers are encrypted at rest. Matching a repeat referral
goes through `PersonMatchKey`: keyed hashes of normalised name-and-birth-date variants, so that
the same person is found again without the database holding searchable names.
"""

from __future__ import annotations

from django.db import models

from diversion.core.fields import EncryptedTextField


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Prefer not to say"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh (Cymraeg)"
    URDU = "ur", "Urdu (اردو)"
    PUNJABI = "pa", "Punjabi (ਪੰਜਾਬੀ)"
    POLISH = "pl", "Polish (polski)"


class Person(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="people")
    given_name = EncryptedTextField()
    family_name = EncryptedTextField()
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    self_defined_ethnicity = models.ForeignKey(
        "reference.SelfDefinedEthnicity", on_delete=models.PROTECT, related_name="+"
    )
    observed_ethnicity = models.ForeignKey(
        "reference.ObservedEthnicity", on_delete=models.PROTECT, related_name="+"
    )
    mobile = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    preferred_language = models.CharField(
        max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    safe_to_text = models.BooleanField(default=False)
    safe_to_leave_voicemail = models.BooleanField(default=False)
    discreet_messages = models.BooleanField(default=True)
    police_person_id = EncryptedTextField(blank=True)
    police_person_id_index = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"Person {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class MatchKind(models.TextChoices):
    EXACT = "exact", "Same name and date of birth"
    SWAPPED_NAMES = "swapped_names", "Names swapped"
    PHONETIC = "phonetic", "Names sound the same"
    INITIAL = "initial", "Same surname and first initial"
    DAY_MONTH_SWAPPED = "day_month_swapped", "Day and month of birth swapped"
    POLICE_ID = "police_id", "Same police identifier"


class PersonMatchKey(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    kind = models.CharField(max_length=20, choices=MatchKind.choices)
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "key"], name="person_match_key_unique"
            )
        ]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return f"{self.kind} key of person {self.person_id}"
