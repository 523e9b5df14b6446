"""After the assessment: the advice plan and its summary, the allocation, onward referrals and
safeguarding concerns."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.casework import forms as casework_forms
from diversion.casework import selectors
from diversion.casework.advice_services import (
    advice_plan_update,
    advice_summary_send,
    summary_text,
)
from diversion.casework.models import AdvicePlan, Allocation, OnwardReferral
from diversion.casework.onward_services import onward_referral_make, onward_referral_update
from diversion.casework.rules import ONWARD_ONLY
from diversion.casework.services import CaseworkError, allocation_decide, safeguarding_acknowledge
from diversion.casework.views import CASEWORK_ROLES, audit_read, posted
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.messaging.selectors import person_channels


@roles(*CASEWORK_ROLES)
def plan(request: HttpRequest, reference: str) -> HttpResponse:
    referral = selectors.referral_for_casework(user=request.user, reference=reference)
    advice_plan = AdvicePlan.objects.filter(referral=referral).first()
    if advice_plan is None:
        messages.info(request, "Complete the assessment first: the plan is drafted from it.")
        return redirect("casework:case", reference=reference)
    items = list(advice_plan.items.select_related("version__entry"))
    current = selectors.advice_current_versions(scheme=referral.scheme)
    # The plan's own versions first (they may be older than the library's), then the rest.
    in_plan_entries = {item.version.entry_id for item in items}
    versions = [item.version for item in items] + [
        v for v in current if v.entry_id not in in_plan_entries
    ]
    initial = {
        "advice": [str(item.version_id) for item in items],
        "personal_note": advice_plan.personal_note,
    }
    form = casework_forms.PlanForm(posted(request), initial=initial, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            advice_plan_update(
                actor=Actor.of(request.user),
                referral=referral,
                version_ids=[int(v) for v in form.cleaned_data["advice"]],
                personal_note=form.cleaned_data["personal_note"],
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Advice plan saved.")
            return redirect("casework:case", reference=reference)
    elif request.method != "POST":
        audit_read(request, referral, "advice plan")
    context = {
        "referral": referral,
        "plan": advice_plan,
        "items": items,
        "versions": versions,
        "form": form,
        "newer": {
            item.version_id
            for item in items
            if any(
                v.entry_id == item.version.entry_id and v.number > item.version.number
                for v in current
            )
        },
    }
    return render(request, "casework/plan.html", context, status=422 if form.errors else 200)


@roles(*CASEWORK_ROLES)
def plan_send(request: HttpRequest, reference: str) -> HttpResponse:
    referral = selectors.referral_for_casework(user=request.user, reference=reference)
    advice_plan = get_object_or_404(AdvicePlan, referral=referral)
    form = casework_forms.SendSummaryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            sent = advice_summary_send(
                actor=Actor.of(request.user), referral=referral, consent=True
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Summary sent ({len(sent)} message(s)).")
            return redirect("casework:case", reference=reference)
    elif request.method != "POST":
        audit_read(request, referral, "advice summary preview")
    provider = referral.scheme.provider
    subject, body, sms = summary_text(
        advice_plan,
        given_name=referral.person.given_name,
        provider=provider.short_name or provider.name,
    )
    context = {
        "referral": referral,
        "form": form,
        "subject": subject,
        "body": body,
        "sms": sms,
        "channels": person_channels(person=referral.person),
        "plan": advice_plan,
    }
    return render(request, "casework/plan_send.html", context, status=422 if form.errors else 200)


@roles(*CASEWORK_ROLES)
def allocation(request: HttpRequest, reference: str) -> HttpResponse:
    referral = selectors.referral_for_casework(user=request.user, reference=reference)
    current = (
        Allocation.objects.filter(referral=referral)
        .select_related("proposed_course_type", "course_type")
        .first()
    )
    if current is None:
        messages.info(request, "Complete the assessment first: the allocation follows from it.")
        return redirect("casework:case", reference=reference)
    proposed = (
        ONWARD_ONLY
        if current.proposed_onward_only
        else getattr(current.proposed_course_type, "code", "")
    )
    chosen = (
        (ONWARD_ONLY if current.onward_only else getattr(current.course_type, "code", ""))
        if current.is_decided
        else proposed
    )
    course_types = list(referral.scheme.course_types.order_by("name"))
    form = casework_forms.AllocationForm(
        posted(request),
        initial={"choice": chosen, "reason": current.change_reason},
        course_types=course_types,
        proposed=proposed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            allocation_decide(
                actor=Actor.of(request.user),
                referral=referral,
                choice=form.cleaned_data["choice"],
                reason=form.cleaned_data["reason"],
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Allocation saved.")
            return redirect("casework:case", reference=reference)
    elif request.method != "POST":
        audit_read(request, referral, "allocation")
    context = {
        "referral": referral,
        "allocation": current,
        "form": form,
        "proposed_label": "Onward referral only"
        if current.proposed_onward_only
        else getattr(current.proposed_course_type, "name", "No course proposed"),
        "can_change": referral.status == "assessed",
    }
    return render(request, "casework/allocation.html", context, status=422 if form.errors else 200)


@roles(*CASEWORK_ROLES)
def onward_new(request: HttpRequest, reference: str) -> HttpResponse:
    referral = selectors.referral_for_casework(user=request.user, reference=reference)
    services = list(selectors.onward_services_for(scheme=referral.scheme))
    form = casework_forms.OnwardReferralForm(posted(request), services=services)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = next(s for s in services if str(s.pk) == data["service"])
        try:
            onward_referral_make(
                actor=Actor.of(request.user),
                referral=referral,
                service=service,
                consent=data["consent"],
                follow_up_on=data["follow_up_on"],
                notes=data["notes"],
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Referred to {service.name}.")
            return redirect("casework:case", reference=reference)
    if request.method != "POST":
        audit_read(request, referral, "onward referral form")
    context = {"referral": referral, "form": form, "services": services}
    return render(request, "casework/onward_new.html", context, status=422 if form.errors else 200)


@roles(*CASEWORK_ROLES)
def onward_update(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    referral = selectors.referral_for_casework(user=request.user, reference=reference)
    onward = get_object_or_404(
        OnwardReferral.objects.select_related("service"), pk=pk, referral=referral
    )
    form = casework_forms.OnwardUpdateForm(posted(request), initial={"status": onward.status})
    if request.method == "POST" and form.is_valid():
        try:
            onward_referral_update(
                actor=Actor.of(request.user),
                onward=onward,
                status=form.cleaned_data["status"],
                follow_up_on=form.cleaned_data["follow_up_on"],
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Referral to {onward.service.name} updated.")
            return redirect("casework:case", reference=reference)
    if request.method != "POST":
        audit_read(request, referral, "onward referral update form")
    context = {"referral": referral, "onward": onward, "form": form}
    return render(
        request, "casework/onward_update.html", context, status=422 if form.errors else 200
    )


@roles(*CASEWORK_ROLES)
def safeguarding_list(request: HttpRequest) -> HttpResponse:
    concerns = list(selectors.safeguarding_concerns_for(user=request.user))
    if concerns:
        with transaction.atomic():
            audit_record(
                actor=Actor.of(request.user),
                action=AuditAction.READ,
                object_type="casework.SafeguardingConcern",
                object_id="open",
                reason="safeguarding lead's list",
                changes={"concerns": [c.pk for c in concerns]},
            )
    return render(request, "casework/safeguarding.html", {"concerns": concerns})


@roles(*CASEWORK_ROLES)
def safeguarding_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    concern = get_object_or_404(selectors.safeguarding_concerns_for(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            safeguarding_acknowledge(actor=Actor.of(request.user), concern=concern)
        except CaseworkError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(request, f"You have picked up the concern on {concern.referral}.")
    return redirect("casework:safeguarding")
