"""The worker's case pages and the assessment, page by page (saved as each page is submitted;
no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from diversion.audit.services import Actor
from diversion.casework import forms as casework_forms
from diversion.casework import selectors
from diversion.casework.errors import CaseworkError
from diversion.casework.questions import DRUG_PAGE_PREFIX, DRUGS, Section
from diversion.casework.rules import risk_propose
from diversion.casework.services import assessment_complete, assessment_section_save
from diversion.casework.summary import assessment_summary
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.referrals.models import Referral

CASEWORK_ROLES = (Role.WORKER, Role.PROVIDER_MANAGER)


def posted(request: HttpRequest) -> Any:
    """The submitted form data, even when empty (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def shown_for(request: HttpRequest, reason: str) -> str:
    """Why the page shows the person's details, for the selector to audit; nothing when the
    request saves a change (its service audits that)."""
    return "" if request.method == "POST" else reason


@roles(*CASEWORK_ROLES)
def case_list(request: HttpRequest) -> HttpResponse:
    """Find a case by its reference, or list the scheme's cases at one stage."""
    reference = request.GET.get("reference", "").strip().upper()
    if reference:
        found = selectors.case_find(user=request.user, reference=reference)
        if found is not None:
            return redirect("casework:case", reference=found.reference)
    cases = selectors.case_list_for(
        user=request.user,
        stage=request.GET.get("stage", ""),
        page_number=request.GET.get("page"),
    )
    context = {
        "page": cases.page,
        "stage": cases.stage,
        "reference": reference,
        "not_found": bool(reference),
        "schemes": cases.schemes,
        "is_manager": request.user.role == Role.PROVIDER_MANAGER,  # type: ignore[union-attr]
    }
    return render(request, "casework/case_list.html", context)


@roles(*CASEWORK_ROLES)
def case(request: HttpRequest, reference: str) -> HttpResponse:
    case_file = selectors.case_file(user=request.user, reference=reference)
    return render(request, "casework/case.html", vars(case_file))


@roles(*CASEWORK_ROLES)
def assessment_start(request: HttpRequest, reference: str) -> HttpResponse:
    referral = selectors.referral_for_casework(user=request.user, reference=reference)
    target = selectors.next_page(selectors.assessment_for(referral=referral), "")
    if not target:
        return redirect("casework:assessment-check", reference=reference)
    return redirect("casework:assessment-section", reference=reference, section=target)


def _section_form(
    section: str, referral: Referral, assessment: Any, data: Any
) -> tuple[Any, dict[str, Any]]:
    """The form for one page of the assessment, filled with what was saved, and extra context."""
    answers = assessment.answers if assessment else {}
    age = selectors.person_age(referral)
    extra: dict[str, Any] = {}
    if section == Section.DRUGS:
        saved = answers.get("drugs", {})
        initial = {"used": saved.get("used", []), "notes": saved.get("notes", "")}
        if saved and not saved.get("used"):
            initial["used"] = [casework_forms.NONE_USED]
        return casework_forms.DrugsForm(data, initial=initial), extra
    if section.startswith(DRUG_PAGE_PREFIX):
        code = section[len(DRUG_PAGE_PREFIX) :]
        used = answers.get("drugs", {}).get("used", [])
        if code not in used:
            raise Http404("The person does not use this drug.")
        saved = answers["drugs"].get("details", {}).get(code, {})
        initial = {**saved, "together": saved.get("with", [])}
        extra["drug_name"] = DRUGS[code]
        return (
            casework_forms.DrugDetailForm(data, initial=initial, code=code, others=used, age=age),
            extra,
        )
    if section == Section.ALCOHOL:
        saved_c = answers.get("alcohol", {}).get("audit_c", [])
        initial = {f"q{n}": str(v) for n, v in enumerate(saved_c, start=1)}
        return casework_forms.AlcoholForm(data, initial=initial), extra
    if section == Section.AUDIT:
        if not any(p.slug == Section.AUDIT for p in selectors.assessment_pages(assessment)):
            raise Http404("The full AUDIT follows a positive AUDIT-C.")
        saved_more = answers.get("audit", {}).get("answers", [])
        initial = {f"q{n}": str(v) for n, v in enumerate(saved_more, start=4)}
        extra["audit_c_score"] = assessment.audit_c_score
        return casework_forms.AuditForm(data, initial=initial), extra
    if section == Section.HEALTH:
        return casework_forms.HealthForm(data, initial=answers.get("health", {})), extra
    if section == Section.SAFEGUARDING:
        form = casework_forms.SafeguardingForm(
            data, initial=answers.get("safeguarding", {}), young=age < 18
        )
        return form, extra
    if section == Section.RISK:
        if assessment is None:
            raise Http404("Answer the other questions first.")
        proposal = risk_propose(selectors.facts_for(assessment, referral, with_risk=False))
        initial = {"level": assessment.risk_level or proposal.level}
        if assessment.risk_change_reason:
            initial["reason"] = assessment.risk_change_reason
        extra["proposal"] = proposal
        return casework_forms.RiskForm(data, initial=initial, proposed=proposal.level), extra
    raise Http404("No such part of the assessment.")


@roles(*CASEWORK_ROLES)
def assessment_section(request: HttpRequest, reference: str, section: str) -> HttpResponse:
    referral = selectors.referral_for_casework(
        user=request.user,
        reference=reference,
        shown_for=shown_for(request, f"assessment page: {section}"),
    )
    assessment = selectors.assessment_for(referral=referral)
    if assessment is not None and assessment.is_complete:
        messages.info(request, "The assessment is complete: its answers can no longer change.")
        return redirect("casework:case", reference=reference)
    form, extra = _section_form(
        section, referral, assessment, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_section_save(
                actor=Actor.of(request.user),
                referral=referral,
                section=section,
                data=form.cleaned_answers(),
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            target = selectors.next_page(assessment, section)
            if request.POST.get("then") == "check" or not target:
                return redirect("casework:assessment-check", reference=reference)
            return redirect("casework:assessment-section", reference=reference, section=target)
    pages = selectors.assessment_pages(assessment)
    title = next((p.label for p in pages if p.slug == section), "Assessment")
    context = {
        "referral": referral,
        "form": form,
        "section": section,
        "title": title,
        "pages": pages,
        **extra,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "casework/assessment_section.html", context, status=status)


@roles(*CASEWORK_ROLES)
def assessment_check(request: HttpRequest, reference: str) -> HttpResponse:
    referral = selectors.referral_for_casework(
        user=request.user,
        reference=reference,
        shown_for=shown_for(request, "assessment check answers"),
    )
    assessment = selectors.assessment_for(referral=referral)
    error = ""
    if request.method == "POST":
        try:
            assessment_complete(actor=Actor.of(request.user), referral=referral)
        except CaseworkError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, "Assessment complete. The advice plan has been drafted.")
            return redirect("casework:plan", reference=reference)
    context = {
        "referral": referral,
        "assessment": assessment,
        "summary": assessment_summary(assessment, referral) if assessment else [],
        "missing": selectors.missing_pages(assessment),
        "error": error,
    }
    return render(request, "casework/assessment_check.html", context, status=422 if error else 200)
