from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from diversion.audit.models import AuditEvent
from diversion.audit.selectors import audit_events_for_schemes
from diversion.audit.services import Actor
from diversion.core.access import roles, signed_in
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.schemes import services
from diversion.schemes.forms import FundingPeriodForm, PolicyForm, SharingForm
from diversion.schemes.policy import DRUG_CLASSES, EXCLUSIONS, SUPPLY_INDICATORS
from diversion.schemes.policy_parts import policy_parts
from diversion.schemes.selectors import scheme_for_user, schemes_for_user


@signed_in
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = schemes_for_user(user=request.user).prefetch_related("local_authorities")
    is_admin = request.user.role == Role.SCHEME_ADMIN  # type: ignore[union-attr]
    return render(request, "schemes/scheme_list.html", {"schemes": schemes, "is_admin": is_admin})


@signed_in
def scheme_detail(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    is_admin = request.user.role == Role.SCHEME_ADMIN  # type: ignore[union-attr]
    history = (
        AuditEvent.objects.filter(object_type="schemes.Scheme", object_id=str(scheme.pk))
        .select_related("actor")
        .order_by("-occurred_at", "-pk")[:20]
        if is_admin
        else []
    )
    context = {
        "scheme": scheme,
        "drug_classes": [DRUG_CLASSES[c] for c in scheme.eligible_drug_classes],
        "exclusions": [EXCLUSIONS[e] for e in scheme.excluded_circumstances],
        "supply_refusals": [SUPPLY_INDICATORS[c] for c in scheme.automatic_supply_refusals],
        "shares_with": [s.name for s in scheme.shares_engagement_with.all()],
        "policy_parts": [
            {"label": part.label, "lines": part.summary(scheme)} for part in policy_parts()
        ],
        "local_authorities": scheme.local_authorities.all(),
        "evaluators": scheme.evaluators.all(),
        "funding_periods": scheme.funding_periods.all(),
        "is_admin": is_admin,
        "history": history,
    }
    return render(request, "schemes/scheme_detail.html", context)


@roles(Role.SCHEME_ADMIN)
def policy_edit(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_from(scheme))
    if request.method == "POST" and form.is_valid():
        parts = form.part_values()
        data = {k: v for k, v in form.cleaned_data.items() if k not in parts}
        reason = data.pop("reason")
        try:
            services.scheme_policy_update(
                actor=Actor.of(request.user),
                scheme=scheme,
                changes=data,
                parts=parts,
                reason=reason,
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{scheme.name} policy saved")
            return redirect("schemes:detail", code=scheme.code)
    return render(request, "schemes/policy_edit.html", {"scheme": scheme, "form": form})


@roles(Role.SCHEME_ADMIN)
def sharing_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Which schemes this one tells whether a person engaged (decision 0016)."""
    scheme = scheme_for_user(user=request.user, code=code)
    others = services.schemes_to_share_with(scheme=scheme)
    initial = {
        "share_with": [str(pk) for pk in scheme.shares_engagement_with.values_list("pk", flat=True)]
    }
    form = SharingForm(request.POST or None, initial=initial, schemes=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_sharing_update(
                actor=Actor.of(request.user),
                scheme=scheme,
                share_with_ids=[int(pk) for pk in form.cleaned_data["share_with"]],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{scheme.name} data sharing saved")
            return redirect("schemes:detail", code=scheme.code)
    return render(request, "schemes/sharing_edit.html", {"scheme": scheme, "form": form})


@roles(Role.SCHEME_ADMIN)
def funding_period_add(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    form = FundingPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_period_add(
                actor=Actor.of(request.user), scheme=scheme, **form.cleaned_data
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Funding period added")
            return redirect("schemes:detail", code=scheme.code)
    return render(request, "schemes/funding_period_add.html", {"scheme": scheme, "form": form})


@roles(Role.SCHEME_ADMIN)
def audit_event_list(request: HttpRequest) -> HttpResponse:
    """The audit log of the administrator's schemes (URL name `audit:event-list`, at /audit/)."""
    scheme_ids = list(schemes_for_user(user=request.user).values_list("pk", flat=True))
    events = audit_events_for_schemes(scheme_ids=scheme_ids).order_by("-occurred_at", "-pk")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "schemes/audit_event_list.html", {"page": page})
