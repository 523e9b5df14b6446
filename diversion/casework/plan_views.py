"""After the assessment: the advice plan and its summary, the allocation, onward referrals and
safeguarding concerns."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from diversion.audit.services import Actor
from diversion.casework import forms as casework_forms
from diversion.casework import plan_selectors, selectors
from diversion.casework.advice_services import (
    advice_plan_update,
    advice_summary_send,
    summary_text,
)
from diversion.casework.errors import CaseworkError
from diversion.casework.onward_services import onward_referral_make, onward_referral_update
from diversion.casework.services import allocation_decide, safeguarding_acknowledge
from diversion.casework.views import CASEWORK_ROLES, posted, shown_for
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.messaging.selectors import person_channels


@roles(*CASEWORK_ROLES)
def plan(request: HttpRequest, reference: str) -> HttpResponse:
    editing = plan_selectors.advice_plan_for_editing(
        user=request.user, reference=reference, shown_for=shown_for(request, "advice plan")
    )
    if editing is None:
        messages.info(request, "Complete the assessment first: the plan is drafted from it.")
        return redirect("casework:case", reference=reference)
    initial = {
        "advice": [str(item.version_id) for item in editing.items],
        "personal_note": editing.plan.personal_note,
    }
    form = casework_forms.PlanForm(posted(request), initial=initial, versions=editing.versions)
    if request.method == "POST" and form.is_valid():
        try:
            advice_plan_update(
                actor=Actor.of(request.user),
                referral=editing.referral,
                version_ids=[int(v) for v in form.cleaned_data["advice"]],
                personal_note=form.cleaned_data["personal_note"],
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Advice plan saved.")
            return redirect("casework:case", reference=reference)
    context = vars(editing) | {"form": form}
    return render(request, "casework/plan.html", context, status=422 if form.errors else 200)


@roles(*CASEWORK_ROLES)
def plan_send(request: HttpRequest, reference: str) -> HttpResponse:
    advice_plan = plan_selectors.advice_plan_for(
        user=request.user,
        reference=reference,
        shown_for=shown_for(request, "advice summary preview"),
    )
    referral = advice_plan.referral
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
    choice = plan_selectors.allocation_for_deciding(
        user=request.user, reference=reference, shown_for=shown_for(request, "allocation")
    )
    if choice is None:
        messages.info(request, "Complete the assessment first: the allocation follows from it.")
        return redirect("casework:case", reference=reference)
    form = casework_forms.AllocationForm(
        posted(request),
        initial={"choice": choice.chosen, "reason": choice.allocation.change_reason},
        course_types=choice.course_types,
        proposed=choice.proposed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            allocation_decide(
                actor=Actor.of(request.user),
                referral=choice.referral,
                choice=form.cleaned_data["choice"],
                reason=form.cleaned_data["reason"],
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Allocation saved.")
            return redirect("casework:case", reference=reference)
    context = vars(choice) | {"form": form}
    return render(request, "casework/allocation.html", context, status=422 if form.errors else 200)


@roles(*CASEWORK_ROLES)
def onward_new(request: HttpRequest, reference: str) -> HttpResponse:
    referral = selectors.referral_for_casework(
        user=request.user,
        reference=reference,
        shown_for=shown_for(request, "onward referral form"),
    )
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
    context = {"referral": referral, "form": form, "services": services}
    return render(request, "casework/onward_new.html", context, status=422 if form.errors else 200)


@roles(*CASEWORK_ROLES)
def onward_update(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    onward = plan_selectors.onward_referral_for(
        user=request.user,
        reference=reference,
        pk=pk,
        shown_for=shown_for(request, "onward referral update form"),
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
    context = {"referral": onward.referral, "onward": onward, "form": form}
    return render(
        request, "casework/onward_update.html", context, status=422 if form.errors else 200
    )


@roles(*CASEWORK_ROLES)
def safeguarding_list(request: HttpRequest) -> HttpResponse:
    concerns = selectors.safeguarding_concerns_shown(user=request.user)
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
