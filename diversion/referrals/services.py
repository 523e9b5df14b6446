"""Creating a referral: one transaction for the person, the referral, its drugs, its booking, its
history, its audit rows and the worker's task that writes the messages to the person."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.events import publish
from diversion.people.matching import police_id_key, stored_keys
from diversion.people.models import Person, PersonMatchKey
from diversion.referrals.details import PersonDetails, StopDetails
from diversion.referrals.eligibility import (
    EligibilityDecision,
    EligibilityPolicy,
    eligibility_decide,
)
from diversion.referrals.events import ReferralCreated
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import DrugFound, Referral
from diversion.referrals.selectors import PersonHistory, person_history
from diversion.referrals.transitions import referral_history_start, referral_transition
from diversion.scheduling.services import slot_book

# Letters and digits that cannot be mistaken for each other when read over a radio.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SENSITIVE_PERSON_FIELDS = {"given_name", "family_name", "mobile", "email", "police_person_id"}


class IneligibleReferral(Exception):
    def __init__(self, decision: EligibilityDecision) -> None:
        super().__init__("The person is not eligible for diversion.")
        self.decision = decision


def new_reference(scheme_code: str) -> str:
    """Like WM-7K3Q-92: the scheme, four letters or digits, two digits."""
    letters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
    digits = "".join(secrets.choice("23456789") for _ in range(2))
    return f"{scheme_code}-{letters}-{digits}"


def eligibility_check(
    *, scheme: Any, person: PersonDetails, stop: StopDetails
) -> tuple[EligibilityDecision, PersonHistory]:
    history = person_history(
        scheme=scheme,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        police_person_id=person.police_person_id,
    )
    decision = eligibility_decide(
        policy=EligibilityPolicy.from_scheme(scheme),
        stop=stop.facts(
            date_of_birth=person.date_of_birth,
            stopped_on=timezone.localtime(stop.stopped_at).date(),
        ),
        history=history.prior,
    )
    return decision, history


def _person_save(*, scheme: Any, details: PersonDetails, person_id: int | None) -> Person:
    values = {
        "given_name": details.given_name.strip(),
        "family_name": details.family_name.strip(),
        "date_of_birth": details.date_of_birth,
        "sex": details.sex,
        "self_defined_ethnicity_id": details.self_defined_ethnicity,
        "observed_ethnicity_id": details.observed_ethnicity,
        "mobile": details.mobile,
        "email": details.email,
        "preferred_language": details.preferred_language,
        "safe_to_text": details.safe_to_text,
        "safe_to_leave_voicemail": details.safe_to_leave_voicemail,
        "discreet_messages": details.discreet_messages,
    }
    if details.police_person_id:
        values["police_person_id"] = details.police_person_id
        values["police_person_id_index"] = police_id_key(details.police_person_id)
    if person_id is not None:
        person = Person.objects.select_for_update(of=("self",)).get(pk=person_id, scheme=scheme)
        for name, value in values.items():
            setattr(person, name, value)
        person.save()
    else:
        person = Person.objects.create(scheme=scheme, **values)
    keys = stored_keys(details.given_name, details.family_name, details.date_of_birth)
    PersonMatchKey.objects.bulk_create(
        [PersonMatchKey(person=person, kind=kind, key=key) for kind, key in keys],
        ignore_conflicts=True,
    )
    return person


@dataclass(frozen=True)
class Submission:
    referral: Referral
    created: bool


def referral_create(
    *,
    officer: Any,
    scheme: Any,
    person: PersonDetails,
    stop: StopDetails,
    consent_to_contact: bool,
    consent_to_share: bool,
    slot_id: int,
    idempotency_key: str,
    hold_token: str = "",
    actor: Actor | None = None,
    last_in_transaction: Callable[[], None] | None = None,
) -> Submission:
    """Create the referral and book its assessment, exactly once per idempotency key.

    `last_in_transaction` runs at the end of the transaction, when everything else is written
    (the officer's page clears its draft there, so both commit together).

    Raises IneligibleReferral if the rules say no (checked again here: the person's history may
    have changed since the officer saw the decision) and SlotUnavailable if the slot was taken.
    """
    existing = Referral.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return Submission(existing, created=False)
    if not (consent_to_contact and consent_to_share):
        raise ValueError("A referral needs the person's consent to contact and to share.")
    actor = actor or Actor.of(officer)  # a police system's API client acts for its officer
    try:
        with transaction.atomic():
            decision, history = eligibility_check(scheme=scheme, person=person, stop=stop)
            if not decision.eligible:
                raise IneligibleReferral(decision)
            saved_person = _person_save(scheme=scheme, details=person, person_id=history.person_id)
            referral = _referral_insert(
                officer=officer,
                scheme=scheme,
                person=saved_person,
                stop=stop,
                decision=decision,
                idempotency_key=idempotency_key,
            )
            referral_history_start(referral=referral, actor=actor, reason="referred by officer")
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=referral,
                scheme=scheme,
                reason="referral at the scene",
                changes={
                    "reference": referral.reference,
                    "person_id": saved_person.pk,
                    "slot_id": slot_id,
                    "outcome_code": referral.outcome_code,
                },
            )
            slot_book(
                slot_id=slot_id,
                scheme_id=scheme.pk,
                referral_id=referral.pk,
                token=hold_token or idempotency_key,
            )
            referral_transition(
                referral=referral,  # inserted by this transaction: nobody else can see it yet
                to_status=ReferralStatus.ASSESSMENT_BOOKED,
                actor=actor,
                reason="assessment booked at the scene",
            )
            publish(
                ReferralCreated(
                    referral_id=referral.pk, scheme_id=scheme.pk, occurred_at=referral.created_at
                )
            )
            if last_in_transaction is not None:
                last_in_transaction()
    except IntegrityError:
        # A simultaneous submission with the same key won the race: show the same referral.
        existing = Referral.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(referral, created=True)


def _referral_insert(
    *,
    officer: Any,
    scheme: Any,
    person: Person,
    stop: StopDetails,
    decision: EligibilityDecision,
    idempotency_key: str,
) -> Referral:
    for _attempt in range(5):
        reference = new_reference(scheme.code)
        if not Referral.objects.filter(reference=reference).exists():
            break
    referral = Referral.objects.create(
        scheme=scheme,
        reference=reference,
        person=person,
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
    return referral
