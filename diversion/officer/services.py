"""The officer's submission: one transaction for the person, the referral, its drugs, its
booking, its history, its audit rows and the worker's task that writes the messages to the
person. The web pages and the API both submit through `referral_submit`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.events import publish
from diversion.officer.selectors import (
    LOOKUP_REASON,
    SLOTS_SHOWN,
    history_read_record,
    shared_facts_read_record,
    slots_offered,
)
from diversion.referrals.details import PersonDetails, StopDetails
from diversion.referrals.eligibility import (
    EligibilityDecision,
    EligibilityPolicy,
    eligibility_decide,
)
from diversion.referrals.events import ReferralCreated
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.selectors import PersonHistory, person_history
from diversion.referrals.services import eligibility_record_write, referral_record_create
from diversion.referrals.transitions import referral_transition
from diversion.scheduling.models import Slot
from diversion.scheduling.services import SlotUnavailable, slot_book, slot_hold
from diversion.schemes.models import Scheme


class IneligibleReferral(Exception):
    def __init__(
        self, decision: EligibilityDecision, *, history: PersonHistory | None = None
    ) -> None:
        super().__init__("The person is not eligible for diversion.")
        self.decision = decision
        self.history = history


def eligibility_check(
    *,
    scheme: Scheme,
    person: PersonDetails,
    stop: StopDetails,
    actor: Actor | None = None,
    reason: str = LOOKUP_REASON,
    lookup_actor: Actor | None = None,
) -> tuple[EligibilityDecision, PersonHistory]:
    """The rules' decision for this person and stop, with the history it rests on. With an
    `actor`, reading a history that found someone is audited (a look-up shown to them). Facts
    other schemes shared are audited in both schemes at every check (`actor` or
    `lookup_actor`), since each check reads them afresh: sharing withdrawn since the last
    check is no longer read."""
    history = person_history(
        scheme=scheme,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        police_person_id=person.police_person_id,
    )
    if actor is not None:
        history_read_record(actor=actor, scheme=scheme, history=history, reason=reason)
    cross_actor = actor or lookup_actor
    if cross_actor is not None:
        shared_facts_read_record(actor=cross_actor, scheme=scheme, history=history, reason=reason)
    decision = eligibility_decide(
        policy=EligibilityPolicy.from_scheme(scheme),
        stop=stop.facts(
            date_of_birth=person.date_of_birth,
            stopped_on=timezone.localtime(stop.stopped_at).date(),
        ),
        history=history.prior,
        to_confirm=[fact.prior for fact in history.to_confirm],
    )
    return decision, history


def eligibility_check_record(
    *,
    officer: Any,
    scheme: Scheme,
    person: PersonDetails,
    stop: StopDetails,
    stop_token: str,
) -> tuple[EligibilityDecision, PersonHistory]:
    """The officer pressed "Check eligibility": decide, audited, and keep the decision."""
    actor = Actor.of(officer)
    decision, history = eligibility_check(scheme=scheme, person=person, stop=stop, actor=actor)
    eligibility_record_write(
        officer=officer,
        scheme=scheme,
        person=person,
        stop=stop,
        decision=decision,
        stop_token=stop_token,
        shared_facts=len(history.shared) + len(history.to_confirm),
        actor=actor,
    )
    return decision, history


@dataclass(frozen=True)
class ConsentOffer:
    """What the consent page offers: the decision's notes and the times, the first one held."""

    decision: EligibilityDecision
    slots: list[Slot]
    held: Slot | None
    later: dt.datetime | None


def consent_offer(
    *,
    scheme: Scheme,
    person: PersonDetails,
    stop: StopDetails,
    token: str,
    after: dt.datetime | None = None,
    hold: bool = True,
) -> ConsentOffer:
    """Check eligibility again (the history may have changed since the stop page), then the
    times to offer, holding the soonest one nobody else holds. Raises IneligibleReferral."""
    decision, _history = eligibility_check(scheme=scheme, person=person, stop=stop)
    if not decision.eligible:
        raise IneligibleReferral(decision)
    slots = slots_offered(scheme=scheme, token=token, after=after)
    held = _hold_first_free(slots, scheme=scheme, token=token) if hold else None
    later = slots[-1].starts_at if len(slots) == SLOTS_SHOWN else None
    return ConsentOffer(decision=decision, slots=slots, held=held, later=later)


def _hold_first_free(slots: list[Slot], *, scheme: Scheme, token: str) -> Slot | None:
    """Hold the soonest slot nobody else is holding; it is the one offered first."""
    for slot in slots[:3]:
        try:
            return slot_hold(
                slot_id=slot.pk, scheme_id=scheme.pk, token=token, minutes=scheme.slot_hold_minutes
            )
        except SlotUnavailable:
            continue
    return slots[0] if slots else None


@dataclass(frozen=True)
class Submission:
    referral: Referral
    created: bool


def referral_submit(
    *,
    officer: Any,
    scheme: Scheme,
    person: PersonDetails,
    stop: StopDetails,
    consent_to_contact: bool,
    consent_to_share: bool,
    slot_id: int | None,
    idempotency_key: str,
    hold_token: str = "",
    actor: Actor | None = None,
    last_in_transaction: Callable[[], None] | None = None,
) -> Submission:
    """Record the referral and book its assessment, exactly once per idempotency key.

    With no `slot_id` (an offline referral whose officer chose "call the person back") the
    referral stays `referred`, unbooked, on the provider's list of people to ring.

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
            decision, history = eligibility_check(
                scheme=scheme, person=person, stop=stop, lookup_actor=actor
            )
            if not decision.eligible:
                raise IneligibleReferral(decision, history=history)
            referral = referral_record_create(
                officer=officer,
                scheme=scheme,
                person=person,
                person_id=history.person_id,
                stop=stop,
                decision=decision,
                idempotency_key=idempotency_key,
                actor=actor,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=referral,
                scheme=scheme,
                reason="referral at the scene",
                changes={
                    "reference": referral.reference,
                    "person_id": referral.person_id,
                    "slot_id": slot_id,
                    "outcome_code": referral.outcome_code,
                },
            )
            eligibility_record_write(
                officer=officer,
                scheme=scheme,
                person=person,
                stop=stop,
                decision=decision,
                stop_token=idempotency_key,
                shared_facts=len(history.shared) + len(history.to_confirm),
                referral=referral,
                actor=actor,
            )
            if slot_id is not None:
                slot_book(
                    slot_id=slot_id,
                    scheme_id=scheme.pk,
                    referral_id=referral.pk,
                    token=hold_token or idempotency_key,
                )
                referral_transition(
                    referral=referral,  # inserted by this transaction: nobody else sees it yet
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
    except IneligibleReferral as refused:
        # Nothing of the referral is kept; the refusal is, with the audit of the look-up that
        # the rolled-back transaction held (each decision and cross-scheme read is on record).
        history = refused.history or PersonHistory(person_id=None)
        with transaction.atomic():
            shared_facts_read_record(actor=actor, scheme=scheme, history=history)
            eligibility_record_write(
                officer=officer,
                scheme=scheme,
                person=person,
                stop=stop,
                decision=refused.decision,
                stop_token=idempotency_key,
                shared_facts=len(history.shared) + len(history.to_confirm),
                actor=actor,
            )
        raise
    except IntegrityError:
        # A simultaneous submission with the same key won the race: show the same referral.
        existing = Referral.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(referral, created=True)
