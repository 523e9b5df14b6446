"""Course types and their modules.

Sessions, enrolment and attendance come with the provider's side.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Audience(models.TextChoices):
    ADULT = "adult", "Adults"
    YOUNG_PEOPLE = "young_people", "Young people (under 18)"
    SUBSTANCE_SPECIFIC = "substance_specific", "Adults, substance-specific"


class CourseType(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    audience = models.CharField(max_length=30, choices=Audience.choices)
    substance = models.CharField(max_length=60, blank=True)
    duration_minutes = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=120, duration_minutes__lte=180),
                name="course_type_lasts_two_to_three_hours",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CourseModule(models.Model):
    course_type = models.ForeignKey(CourseType, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["course_type", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["course_type", "position"], name="course_module_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_type}: {self.title}"
