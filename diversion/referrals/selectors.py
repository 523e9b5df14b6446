"""Reads for referrals, scoped by who asks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from diversion.people.models import MatchKind
from diversion.people.selectors import person_matches
from diversion.reference.models import SelfDefinedEthnicity
from diversion.referrals.eligibility import Note, Outcome, PriorReferral, Reason, history_findings
from diversion.referrals.lifecycle import ReferralStatus, is_engaged
from diversion.referrals.models import EligibilityRecord, Referral
from diversion.schemes.models import Scheme


def engagement_outcome(status: str) -> Outcome:
    """How a referral counts at the person's next stop: a running one is in progress. Only a
    referral with no engagement at all (never assessed) is `not_engaged` (decision 0016)."""
    if status == ReferralStatus.NOT_ENGAGED:
        return "not_engaged"
    if status == ReferralStatus.WITHDRAWN:
        return "withdrawn"
    if is_engaged(status):
        return "engaged"
    return "in_progress"


@dataclass(frozen=True)
class SharedFact:
    """A fact another scheme shares about a person it referred, and whose it is. The scheme's
    id stays on this side of the page: it is for the audit rows, never shown."""

    scheme_id: int
    person_id: int
    prior: PriorReferral


@dataclass(frozen=True)
class PersonHistory:
    """What the officer may see about earlier referrals: outcomes, never health details. From
    another scheme only the shared fact (date and engaged / did not engage)."""

    person_id: int | None
    prior: tuple[PriorReferral, ...] = ()
    possible_matches: tuple[str, ...] = field(default=())
    # Shared facts of a certain match in another scheme: part of `prior` as well.
    shared: tuple[SharedFact, ...] = ()
    # Shared facts of a possible match in another scheme that would change the decision: used
    # only if the officer confirms with the person that it is them.
    to_confirm: tuple[SharedFact, ...] = ()

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

    @property
    def needs_identity_check(self) -> bool:
        return bool(self.to_confirm)

    @property
    def other_schemes(self) -> frozenset[int]:
        """The schemes whose shared facts this look-up found: each audits the look-up."""
        return frozenset(fact.scheme_id for fact in (*self.shared, *self.to_confirm))


def _priors(person_ids: list[int]) -> list[PriorReferral]:
    rows = Referral.objects.filter(person_id__in=person_ids).order_by("stopped_at")
    return [
        PriorReferral(
            reference=row.reference,
            referred_on=timezone.localtime(row.stopped_at).date(),
            outcome=engagement_outcome(row.status),
        )
        for row in rows.only("reference", "stopped_at", "status")
    ]


def _shared_facts(person_ids: list[int], *, from_schemes: set[int]) -> list[SharedFact]:
    """Only date and outcome, and only from the schemes that share with the one asking: the
    query itself reads nothing else (no reference, notes, place or officer)."""
    rows = (
        Referral.objects.filter(person_id__in=person_ids, scheme_id__in=from_schemes)
        .order_by("stopped_at", "pk")
        .values_list("scheme_id", "person_id", "stopped_at", "status")
    )
    return [
        SharedFact(
            scheme_id=scheme_id,
            person_id=person_id,
            prior=PriorReferral(
                reference="",
                referred_on=timezone.localtime(stopped_at).date(),
                outcome=engagement_outcome(status),
                other_scheme=True,
            ),
        )
        for scheme_id, person_id, stopped_at, status in rows
    ]


def sharing_schemes(*, scheme: Scheme) -> set[int]:
    """The active schemes that share their engagement facts with `scheme`, now."""
    return set(
        Scheme.objects.filter(shares_engagement_with=scheme, is_active=True).values_list(
            "pk", flat=True
        )
    )


def person_history(
    *,
    scheme: Scheme,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date,
    police_person_id: str = "",
) -> PersonHistory:
    """Exact matches decide eligibility; fuzzy ones are shown as things to check. The match is
    deployment-wide; another scheme's referrals count only where that scheme shares them with
    this one, and only as "referred on DATE: engaged / did not engage"."""
    matches = person_matches(
        scheme_id=None,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        police_person_id=police_person_id,
    )
    own = [m for m in matches if m.person.scheme_id == scheme.pk]
    # Asked afresh each time (sharing withdrawn counts at once), and only if someone matched.
    sharing = sharing_schemes(scheme=scheme) if len(own) < len(matches) else set()
    elsewhere = [m for m in matches if m.person.scheme_id in sharing]
    exact = [m.person.pk for m in own if m.is_exact]
    prior = _priors(exact)
    possible = []
    for match in own:
        if match.is_exact:
            continue
        earlier = _priors([match.person.pk])
        outcomes = ", ".join(f"{p.month}: {p.outcome.replace('_', ' ')}" for p in earlier)
        possible.append(
            f"A record with a similar identity ({MatchKind(match.kind).label.lower()}) "
            f"has {len(earlier)} referral(s){': ' + outcomes if outcomes else ''}. "
            "Check the person's details."
        )
    shared = _shared_facts([m.person.pk for m in elsewhere if m.is_exact], from_schemes=sharing)
    maybe = _shared_facts([m.person.pk for m in elsewhere if not m.is_exact], from_schemes=sharing)
    return PersonHistory(
        person_id=exact[0] if exact else None,
        prior=tuple(sorted([*prior, *(f.prior for f in shared)], key=lambda p: p.referred_on)),
        possible_matches=tuple(possible),
        shared=tuple(shared),
        # Only a possible match that would refuse is worth the question.
        to_confirm=tuple(f for f in maybe if f.prior.outcome == "not_engaged"),
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


@dataclass(frozen=True)
class RefusalRow:
    """One group's eligibility decisions in a period: how many stops, how many refused."""

    group: str
    decisions: int
    refusals: int


