"""Workers' availability, the bookable assessment slots it generates, and bookings.

A slot is booked at most once: a partial unique constraint on active bookings, taken under a row
lock on the slot. A slot can be held for a few minutes by one officer's unfinished referral.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from diversion.core.fields import EncryptedTextField


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Availability(models.Model):
    """A worker's regular weekly hours for telephone assessments."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(default=45)

    class Meta:
        ordering = ["worker", "weekday", "starts_at"]
        verbose_name_plural = "availability"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="availability_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=15, slot_minutes__lte=120),
                name="availability_slot_length",
            ),
        ]

    def __str__(self) -> str:
        hours = f"{self.starts_at:%H:%M}-{self.ends_at:%H:%M}"
        return f"{self.worker} {self.get_weekday_display()} {hours}"


class Slot(models.Model):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="slots")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="slots"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    held_until = models.DateTimeField(null=True, blank=True)
    held_for = models.CharField(
        max_length=64, blank=True, help_text="The draft referral holding it."
    )
    is_withdrawn = models.BooleanField(
        default=False, help_text="Taken out of the rota (leave, sickness)."
    )

    class Meta:
        ordering = ["starts_at", "worker"]
        indexes = [models.Index(fields=["scheme", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "starts_at"], name="slot_one_per_worker_and_time"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} with {self.worker}"


class Interpreter(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    NEEDED = "needed", "Needed, not booked yet"
    BOOKED = "booked", "Booked"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    MISSED = "missed", "Missed"


# A booking that holds its slot (one per slot), and one whose call is still to make or to move.
ACTIVE = (BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.MISSED)
CALLABLE = frozenset({BookingStatus.BOOKED, BookingStatus.MISSED})


class Booking(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(
        max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    interpreter = models.CharField(
        max_length=12, choices=Interpreter.choices, default=Interpreter.NOT_NEEDED
    )
    interpreter_language = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=list(ACTIVE)),
                name="booking_one_active_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral} at {self.slot}"


class ExceptionKind(models.TextChoices):
    LEAVE = "leave", "Annual leave"
    TRAINING = "training", "Training"
    SICKNESS = "sickness", "Sickness"
    OTHER = "other", "Other time away"


class RotaException(models.Model):
    """Time a worker is away from the rota: whole days, or part of each day between two times."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_exceptions"
    )
    kind = models.CharField(max_length=12, choices=ExceptionKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    from_time = models.TimeField(null=True, blank=True, help_text="Empty for whole days.")
    to_time = models.TimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "worker"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="rota_exception_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(from_time__isnull=True, to_time__isnull=True)
                | Q(from_time__isnull=False, to_time__isnull=False, to_time__gt=F("from_time")),
                name="rota_exception_part_day_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.worker} {self.starts_on}-{self.ends_on}"

    @property
    def is_whole_days(self) -> bool:
        return self.from_time is None


class AttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", "No answer"
    VOICEMAIL = "voicemail", "Voicemail left"
    WRONG_NUMBER = "wrong_number", "Wrong number"
    COMPLETED = "completed", "Call completed"


class ContactAttempt(models.Model):
    """One try at calling the person for their booked assessment."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="attempts")
    outcome = models.CharField(max_length=16, choices=AttemptOutcome.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["booking", "made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for booking {self.booking_id}"


class ChangeKind(models.TextChoices):
    REBOOKED = "rebooked", "Rebooked"
    REASSIGNED = "reassigned", "Reassigned"


class BookingChange(models.Model):
    """The visible history of a referral's assessment bookings: every rebooking and
    reassignment, from which booking to which, why and by whom."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="booking_changes"
    )
    kind = models.CharField(max_length=12, choices=ChangeKind.choices)
    from_booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="+")
    to_booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["referral", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind} {self.from_booking_id} -> {self.to_booking_id}"
