"""Reads for the pages after the assessment: the advice plan, the allocation and onward
referrals. Each audits the read when given why the page shows the case (`shown_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from diversion.casework.models import (
    AdvicePlan,
    AdvicePlanItem,
    AdviceVersion,
    Allocation,
    OnwardReferral,
)
from diversion.casework.rules import ONWARD_ONLY
from diversion.casework.selectors import (
    advice_current_versions,
    referral_for_casework,
    referral_shown,
)
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral


@dataclass(frozen=True)
class PlanEditing:
    """An advice plan and the versions it may be made of: its own first (they may be older than
    the library's), then the newest of the rest; `newer` holds its items with a newer version."""

    referral: Referral
    plan: AdvicePlan
    items: list[AdvicePlanItem]
    versions: list[AdviceVersion]
    newer: set[int]


def advice_plan_for_editing(
    *, user: Any, reference: str, shown_for: str = ""
) -> PlanEditing | None:
    """The case's advice plan to change, or None before the assessment has drafted it."""
    referral = referral_for_casework(user=user, reference=reference)
    plan = AdvicePlan.objects.filter(referral=referral).first()
    if plan is None:
        return None
    items = list(plan.items.select_related("version__entry"))
    current = advice_current_versions(scheme=referral.scheme)
    in_plan_entries = {item.version.entry_id for item in items}
    referral_shown(user=user, referral=referral, reason=shown_for)
    return PlanEditing(
        referral=referral,
        plan=plan,
        items=items,
        versions=[item.version for item in items]
        + [v for v in current if v.entry_id not in in_plan_entries],
        newer={
            item.version_id
            for item in items
            if any(
                v.entry_id == item.version.entry_id and v.number > item.version.number
                for v in current
            )
        },
    )


def advice_plan_for(*, user: Any, reference: str, shown_for: str = "") -> AdvicePlan:
    """The case's advice plan, its referral and person loaded; 404 before it is drafted."""
    referral = referral_for_casework(user=user, reference=reference)
    plan = AdvicePlan.objects.filter(referral=referral).first()
    if plan is None:
        raise Http404("No advice plan yet.")
    plan.referral = referral
    referral_shown(user=user, referral=referral, reason=shown_for)
    return plan


@dataclass(frozen=True)
class AllocationChoice:
    """The allocation to decide: what the rules proposed and what is chosen now (a course
    type's code, or ONWARD_ONLY)."""

    referral: Referral
    allocation: Allocation
    proposed: str
    proposed_label: str
    chosen: str
    course_types: list[Any]
    can_change: bool


def allocation_for_deciding(
    *, user: Any, reference: str, shown_for: str = ""
) -> AllocationChoice | None:
    """The case's allocation, or None before the assessment has proposed one."""
    referral = referral_for_casework(user=user, reference=reference)
    current = (
        Allocation.objects.filter(referral=referral)
        .select_related("proposed_course_type", "course_type")
        .first()
    )
    if current is None:
        return None
    proposed = (
        ONWARD_ONLY
        if current.proposed_onward_only
        else getattr(current.proposed_course_type, "code", "")
    )
    decided = ONWARD_ONLY if current.onward_only else getattr(current.course_type, "code", "")
    referral_shown(user=user, referral=referral, reason=shown_for)
    return AllocationChoice(
        referral=referral,
        allocation=current,
        proposed=proposed,
        proposed_label="Onward referral only"
        if current.proposed_onward_only
        else getattr(current.proposed_course_type, "name", "No course proposed"),
        chosen=decided if current.is_decided else proposed,
        course_types=list(referral.scheme.course_types.order_by("name")),
        can_change=referral.status == ReferralStatus.ASSESSED,
    )


def onward_referral_for(
    *, user: Any, reference: str, pk: int, shown_for: str = ""
) -> OnwardReferral:
    """One of the case's onward referrals, with its service; 404 otherwise."""
    referral = referral_for_casework(user=user, reference=reference)
    onward = (
        OnwardReferral.objects.select_related("service").filter(pk=pk, referral=referral).first()
    )
    if onward is None:
        raise Http404("No such onward referral.")
    onward.referral = referral
    referral_shown(user=user, referral=referral, reason=shown_for)
    return onward
