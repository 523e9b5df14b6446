"""Reads for casework, always scoped to the schemes the asking user works in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from diversion.casework.models import (
    AdviceEntry,
    AdviceVersion,
    Allocation,
    Assessment,
    CaseworkSettings,
    OnwardService,
    SafeguardingConcern,
)
from diversion.casework.questions import DRUG_PAGE_PREFIX, DRUGS, Section
from diversion.casework.rules import (
    STANDARD_ALLOCATION_RULES,
    age_on,
    assessment_facts,
)
from diversion.casework.scoring import audit_c_positive
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme
from diversion.schemes.selectors import schemes_for_user


def referral_for_casework(*, user: Any, reference: str) -> Referral:
    """The referral with this reference in one of the user's schemes; 404 otherwise."""
    referral = (
        Referral.objects.filter(
            reference=reference, scheme__in=schemes_for_user(user=user).values("pk")
        )
        .select_related("scheme__provider", "person", "local_authority")
        .first()
    )
    if referral is None:
        raise Http404("No such case.")
    return referral


def cases_for_user(*, user: Any, statuses: Sequence[str] | None = None) -> QuerySet[Referral]:
    cases = Referral.objects.filter(scheme__in=schemes_for_user(user=user).values("pk"))
    if statuses:
        cases = cases.filter(status__in=statuses)
    return cases.select_related("scheme", "person").order_by("-status_changed_at", "-pk")


def casework_settings_for(*, scheme: Scheme) -> CaseworkSettings:
    """The scheme's settings, or unsaved defaults when it has none yet."""
    found = CaseworkSettings.objects.filter(scheme=scheme).select_related("safeguarding_lead")
    return found.first() or CaseworkSettings(scheme=scheme)


def allocation_rules_for(*, scheme: Scheme) -> list[dict[str, Any]]:
    return casework_settings_for(scheme=scheme).allocation_rules or STANDARD_ALLOCATION_RULES


def assessment_for(*, referral: Referral) -> Assessment | None:
    return Assessment.objects.filter(referral=referral).first()


def allocation_for(referral: Referral) -> Any:
    """The course type the person was allocated to, or None (not yet decided, or onward-only).

    For the courses part: enrolment offers sessions of this course type."""
    allocation = (
        Allocation.objects.filter(referral=referral, decided_at__isnull=False)
        .select_related("course_type")
        .first()
    )
    return allocation.course_type if allocation is not None else None


def person_age(referral: Referral) -> int:
    return age_on(referral.person.date_of_birth, timezone.localdate())


def facts_for(
    assessment: Assessment, referral: Referral, *, with_risk: bool = True
) -> frozenset[str]:
    return assessment_facts(
        assessment.answers,
        audit_c_score=assessment.audit_c_score,
        audit_band=assessment.audit_band,
        age=person_age(referral),
        risk_level=assessment.risk_level if with_risk else "",
    )


@dataclass(frozen=True)
class AssessmentPage:
    slug: str
    label: str
    done: bool


def assessment_pages(assessment: Assessment | None) -> list[AssessmentPage]:
    """Every page the assessment needs, in order, given the answers so far."""
    answers = assessment.answers if assessment else {}
    done = set(assessment.sections_done) if assessment else set()
    pages = [AssessmentPage(Section.DRUGS, str(Section.DRUGS.label), Section.DRUGS in done)]
    for code in answers.get("drugs", {}).get("used", []):
        slug = f"{DRUG_PAGE_PREFIX}{code}"
        pages.append(AssessmentPage(slug, DRUGS.get(code, code), slug in done))
    pages.append(
        AssessmentPage(Section.ALCOHOL, str(Section.ALCOHOL.label), Section.ALCOHOL in done)
    )
    score = assessment.audit_c_score if assessment else None
    if score is not None and audit_c_positive(score):
        pages.append(AssessmentPage(Section.AUDIT, str(Section.AUDIT.label), Section.AUDIT in done))
    for section in (Section.HEALTH, Section.SAFEGUARDING, Section.RISK):
        pages.append(AssessmentPage(section, str(section.label), section in done))
    return pages


def next_page(assessment: Assessment, after: str) -> str:
    """The slug of the first unfinished page after `after`, or "" for the check-answers page."""
    pages = assessment_pages(assessment)
    slugs = [page.slug for page in pages]
    start = slugs.index(after) + 1 if after in slugs else 0
    for page in pages[start:]:
        if not page.done:
            return page.slug
    return ""


def missing_pages(assessment: Assessment | None) -> list[AssessmentPage]:
    return [page for page in assessment_pages(assessment) if not page.done]


def advice_current_versions(*, scheme: Scheme) -> list[AdviceVersion]:
    """The newest version of each active entry in the scheme's library."""
    versions = []
    entries = AdviceEntry.objects.filter(scheme=scheme, is_active=True).prefetch_related("versions")
    for entry in entries:
        newest = max(entry.versions.all(), key=lambda v: v.number, default=None)
        if newest is not None:
            versions.append(newest)
    return sorted(versions, key=lambda v: v.title)


def onward_services_for(*, scheme: Scheme, active_only: bool = True) -> QuerySet[OnwardService]:
    services = OnwardService.objects.filter(scheme=scheme)
    return services.filter(is_active=True) if active_only else services


def safeguarding_concerns_for(
    *, user: Any, open_only: bool = True
) -> QuerySet[SafeguardingConcern]:
    """Concerns routed to the user, and, for a provider manager, any in their schemes that have
    no lead to go to."""
    from django.db.models import Q

    from diversion.core.roles import Role

    scope = Q(lead=user)
    if getattr(user, "role", "") == Role.PROVIDER_MANAGER:
        scope |= Q(lead__isnull=True, scheme__in=schemes_for_user(user=user).values("pk"))
    concerns = SafeguardingConcern.objects.filter(scope).select_related(
        "referral", "scheme", "raised_by"
    )
    return concerns.filter(acknowledged_at__isnull=True) if open_only else concerns
