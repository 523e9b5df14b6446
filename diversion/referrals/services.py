"""Writes of the referral record itself: its reference, the row with its person and drugs as
the officer recorded them, and every eligibility decision (`EligibilityRecord`). Booking the
assessment is the officer's submission (`officer/services.py`), which calls these inside its
transaction."""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.people.services import person_save
from diversion.referrals.choices import age_band
from diversion.referrals.details import PersonDetails, StopDetails
from diversion.referrals.eligibility import EligibilityDecision, age_on
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import DrugFound, EligibilityRecord, Referral
from diversion.referrals.transitions import referral_history_start
from diversion.schemes.models import Scheme

# Letters and digits that cannot be mistaken for each other when read over a radio.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(scheme_code: str) -> str:
    """Like WM-7K3Q-92: the scheme, four letters or digits, two digits."""
    letters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
    digits = "".join(secrets.choice("23456789") for _ in range(2))
    return f"{scheme_code}-{letters}-{digits}"


def referral_record_create(
    *,
    officer: Any,
    scheme: Scheme,
    person: PersonDetails,
    person_id: int | None,
    stop: StopDetails,
    decision: EligibilityDecision,
    idempotency_key: str,
    actor: Actor,
) -> Referral:
    """The person (the one `person_id` matched, or new), the referral with its consent, drugs
    and eligibility decision, and its first history row. Call inside the caller's transaction,
    after the rules said yes: this records, it does not decide."""
    saved_person = person_save(
        scheme=scheme,
        person_id=person_id,
        **dataclasses.asdict(person),
    )
    for _attempt in range(5):
        reference = new_reference(scheme.code)
        if not Referral.objects.filter(reference=reference).exists():
            break
    referral = Referral.objects.create(
        scheme=scheme,
        reference=reference,
        person=saved_person,
        officer=officer,
        status=ReferralStatus.REFERRED,
        stopped_at=stop.stopped_at,
        local_authority_id=stop.local_authority_id,
        place=stop.place,
        how_found=stop.how_found,
        supply_indicators=list(stop.supply_indicators),
        other_offences=list(stop.other_offences),
        circumstances=list(stop.circumstances),
        appropriate_adult_name=stop.appropriate_adult_name,
        appropriate_adult_relationship=stop.appropriate_adult_relationship,
        appropriate_adult_phone=stop.appropriate_adult_phone,
        eligibility=decision.as_record(),
        policy_version=scheme.policy_version,
        outcome_code=scheme.outcome_code,
        consent_to_contact=True,
        consent_to_share=True,
        idempotency_key=idempotency_key,
    )
    DrugFound.objects.bulk_create(
        [
            DrugFound(referral=referral, drug=d.name, drug_class=d.drug_class, quantity=d.quantity)
            for d in stop.drugs
        ]
    )
    referral_history_start(referral=referral, actor=actor, reason="referred by officer")
    return referral


def eligibility_record_write(
    *,
    officer: Any,
    scheme: Scheme,
    person: PersonDetails,
    stop: StopDetails,
    decision: EligibilityDecision,
    stop_token: str,
    shared_facts: int = 0,
    referral: Referral | None = None,
    actor: Actor,
) -> EligibilityRecord:
    """Keep the decision the officer saw, eligible or not, with its audit row, in one
    transaction (the caller's, when there is one: a referral and its decision commit
    together). No name: age band, sex and both ethnicity codes are what monitoring needs."""
    stopped_on = timezone.localtime(stop.stopped_at).date()
    with transaction.atomic(savepoint=False):
        record = EligibilityRecord.objects.create(
            scheme=scheme,
            officer=officer,
            stopped_at=stop.stopped_at,
            # None: outside every area the scheme covers (the officer's "somewhere else").
            local_authority_id=stop.local_authority_id if stop.local_authority_id > 0 else None,
            place=stop.place,
            eligible=decision.eligible,
            reason_codes=sorted({reason.code for reason in decision.reasons}),
            decision=decision.as_record(),
            age_band=age_band(age_on(person.date_of_birth, stopped_on)),
            sex=person.sex,
            self_defined_ethnicity=person.self_defined_ethnicity,
            observed_ethnicity=person.observed_ethnicity,
            supply_indicators=list(stop.supply_indicators),
            supply_suspected=stop.supply_suspected if stop.supply_indicators else None,
            supply_reason=stop.supply_reason.strip() if stop.supply_indicators else "",
            identity_answer=stop.identity_answer,
            shared_facts=shared_facts,
            stop_token=stop_token[:64],
            referral=referral,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=record,
            scheme=scheme,
            reason="eligibility decision at the scene",
            changes={
                "eligible": record.eligible,
                "reason_codes": record.reason_codes,
                "referral": referral.reference if referral else None,
            },
        )
    return record
