"""What the engagement part tells the others (see `core/events.py`)."""

from __future__ import annotations

import dataclasses

from diversion.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class PoliceNoticeCreated(DomainEvent):
    """The police are owed a notice: the person engaged, completed, or did not engage (an
    intelligence log). Written in the transaction of the status change that caused it."""

    notice_id: int
    referral_id: int
    scheme_id: int
    kind: str
