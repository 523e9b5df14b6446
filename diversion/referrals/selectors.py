"""Reads for referrals, scoped by who asks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from diversion.people.models import MatchKind
from diversion.people.selectors import person_matches
from diversion.referrals.eligibility import Note, Outcome, PriorReferral, Reason, history_findings
from diversion.referrals.lifecycle import ReferralStatus, is_engaged
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme


def engagement_outcome(status: str, *, engagement_requires_course: bool) -> Outcome:
    """How a referral counts at the person's next stop: a running one is in progress."""
    if status == ReferralStatus.NOT_ENGAGED:
        return "not_engaged"
    if status == ReferralStatus.WITHDRAWN:
        return "withdrawn"
    if is_engaged(status, engagement_requires_course=engagement_requires_course):
        return "engaged"
    return "in_progress"


@dataclass(frozen=True)
class PersonHistory:
    """What the officer may see about earlier referrals: outcomes, never health details."""

    person_id: int | None
    prior: tuple[PriorReferral, ...] = ()
    possible_matches: tuple[str, ...] = field(default=())

    @property
    def findings(self) -> list[Reason | Note]:
        return list(history_findings(self.prior))

    @property
    def eligible_so_far(self) -> bool:
        return not any(isinstance(finding, Reason) for finding in self.findings)

    @property
    def summary(self) -> str:
        messages = [finding.message for finding in self.findings]
        if not self.prior:
            return "No previous referrals found"
        return " ".join(messages) if messages else f"Previous referrals: {len(self.prior)}"


def _priors(person_ids: list[int], *, requires_course: bool) -> list[PriorReferral]:
    rows = Referral.objects.filter(person_id__in=person_ids).order_by("stopped_at")
    return [
        PriorReferral(
            reference=row.reference,
            referred_on=timezone.localtime(row.stopped_at).date(),
            outcome=engagement_outcome(row.status, engagement_requires_course=requires_course),
        )
        for row in rows.only("reference", "stopped_at", "status")
    ]


def person_history(
    *,
    scheme: Scheme,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date,
    police_person_id: str = "",
) -> PersonHistory:
    """Exact matches decide eligibility; fuzzy ones are shown as things to check."""
    matches = person_matches(
        scheme_id=scheme.pk,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        police_person_id=police_person_id,
    )
    exact = [m.person.pk for m in matches if m.is_exact]
    prior = _priors(exact, requires_course=scheme.engagement_requires_course)
    possible = []
    for match in matches:
        if match.is_exact:
            continue
        earlier = _priors([match.person.pk], requires_course=scheme.engagement_requires_course)
        outcomes = ", ".join(f"{p.month}: {p.outcome.replace('_', ' ')}" for p in earlier)
        possible.append(
            f"A record with a similar identity ({MatchKind(match.kind).label.lower()}) "
            f"has {len(earlier)} referral(s){': ' + outcomes if outcomes else ''}. "
            "Check the person's details."
        )
    return PersonHistory(
        person_id=exact[0] if exact else None, prior=tuple(prior), possible_matches=tuple(possible)
    )


def referrals_for_force(*, force: Any) -> QuerySet[Referral]:
    """Every referral made in the force's schemes (a police system sees no other)."""
    return Referral.objects.filter(scheme__force=force)


def referrals_for_officer(*, officer: Any, days: int = 30) -> QuerySet[Referral]:
    since = timezone.now() - dt.timedelta(days=days)
    return Referral.objects.filter(officer=officer, created_at__gte=since).select_related("scheme")


def referral_for_officer(*, officer: Any, reference: str) -> Referral:
    referral = (
        Referral.objects.filter(officer=officer, reference=reference)
        .select_related("scheme__provider", "person", "local_authority")
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    return referral
