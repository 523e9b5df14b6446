"""Events the privacy app publishes (core/events.py)."""

from __future__ import annotations

import dataclasses

from diversion.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class PersonErased(DomainEvent):
    """A person was anonymised. Published inside the erasure's transaction: in-transaction
    subscribers (api, evaluation) remove what they hold about the person, or the erasure fails."""

    person_id: int
    scheme_id: int
    referral_ids: tuple[int, ...]
