"""What the referrals part tells the others (see `core/events.py`)."""

from __future__ import annotations

import dataclasses

from diversion.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReferralCreated(DomainEvent):
    """An officer's referral is recorded (its assessment booked in the same transaction)."""

    referral_id: int
    scheme_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class StatusChanged(DomainEvent):
    """A referral moved through the lifecycle (`lifecycle.TRANSITIONS`)."""

    referral_id: int
    scheme_id: int
    from_status: str
    to_status: str
