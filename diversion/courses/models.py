"""Course types and their modules, the scheme's course settings, sessions, enrolments (one seat
each) and the waitlist. Attendance is the enrolment's state, marked on the register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


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
    provider = models.ForeignKey(
        "schemes.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The provider that keeps this course type (empty: the shared catalogue).",
    )
    # Part of each scheme's policy (scheme_policy.py). Declared here, not on Scheme, so that the
    # schemes app knows nothing of courses; the table keeps the name it had there.
    schemes = models.ManyToManyField(
        "schemes.Scheme",
        blank=True,
        related_name="course_types",
        db_table="schemes_scheme_course_types",
    )

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


class CourseSettings(models.Model):
    """The scheme's course settings, kept by the provider's manager (not part of scheme policy)."""

    scheme = models.OneToOneField(
        "schemes.Scheme", on_delete=models.CASCADE, related_name="course_settings"
    )
    course_wait_target_days = models.PositiveSmallIntegerField(
        default=21, help_text="The longest a person should wait for a course place."
    )
    offers_in_person = models.BooleanField(
        default=False, help_text="Whether the scheme runs in-person sessions as well as online."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "course settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(course_wait_target_days__gte=7, course_wait_target_days__lte=120),
                name="course_wait_target_within_limits",
            )
        ]

    def __str__(self) -> str:
        return f"Course settings for {self.scheme}"


class Delivery(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"


class Session(models.Model):
    """One sitting of a course: when, how, how many seats and who runs it."""

    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.CASCADE, related_name="course_sessions"
    )
    course_type = models.ForeignKey(CourseType, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.ONLINE)
    meeting_link = models.URLField(max_length=300, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField()
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="course_sessions", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["scheme", "course_type", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="course_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=40),
                name="course_session_capacity_1_to_40",
            ),
            models.CheckConstraint(
                condition=(Q(delivery="online") & ~Q(meeting_link=""))
                | (Q(delivery="in_person") & ~Q(venue="")),
                name="course_session_has_link_or_venue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_type} {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"


class EnrolmentState(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    LATE = "late", "Late"
    LEFT_EARLY = "left_early", "Left early"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    MOVED = "moved", "Moved to another session"
    CANCELLED = "cancelled", "Cancelled"


# States in which an enrolment holds its seat on the session.
SEAT_RELEASED = (EnrolmentState.MOVED, EnrolmentState.CANCELLED)


class TimeOfDay(models.TextChoices):
    ANY = "any", "Any time"
    DAYTIME = "daytime", "Daytime (before 5pm)"
    EVENING = "evening", "Evening (5pm or later)"


class DeliveryPreference(models.TextChoices):
    ANY = "any", "Online or in person"
    ONLINE = "online", "Online only"
    IN_PERSON = "in_person", "In person only"


class Enrolment(models.Model):
    """A person's seat on a session. The seat number makes over-booking a database error:
    each seat of a session is held by at most one enrolment, and seats are numbered from 1 to
    the session's capacity under a lock on the session."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="enrolments"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments")
    seat = models.PositiveSmallIntegerField()
    state = models.CharField(
        max_length=20, choices=EnrolmentState.choices, default=EnrolmentState.BOOKED
    )
    time_of_day = models.CharField(max_length=10, choices=TimeOfDay.choices, default="any")
    delivery_preference = models.CharField(
        max_length=10, choices=DeliveryPreference.choices, default="any"
    )
    created_at = models.DateTimeField(default=timezone.now)
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["session", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "seat"],
                condition=~Q(state__in=["moved", "cancelled"]),
                name="enrolment_one_person_per_seat",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(state="booked"),
                name="enrolment_one_booking_per_referral",
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="enrolment_seat_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.referral} on {self.session} (seat {self.seat})"


class WaitlistState(models.TextChoices):
    WAITING = "waiting", "Waiting"
    ENROLLED = "enrolled", "Given a place"
    REMOVED = "removed", "Removed"


class WaitlistEntry(models.Model):
    """Someone who found every suitable session full. Offered seats in the order they joined."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    course_type = models.ForeignKey(CourseType, on_delete=models.PROTECT, related_name="+")
    time_of_day = models.CharField(max_length=10, choices=TimeOfDay.choices, default="any")
    delivery_preference = models.CharField(
        max_length=10, choices=DeliveryPreference.choices, default="any"
    )
    state = models.CharField(
        max_length=10, choices=WaitlistState.choices, default=WaitlistState.WAITING
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(state="waiting"),
                name="waitlist_one_place_per_referral",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral} waiting for {self.course_type}"
