"""Scheme administrators' pages to set up a scheme and change its details (docs/administration.md).
The policy has its own page (`views.policy_edit`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.schemes import setup_services
from diversion.schemes.selectors import (
    local_authorities_in_reach,
    organisations_in_reach,
    scheme_for_user,
)
from diversion.schemes.setup_forms import SchemeForm


def _form(request: HttpRequest, *, creating: bool, initial: dict[str, object]) -> SchemeForm:
    return SchemeForm(
        request.POST or None,
        initial=initial,
        organisations=organisations_in_reach(user=request.user),
        local_authorities=local_authorities_in_reach(user=request.user),
        creating=creating,
    )


@roles(Role.SCHEME_ADMIN)
def scheme_create(request: HttpRequest) -> HttpResponse:
    form = _form(request, creating=True, initial={"policy_version": 1})
    if request.method == "POST" and form.is_valid():
        try:
            scheme = setup_services.scheme_create(
                actor=Actor.of(request.user),
                code=form.cleaned_data["code"],
                details=form.details(),
                outcome_code=form.cleaned_data["outcome_code"],
                eligible_drug_classes=form.cleaned_data["eligible_drug_classes"],
                policy_version=form.cleaned_data["policy_version"],
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{scheme.name} is set up")
            return redirect("schemes:detail", code=scheme.code)
    status = 400 if form.errors else 200
    return render(
        request, "schemes/scheme_form.html", {"form": form, "scheme": None}, status=status
    )


@roles(Role.SCHEME_ADMIN)
def scheme_edit(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    form = _form(request, creating=False, initial=SchemeForm.initial_from(scheme))
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.scheme_update(
                actor=Actor.of(request.user),
                scheme=scheme,
                details=form.details(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{scheme.name} details saved")
            return redirect("schemes:detail", code=scheme.code)
    status = 400 if form.errors else 200
    return render(
        request, "schemes/scheme_form.html", {"form": form, "scheme": scheme}, status=status
    )
