"""Writes for the assessment, safeguarding, allocation and the scheme's casework settings.

Each service checks what it is given, writes, and records an audit row in the same transaction.
Audit rows name the section or field changed, never what the person said.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.casework.advice_services import advice_plan_draft
from diversion.casework.errors import CaseworkError
from diversion.casework.models import Allocation, Assessment, CaseworkSettings, SafeguardingConcern
from diversion.casework.questions import (
    DRUG_PAGE_PREFIX,
    DRUGS,
    NO_CONCERNS,
    RISK_ORDER,
    Section,
)
from diversion.casework.rules import (
    ONWARD_ONLY,
    allocation_propose,
    allocation_rules_validate,
    risk_propose,
)
from diversion.casework.scoring import audit_band, audit_c_positive, audit_c_score, audit_more_score
from diversion.casework.selectors import (
    allocation_rules_for,
    casework_settings_for,
    facts_for,
    missing_pages,
)
from diversion.core.roles import Role
from diversion.referrals.lifecycle import AWAITING_ASSESSMENT, ReferralStatus, TransitionNotAllowed
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.schemes.models import Scheme


def _locked(referral_id: int) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("scheme", "person")
        .get(pk=referral_id)
    )


def assessment_section_save(
    *,
    actor: Actor,
    referral: Referral,
    section: str,
    data: dict[str, Any],
    now: dt.datetime | None = None,
) -> Assessment:
    """Save one page of the assessment (answers already validated by its form)."""
    now = now or timezone.now()
    with transaction.atomic():
        referral = _locked(referral.pk)
        assessment = Assessment.objects.filter(referral=referral).first()
        if assessment is None:
            if referral.status not in AWAITING_ASSESSMENT:
                raise CaseworkError(
                    f"This referral is {referral.get_status_display().lower()}: "
                    "it has no assessment to record."
                )
            assessment = Assessment(referral=referral, worker=actor.user, started_at=now)
        elif assessment.is_complete:
            raise CaseworkError("The assessment is complete and can no longer be changed.")
        answers = dict(assessment.answers)
        done = [s for s in assessment.sections_done]
        _apply(assessment, answers, done, section, data)
        if section != Section.RISK and Section.RISK in done:
            done.remove(Section.RISK)  # the answers changed: the risk level is confirmed again
        if section not in done:
            done.append(section)
        assessment.answers, assessment.sections_done, assessment.updated_at = answers, done, now
        assessment.proposed_risk = risk_propose(
            facts_for(assessment, referral, with_risk=False)
        ).level
        assessment.save()
        if section == Section.SAFEGUARDING:
            _route_concern(actor, referral, data, now)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=assessment,
            scheme=referral.scheme,
            reason=f"assessment page saved: {section}",
            changes={"referral": referral.reference, "section": section},
        )
    return assessment


def _apply(
    assessment: Assessment, answers: dict[str, Any], done: list[str], section: str, data: Any
) -> None:
    if section == Section.DRUGS:
        used = [code for code in data["used"] if code in DRUGS]
        details = answers.get("drugs", {}).get("details", {})
        details = {code: value for code, value in details.items() if code in used}
        answers["drugs"] = {"used": used, "details": details, "notes": data.get("notes", "")}
        done[:] = [
            s
            for s in done
            if not s.startswith(DRUG_PAGE_PREFIX) or s[len(DRUG_PAGE_PREFIX) :] in used
        ]
    elif section.startswith(DRUG_PAGE_PREFIX):
        code = section[len(DRUG_PAGE_PREFIX) :]
        drugs = answers.get("drugs", {})
        if code not in drugs.get("used", []):
            raise CaseworkError("Record that the person uses this drug first.")
        drugs.setdefault("details", {})[code] = data
    elif section == Section.ALCOHOL:
        answers["alcohol"] = {"audit_c": list(data["audit_c"])}
        assessment.audit_c_score = audit_c_score(data["audit_c"])
        if audit_c_positive(assessment.audit_c_score):
            more = answers.get("audit", {}).get("answers")
            if more:
                _score_audit(assessment, answers, more)
        else:
            answers.pop("audit", None)
            assessment.audit_score, assessment.audit_band = None, ""
            if Section.AUDIT in done:
                done.remove(Section.AUDIT)
    elif section == Section.AUDIT:
        if assessment.audit_c_score is None or not audit_c_positive(assessment.audit_c_score):
            raise CaseworkError("The full AUDIT follows a positive AUDIT-C (5 or more).")
        _score_audit(assessment, answers, list(data["answers"]))
    elif section in {Section.HEALTH, Section.SAFEGUARDING}:
        answers[section] = data
    elif section == Section.RISK:
        _confirm_risk(assessment, data)
    else:
        raise CaseworkError("There is no such part of the assessment.")


def _score_audit(assessment: Assessment, answers: dict[str, Any], more: list[int]) -> None:
    answers["audit"] = {"answers": more}
    assessment.audit_score = (assessment.audit_c_score or 0) + audit_more_score(more)
    assessment.audit_band = audit_band(assessment.audit_score)


def _confirm_risk(assessment: Assessment, data: dict[str, Any]) -> None:
    level, reason = data["level"], data.get("reason", "").strip()
    if level not in RISK_ORDER:
        raise CaseworkError("Choose a risk level.")
    proposed = risk_propose(facts_for(assessment, assessment.referral, with_risk=False)).level
    if level != proposed and not reason:
        raise CaseworkError("Say why the risk level differs from the one proposed.")
    assessment.risk_level = level
    assessment.risk_change_reason = reason if level != proposed else ""


def _route_concern(
    actor: Actor, referral: Referral, data: dict[str, Any], now: dt.datetime
) -> None:
    kinds = [k for k in [*data.get("concerns", []), *data.get("youth", [])] if k != NO_CONCERNS]
    if not kinds:
        return
    lead = casework_settings_for(scheme=referral.scheme).safeguarding_lead
    concern, created = SafeguardingConcern.objects.get_or_create(
        referral=referral,
        defaults={
            "scheme": referral.scheme,
            "kinds": kinds,
            "raised_by": actor.user,
            "raised_at": now,
            "lead": lead,
        },
    )
    if not created:
        concern.kinds = sorted(set(concern.kinds) | set(kinds))
        concern.save(update_fields=["kinds"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=concern,
        scheme=referral.scheme,
        reason="safeguarding concern routed to the safeguarding lead",
        changes={"referral": referral.reference, "lead": lead.pk if lead else None},
    )


def assessment_complete(
    *, actor: Actor, referral: Referral, now: dt.datetime | None = None
) -> Assessment:
    """Finish the assessment: the referral becomes assessed, the advice plan is drafted and
    the allocation proposed."""
    now = now or timezone.now()
    with transaction.atomic():
        referral = _locked(referral.pk)
        assessment = Assessment.objects.filter(referral=referral).first()
        if assessment is None or missing_pages(assessment):
            raise CaseworkError("Finish every part of the assessment before completing it.")
        if assessment.is_complete:
            raise CaseworkError("The assessment is already complete.")
        try:
            referral_transition(
                referral_id=referral.pk,
                to_status=ReferralStatus.ASSESSED,
                actor=actor,
                reason="telephone assessment completed",
                now=now,
            )
        except TransitionNotAllowed as error:
            raise CaseworkError(str(error)) from error
        assessment.completed_at = assessment.updated_at = now
        assessment.save(update_fields=["completed_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=assessment,
            scheme=referral.scheme,
            reason="assessment completed",
            changes={"referral": referral.reference, "risk_level": assessment.risk_level},
        )
        advice_plan_draft(actor=actor, referral=referral, now=now)
        allocation_propose_for(actor=actor, referral=referral)
    return assessment


def allocation_propose_for(*, actor: Actor, referral: Referral) -> Allocation:
    """Record the rules' proposal for a completed assessment (kept when the worker decides)."""
    assessment = Assessment.objects.get(referral=referral)
    proposal = allocation_propose(
        facts_for(assessment, referral),
        rules=allocation_rules_for(scheme=referral.scheme),
        course_types=list(referral.scheme.course_types.order_by("pk")),
    )
    with transaction.atomic():
        allocation, _created = Allocation.objects.update_or_create(
            referral=referral,
            defaults={
                "proposed_course_type": proposal.course_type,
                "proposed_onward_only": proposal.onward_only,
                "proposed_reason": proposal.reason[:300],
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=allocation,
            scheme=referral.scheme,
            reason="allocation proposed by the scheme's rules",
            changes={
                "referral": referral.reference,
                "proposed": ONWARD_ONLY
                if proposal.onward_only
                else getattr(proposal.course_type, "code", None),
            },
        )
    return allocation


def allocation_decide(
    *,
    actor: Actor,
    referral: Referral,
    choice: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Allocation:
    """The worker's decision: a course type's code, or "onward_only" (the referral then moves
    to onward_only). A choice other than the proposal needs a reason."""
    now = now or timezone.now()
    reason = reason.strip()
    with transaction.atomic():
        referral = _locked(referral.pk)
        allocation = (
            Allocation.objects.select_for_update(of=("self",)).filter(referral=referral).first()
        )
        if allocation is None or referral.status != ReferralStatus.ASSESSED:
            raise CaseworkError("Allocate after the assessment, before a course is booked.")
        course_type = None
        if choice != ONWARD_ONLY:
            course_type = referral.scheme.course_types.filter(code=choice).first()
            if course_type is None:
                raise CaseworkError("Choose one of this scheme's courses, or onward referral only.")
        proposed = (
            ONWARD_ONLY
            if allocation.proposed_onward_only
            else getattr(allocation.proposed_course_type, "code", "")
        )
        if choice != proposed and not reason:
            raise CaseworkError("Say why you are not following the proposal.")
        allocation.course_type = course_type
        allocation.onward_only = choice == ONWARD_ONLY
        allocation.change_reason = reason if choice != proposed else ""
        allocation.decided_by, allocation.decided_at = actor.user, now
        allocation.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=allocation,
            scheme=referral.scheme,
            reason="allocation decided",
            changes={
                "referral": referral.reference,
                "choice": choice,
                "follows_proposal": choice == proposed,
            },
        )
        if allocation.onward_only:
            referral_transition(
                referral_id=referral.pk,
                to_status=ReferralStatus.ONWARD_ONLY,
                actor=actor,
                reason="high need: onward referral instead of the course",
                now=now,
            )
    return allocation


def casework_settings_update(
    *,
    actor: Actor,
    scheme: Scheme,
    safeguarding_lead: Any,
    allocation_rules: list[dict[str, Any]] | None,
) -> CaseworkSettings:
    if safeguarding_lead is not None and (
        safeguarding_lead.organisation_id != scheme.provider_id
        or safeguarding_lead.role not in {Role.WORKER, Role.PROVIDER_MANAGER}
        or not safeguarding_lead.is_active
    ):
        raise CaseworkError("The safeguarding lead must be active provider staff of the scheme.")
    rules = allocation_rules_validate(allocation_rules) if allocation_rules else []
    with transaction.atomic():
        current, _ = CaseworkSettings.objects.select_for_update(of=("self",)).get_or_create(
            scheme=scheme
        )
        before = {
            "safeguarding_lead": current.safeguarding_lead_id,
            "allocation_rules": len(current.allocation_rules),
        }
        current.safeguarding_lead, current.allocation_rules = safeguarding_lead, rules
        current.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=current,
            scheme=scheme,
            reason="casework settings changed",
            changes={
                "before": before,
                "after": {
                    "safeguarding_lead": current.safeguarding_lead_id,
                    "allocation_rules": len(rules),
                },
            },
        )
    return current


def safeguarding_acknowledge(
    *, actor: Actor, concern: SafeguardingConcern, now: dt.datetime | None = None
) -> SafeguardingConcern:
    now = now or timezone.now()
    with transaction.atomic():
        concern = SafeguardingConcern.objects.select_for_update(of=("self",)).get(pk=concern.pk)
        if concern.acknowledged_at is not None:
            raise CaseworkError("This concern has already been picked up.")
        concern.acknowledged_by, concern.acknowledged_at = actor.user, now
        concern.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=concern,
            scheme=concern.scheme,
            reason="safeguarding concern picked up by the lead",
        )
    return concern
