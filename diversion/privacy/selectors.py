"""Reads for the information-rights pages, scoped to the schemes the user may see; reads of a
person's record are audited here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from diversion.audit.services import Actor, audit_read
from diversion.people.models import Person
from diversion.people.selectors import PersonMatch, person_matches
from diversion.privacy.models import LegalHold, RightsRequest
from diversion.referrals.models import Referral
from diversion.schemes.selectors import schemes_for_user


def scheme_ids_for(user: Any) -> list[int]:
    return list(schemes_for_user(user=user).values_list("pk", flat=True))


def requests_for_user(*, user: Any) -> QuerySet[RightsRequest]:
    return RightsRequest.objects.filter(scheme_id__in=scheme_ids_for(user)).select_related("scheme")


def request_for_user(*, user: Any, pk: int, reason: str) -> RightsRequest:
    """The request, if in one of the user's schemes (404 otherwise: no leak); audited."""
    request = (
        requests_for_user(user=user)
        .select_related("person", "recorded_by", "prepared_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    audit_read(actor=Actor.of(user), reason=reason, obj=request.person, scheme=request.scheme)
    return request


def person_search_for_user(
    *, user: Any, given_name: str, family_name: str, date_of_birth: dt.date
) -> list[PersonMatch]:
    """The person across every scheme the user may see (the blind match keys)."""
    schemes = set(scheme_ids_for(user))
    found = [
        match
        for match in person_matches(
            scheme_id=None,
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
        )
        if match.person.scheme_id in schemes
    ]
    for match in found:
        audit_read(
            actor=Actor.of(user),
            reason="searched for an information rights request",
            obj=match.person,
            scheme=match.person.scheme,
        )
    return found


def person_for_user(*, user: Any, pk: int) -> Person:
    person = Person.objects.filter(pk=pk, scheme_id__in=scheme_ids_for(user)).first()
    if person is None:
        raise Http404("No such person.")
    return person


def referral_for_user(*, user: Any, reference: str) -> Referral | None:
    return (
        Referral.objects.filter(
            reference=reference.strip().upper(), scheme_id__in=scheme_ids_for(user)
        )
        .select_related("person", "scheme")
        .first()
    )


def holds_for_user(*, user: Any, include_lifted: bool = False) -> QuerySet[LegalHold]:
    holds = LegalHold.objects.filter(scheme_id__in=scheme_ids_for(user)).select_related(
        "referral", "placed_by", "lifted_by", "scheme"
    )
    return holds if include_lifted else holds.filter(lifted_at__isnull=True)


def hold_for_user(*, user: Any, pk: int) -> LegalHold:
    hold = holds_for_user(user=user).filter(pk=pk).first()
    if hold is None:
        raise Http404("No such hold.")
    return hold
