"""Legal holds: placing and lifting them (audited), and whether a person or referral is held.

A hold on a person covers every referral of theirs. The retention job (retention app) and
erasure (privacy/erasure.py) both ask `is_held` before touching a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from diversion.audit.services import Actor, audit_record
from diversion.people.models import Person
from diversion.privacy.models import HoldKind, LegalHold
from diversion.referrals.models import Referral

REASON_MAX = 500


def _active() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True)


def is_held(*, person_id: int | None = None, referral_id: int | None = None) -> bool:
    """Whether a hold stops the person (any hold on them or one of their referrals) or the
    referral (a hold on it or on its person) from being deleted or anonymised."""
    if person_id is None and referral_id is None:
        raise ValueError("is_held needs a person_id or a referral_id")
    match = Q()
    if person_id is not None:
        match |= Q(person_id=person_id) | Q(referral__person_id=person_id)
    if referral_id is not None:
        match |= Q(referral_id=referral_id) | Q(
            person_id__in=Referral.objects.filter(pk=referral_id).values("person_id")
        )
    return _active().filter(match).exists()


@dataclass(frozen=True)
class HeldIds:
    """Everything held right now, for a job that checks many records at once."""

    person_ids: frozenset[int]
    referral_ids: frozenset[int]  # held directly or through their person


def holds_active_ids() -> HeldIds:
    rows = list(_active().values_list("person_id", "referral_id", "referral__person_id"))
    people = {p for p, _, _ in rows if p is not None} | {rp for _, r, rp in rows if r is not None}
    referrals = {r for _, r, _ in rows if r is not None} | set(
        Referral.objects.filter(person_id__in=[p for p, _, _ in rows if p is not None]).values_list(
            "pk", flat=True
        )
    )
    return HeldIds(frozenset(people), frozenset(referrals))


def place_hold(
    *,
    actor: Any,
    kind: str,
    reason: str,
    review_on: dt.date,
    person: Person | None = None,
    referral: Referral | None = None,
) -> LegalHold:
    """Place a hold on a person or a referral (exactly one)."""
    errors: dict[str, str] = {}
    if (person is None) == (referral is None):
        errors["target"] = "Choose the person or the referral to hold"
    if kind not in HoldKind.values:
        errors["kind"] = "Choose the kind of hold"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Enter why the record must be kept"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"The reason must be {REASON_MAX} characters or fewer"
    if review_on is None or review_on <= timezone.localdate():
        errors["review_on"] = "The review date must be in the future"
    if errors:
        raise ValidationError(errors)
    scheme = person.scheme if person is not None else referral.scheme  # type: ignore[union-attr]
    with transaction.atomic():
        hold = LegalHold.objects.create(
            scheme=scheme,
            person=person,
            referral=referral,
            kind=kind,
            reason=reason,
            review_on=review_on,
            placed_by=actor,
            placed_at=timezone.now(),
        )
        audit_record(
            actor=Actor.of(actor),
            action="create",
            obj=hold,
            scheme=scheme,
            reason="legal hold placed",
            changes={
                "kind": kind,
                "person": hold.person_id,
                "referral": hold.referral_id,
                "review_on": review_on.isoformat(),
            },
        )
    return hold


def lift_hold(*, actor: Any, hold_id: int, reason: str) -> LegalHold:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": "Enter why the hold can be lifted"})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"lift_reason": f"The reason must be {REASON_MAX} characters or fewer"}
        )
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update(of=("self",)).get(pk=hold_id)
        if hold.lifted_at is not None:
            raise ValidationError("This hold has already been lifted")
        hold.lifted_by, hold.lifted_at, hold.lift_reason = actor, timezone.now(), reason
        hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
        audit_record(
            actor=Actor.of(actor),
            action="update",
            obj=hold,
            scheme=hold.scheme,
            reason="legal hold lifted",
            changes={"lifted": True},
        )
    return hold
