"""When a person is erased (privacy app), the API forgets its idempotency records for their
referrals: the request keys and body fingerprints police systems sent."""

from __future__ import annotations

from diversion.api.models import IdempotencyRecord
from diversion.privacy.events import PersonErased


def idempotency_records_forget(event: PersonErased) -> None:
    IdempotencyRecord.objects.filter(referral_id__in=event.referral_ids).delete()
