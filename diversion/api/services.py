"""Writes made through the API: a referral submitted once per idempotency key (through the
officer's own submission service), and switching an API key off. Audited with the API client
as the actor."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from diversion.accounts.models import ApiClient
from diversion.api.models import IdempotencyRecord
from diversion.api.selectors import idempotency_record, reads_record
from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.officer.services import referral_submit
from diversion.referrals.details import PersonDetails, StopDetails
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme


class IdempotencyKeyReused(Exception):
    """The key was already used by this client for a request with a different body."""


def request_fingerprint(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _referral_key(client: ApiClient, key: str) -> str:
    """The referral's own idempotency key: per client, so two forces' keys never collide."""
    return "api-" + hashlib.sha256(f"{client.pk}:{key}".encode()).hexdigest()[:56]


def referral_replay(
    *, client: ApiClient, actor: Actor, key: str, fingerprint: str
) -> Referral | None:
    """The referral an earlier request with this key created, if the request was the same:
    returned again, so read again (audited)."""
    record = idempotency_record(client=client, key=key)
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    _returned_again(actor, record.referral)
    return record.referral


def _returned_again(actor: Actor, referral: Referral) -> None:
    reads_record(
        actor=actor, reads=[(referral, referral.scheme, "referral returned again to a retry")]
    )


def referral_submit_from_api(
    *,
    client: ApiClient,
    actor: Actor,
    key: str,
    fingerprint: str,
    scheme: Scheme,
    officer: Any,
    person: PersonDetails,
    stop: StopDetails,
    slot_id: int,
) -> tuple[Referral, bool]:
    """Create the referral and remember the key in one transaction; (referral, created).

    Two simultaneous requests with one key meet at the referral's unique idempotency key: one
    creates, the other gets the same referral (or a 409 if its body differs), audited as read.
    """
    with transaction.atomic():
        result = referral_submit(
            officer=officer,
            scheme=scheme,
            person=person,
            stop=stop,
            consent_to_contact=True,
            consent_to_share=True,
            slot_id=slot_id,
            idempotency_key=_referral_key(client, key),
            actor=actor,
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
    if not result.created:
        _returned_again(actor, result.referral)
    return result.referral, result.created


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
