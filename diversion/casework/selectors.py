"""Reads for casework, always scoped to the schemes the asking user works in."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from diversion.accounts.models import User
from diversion.audit.services import Actor, audit_read
from diversion.casework.models import (
    AdviceEntry,
    AdvicePlan,
    AdvicePlanItem,
    AdviceVersion,
    Allocation,
    Assessment,
    CaseworkSettings,
    OnwardReferral,
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
from diversion.core.roles import Role
from diversion.courses.models import CourseType
from diversion.referrals.lifecycle import AWAITING_ASSESSMENT, ReferralStatus
from diversion.referrals.models import Referral, StatusChange
from diversion.scheduling.models import Booking
from diversion.schemes.models import Scheme
from diversion.schemes.selectors import schemes_for_user

# The worker's lists of cases, by stage.
CASE_STAGES: Mapping[str, Collection[str]] = {
    "to_assess": AWAITING_ASSESSMENT,
    "to_allocate": frozenset({ReferralStatus.ASSESSED}),
    "onward_only": frozenset({ReferralStatus.ONWARD_ONLY}),
    "course_booked": frozenset({ReferralStatus.COURSE_BOOKED}),
}
CASES_PER_PAGE = 25


def referral_for_casework(*, user: Any, reference: str, shown_for: str = "") -> Referral:
    """The referral with this reference in one of the user's schemes; 404 otherwise.

    Given `shown_for` (why the page shows it), the read is audited: pass it when the person's
    details are about to be shown to the user, not when the page only saves a change."""
    referral = (
        Referral.objects.filter(
            reference=reference, scheme__in=schemes_for_user(user=user).values("pk")
        )
        .select_related("scheme__provider", "person", "local_authority")
        .first()
    )
    if referral is None:
        raise Http404("No such case.")
    referral_shown(user=user, referral=referral, reason=shown_for)
    return referral


def referral_shown(*, user: Any, referral: Referral, reason: str) -> None:
    """Audit the read of the case, when the page shows it (`reason` says why)."""
    if reason:
        audit_read(actor=Actor.of(user), obj=referral, scheme=referral.scheme, reason=reason)


def cases_for_user(*, user: Any, statuses: Collection[str] | None = None) -> QuerySet[Referral]:
    cases = Referral.objects.filter(scheme__in=schemes_for_user(user=user).values("pk"))
    if statuses:
        cases = cases.filter(status__in=statuses)
    return cases.select_related("scheme", "person").order_by("-status_changed_at", "-pk")


def case_find(*, user: Any, reference: str) -> Referral | None:
    """The case with this reference in one of the user's schemes, if there is one."""
    return cases_for_user(user=user).filter(reference=reference).first()


@dataclass(frozen=True)
class CaseList:
    stage: str
    page: Page[Referral]
    schemes: list[Scheme]


def case_list_for(*, user: Any, stage: str, page_number: Any) -> CaseList:
    """One page of the user's cases at a stage (the first stage if it names none), with the
    user's schemes. The read of the people listed is audited."""
    if stage not in CASE_STAGES:
        stage = next(iter(CASE_STAGES))
    cases = cases_for_user(user=user, statuses=CASE_STAGES[stage])
    page = Paginator(cases, CASES_PER_PAGE).get_page(page_number)
    shown = [referral.reference for referral in page]
    if shown:
        audit_read(
            actor=Actor.of(user),
            object_type="referrals.Referral",
            object_id=f"{stage} page {page.number}",
            reason="worker's list of cases",
            changes={"references": shown},
        )
    return CaseList(stage=stage, page=page, schemes=list(schemes_for_user(user=user)))


@dataclass(frozen=True)
class CaseFile:
    """Everything the worker's case page shows about one referral."""

    referral: Referral
    person: Any
    age: int
    history: QuerySet[StatusChange]
    assessment: Assessment | None
    missing: list[AssessmentPage]
    plan: AdvicePlan | None
    plan_items: Collection[AdvicePlanItem]
    allocation: Allocation | None
    onward: QuerySet[OnwardReferral]
    concern: SafeguardingConcern | None
    booking: Booking | None
    can_assess: bool
    can_allocate: bool


def case_file(*, user: Any, reference: str) -> CaseFile:
    """The case page's contents, in one of the user's schemes (404 otherwise); audited."""
    referral = referral_for_casework(user=user, reference=reference, shown_for="worker's case page")
    assessment = assessment_for(referral=referral)
    plan = AdvicePlan.objects.filter(referral=referral).first()
    return CaseFile(
        referral=referral,
        person=referral.person,
        age=person_age(referral),
        history=referral.history.select_related("actor").order_by("-changed_at", "-pk"),
        assessment=assessment,
        missing=missing_pages(assessment),
        plan=plan,
        plan_items=plan.items.select_related("version__entry") if plan else [],
        allocation=Allocation.objects.filter(referral=referral)
        .select_related("course_type", "proposed_course_type")
        .first(),
        onward=OnwardReferral.objects.filter(referral=referral).select_related("service"),
        concern=SafeguardingConcern.objects.filter(referral=referral)
        .select_related("lead")
        .first(),
        booking=referral.bookings.select_related("slot").order_by("-created_at").first(),
        can_assess=referral.status in AWAITING_ASSESSMENT,
        can_allocate=referral.status == ReferralStatus.ASSESSED,
    )


