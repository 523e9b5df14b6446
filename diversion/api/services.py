"""Writes made through the API: a referral created once per idempotency key, and acknowledging
a notice. Both are audited with the API client as the actor."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from diversion.accounts.models import ApiClient
from diversion.api.models import IdempotencyRecord
from diversion.api.selectors import MAX_ID, idempotency_record
from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.engagement.models import PoliceNotice
from diversion.referrals.details import PersonDetails, StopDetails
from diversion.referrals.models import Referral
from diversion.referrals.selectors import PersonHistory
from diversion.referrals.services import referral_create


class IdempotencyKeyReused(Exception):
    """The key was already used by this client for a request with a different body."""


def request_fingerprint(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _referral_key(client: ApiClient, key: str) -> str:
    """The referral's own idempotency key: per client, so two forces' keys never collide."""
    return "api-" + hashlib.sha256(f"{client.pk}:{key}".encode()).hexdigest()[:56]


def referral_replay(*, client: ApiClient, key: str, fingerprint: str) -> Referral | None:
    """The referral an earlier request with this key created, if the request was the same."""
    record = idempotency_record(client=client, key=key)
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    return record.referral


def referral_create_from_api(
    *,
    client: ApiClient,
    key: str,
    fingerprint: str,
    scheme: Any,
    officer: Any,
    person: PersonDetails,
    stop: StopDetails,
    slot_id: int,
) -> tuple[Referral, bool]:
    """Create the referral and remember the key in one transaction; (referral, created).

    Two simultaneous requests with one key meet at the referral's unique idempotency key: one
    creates, the other gets the same referral (or a 409 if its body differs).
    """
    with transaction.atomic():
        result = referral_create(
            officer=officer,
            scheme=scheme,
            person=person,
            stop=stop,
            consent_to_contact=True,
            consent_to_share=True,
            slot_id=slot_id,
            idempotency_key=_referral_key(client, key),
            actor=Actor(user=None, label=f"api:{client.key_id}", organisation=client.organisation),
        )
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    client=client, key=key, fingerprint=fingerprint, referral=result.referral
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(client=client, key=key)
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReused from None
    return result.referral, result.created


def notice_acknowledge(*, client: ApiClient, actor: Actor, notice_id: int) -> PoliceNotice:
    """Idempotent: the first acknowledgement's time and client stay."""
    if not 0 < notice_id <= MAX_ID:
        raise Http404("No notice of your force has this id.")
    with transaction.atomic():
        notice = (
            PoliceNotice.objects.select_for_update(of=("self",))
            .filter(pk=notice_id, scheme__force=client.organisation)
            .select_related("referral", "scheme")
            .first()
        )
        if notice is None:
            raise Http404("No notice of your force has this id.")
        if notice.acknowledged_at is None:
            notice.acknowledged_at, notice.acknowledged_by = timezone.now(), client
            notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=notice,
                scheme=notice.scheme,
                reason="acknowledged by the force's system",
                changes={"acknowledged_at": notice.acknowledged_at},
            )
    return notice


def reads_record(*, actor: Actor, reads: list[tuple[Any, Any, str]]) -> None:
    """Audit reads of personal records: (record, scheme, reason) each, in one transaction."""
    if not reads:
        return
    with transaction.atomic():
        for obj, scheme, reason in reads:
            audit_record(
                actor=actor, action=AuditAction.READ, obj=obj, scheme=scheme, reason=reason
            )


def lookup_record(*, actor: Actor, scheme: Any, history: PersonHistory) -> None:
    """An eligibility check that found a person read their referral history: audited."""
    if history.person_id is None and not history.possible_matches:
        return
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            object_type="people.Person",
            object_id=str(history.person_id or ""),
            scheme=scheme,
            reason="eligibility check by the force's system",
            changes={"possible_matches": len(history.possible_matches)},
        )


def api_client_deactivate(*, key_id: str, actor: Actor) -> ApiClient | None:
    """The key stops working at once; its history (notices acknowledged, audit) stays."""
    with transaction.atomic():
        client = ApiClient.objects.select_for_update(of=("self",)).filter(key_id=key_id).first()
        if client is None:
            return None
        if client.is_active:
            client.is_active = False
            client.save(update_fields=["is_active"])
            audit_record(
                actor=actor, action=AuditAction.UPDATE, obj=client, changes={"is_active": False}
            )
    return client