@dataclass(frozen=True)
class RefusalFigures:
    """Counts only, never a person: for the dashboard and the disproportionality section,
    which suppress small numbers before anything is shown (`evaluation/suppression.py`)."""

    decisions: int
    refusals: int
    # Refusals giving each reason (a refusal may give several), by reason code.
    by_reason: dict[str, int]
    # By self-defined ethnic group (the 18+1 list's groups) and by officer-observed IC code.
    by_ethnic_group: tuple[RefusalRow, ...]
    by_observed_ethnicity: tuple[RefusalRow, ...]


def _rows(pairs: list[tuple[str, bool]]) -> tuple[RefusalRow, ...]:
    totals: dict[str, list[int]] = {}
    for group, eligible in pairs:
        counts = totals.setdefault(group, [0, 0])
        counts[0] += 1
        counts[1] += not eligible
    return tuple(RefusalRow(group, n, refused) for group, (n, refused) in sorted(totals.items()))


def eligibility_watermark(scheme_id: int) -> int:
    """The newest decision's id in a scheme: a cached report of refusals is out of date once
    it changes."""
    newest = (
        EligibilityRecord.objects.filter(scheme_id=scheme_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return newest or 0


def refusal_figures(
    *, scheme_ids: list[int], start: dt.date, end: dt.date, local_authority: str = ""
) -> RefusalFigures:
    """Each stop's final eligibility decision (the last one the officer saw, so a corrected
    detail checked again counts once) made from `start` to `end` inclusive (UK dates), in the
    schemes the caller may see, optionally in one local authority (its ONS code). Aggregates
    only: no audit row, as for every figure."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    later = EligibilityRecord.objects.filter(
        stop_token=OuterRef("stop_token"), pk__gt=OuterRef("pk")
    )
    final = (
        EligibilityRecord.objects.filter(
            scheme_id__in=scheme_ids, decided_at__gte=since, decided_at__lt=until
        )
        .exclude(Exists(later))
        .values_list("eligible", "reason_codes", "self_defined_ethnicity", "observed_ethnicity")
    )
    if local_authority:
        final = final.filter(local_authority__ons_code=local_authority)
    groups = dict(SelfDefinedEthnicity.objects.values_list("code", "group"))
    by_reason: dict[str, int] = {}
    by_group: list[tuple[str, bool]] = []
    by_observed: list[tuple[str, bool]] = []
    for eligible, reasons, self_defined, observed in final.iterator():
        for code in reasons:
            by_reason[code] = by_reason.get(code, 0) + 1
        by_group.append((groups.get(self_defined, "Not stated"), eligible))
        by_observed.append((observed or "Not recorded", eligible))
    return RefusalFigures(
        decisions=len(by_group),
        refusals=sum(not eligible for _group, eligible in by_group),
        by_reason=dict(sorted(by_reason.items())),
        by_ethnic_group=_rows(by_group),
        by_observed_ethnicity=_rows(by_observed),
    )