def casework_settings_for(*, scheme: Scheme) -> CaseworkSettings:
    """The scheme's settings, or unsaved defaults when it has none yet."""
    found = CaseworkSettings.objects.filter(scheme=scheme).select_related("safeguarding_lead")
    return found.first() or CaseworkSettings(scheme=scheme)


def allocation_rules_for(*, scheme: Scheme) -> list[dict[str, Any]]:
    return casework_settings_for(scheme=scheme).allocation_rules or STANDARD_ALLOCATION_RULES


def assessment_for(*, referral: Referral) -> Assessment | None:
    return Assessment.objects.filter(referral=referral).first()


def allocation_for(referral: Referral) -> CourseType | None:
    """The course type the person was allocated to, or None (not yet decided, or onward-only)."""
    return allocated_course_types([referral.pk]).get(referral.pk)


def allocated_course_types(referral_ids: Collection[int]) -> dict[int, CourseType]:
    """The decided course type of each of these referrals that has one. Courses reads its
    allocations from here (registered in `CaseworkConfig.ready()`): enrolment offers sessions
    of this course type."""
    decided = Allocation.objects.filter(
        referral_id__in=referral_ids, decided_at__isnull=False, course_type__isnull=False
    ).select_related("course_type")
    return {
        allocation.referral_id: allocation.course_type
        for allocation in decided
        if allocation.course_type is not None
    }


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


def next_page(assessment: Assessment | None, after: str) -> str:
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


@dataclass(frozen=True)
class AdviceRow:
    entry: AdviceEntry
    current: AdviceVersion
    count: int


def advice_library_for(*, scheme: Scheme) -> list[AdviceRow]:
    """The scheme's advice entries with their newest version and how many there are, by title."""
    rows = []
    for entry in AdviceEntry.objects.filter(scheme=scheme).prefetch_related("versions"):
        versions = sorted(entry.versions.all(), key=lambda v: -v.number)
        if versions:
            rows.append(AdviceRow(entry=entry, current=versions[0], count=len(versions)))
    return sorted(rows, key=lambda row: row.current.title)


def advice_entry_for_editing(*, scheme: Scheme, key: str) -> tuple[AdviceEntry, AdviceVersion]:
    """The scheme's advice entry and its newest version; 404 otherwise."""
    entry = AdviceEntry.objects.filter(scheme=scheme, key=key).first()
    current = entry.versions.order_by("-number").first() if entry is not None else None
    if entry is None or current is None:
        raise Http404("No such advice.")
    return entry, current


def onward_service_for(*, scheme: Scheme, pk: int) -> OnwardService:
    service = onward_services_for(scheme=scheme, active_only=False).filter(pk=pk).first()
    if service is None:
        raise Http404("No such service.")
    return service


def casework_staff_of(*, scheme: Scheme) -> list[User]:
    """The provider's active workers and managers: who may be the safeguarding lead."""
    return list(
        User.objects.filter(
            organisation=scheme.provider,
            role__in=[Role.WORKER, Role.PROVIDER_MANAGER],
            is_active=True,
        ).order_by("full_name")
    )


def onward_services_for(*, scheme: Scheme, active_only: bool = True) -> QuerySet[OnwardService]:
    services = OnwardService.objects.filter(scheme=scheme)
    return services.filter(is_active=True) if active_only else services


def safeguarding_concerns_for(
    *, user: Any, open_only: bool = True
) -> QuerySet[SafeguardingConcern]:
    """Concerns routed to the user, and, for a provider manager, any in their schemes that have
    no lead to go to."""
    scope = Q(lead=user)
    if getattr(user, "role", "") == Role.PROVIDER_MANAGER:
        scope |= Q(lead__isnull=True, scheme__in=schemes_for_user(user=user).values("pk"))
    concerns = SafeguardingConcern.objects.filter(scope).select_related(
        "referral", "scheme", "raised_by"
    )
    return concerns.filter(acknowledged_at__isnull=True) if open_only else concerns


def safeguarding_concerns_shown(*, user: Any) -> list[SafeguardingConcern]:
    """The open concerns for the safeguarding lead's list; the read of them is audited."""
    concerns = list(safeguarding_concerns_for(user=user))
    if concerns:
        audit_read(
            actor=Actor.of(user),
            object_type="casework.SafeguardingConcern",
            object_id="open",
            reason="safeguarding lead's list",
            changes={"concerns": [c.pk for c in concerns]},
        )
    return concerns
