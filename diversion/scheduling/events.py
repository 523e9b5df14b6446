"""What the scheduling part tells the others (see `core/events.py`)."""

from __future__ import annotations

import dataclasses

from diversion.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class BookingMoved(DomainEvent):
    """A referral's assessment call moved to another slot (rebooked after a miss, or reassigned
    to another worker or time); the old booking is kept, cancelled or missed."""

    kind: str  # ChangeKind: rebooked or reassigned
    referral_id: int
    from_booking_id: int
    to_booking_id: int
    time_changed: bool
