"""Scheme administrators' pages for organisations and local authorities (docs/administration.md).
An organisation's single sign-on has its own page (`accounts:identity-provider`), linked here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import OrganisationKind, Role
from diversion.schemes import organisation_services as services
from diversion.schemes.models import Organisation
from diversion.schemes.selectors import (
    local_authorities_in_reach,
    local_authority_in_reach,
    organisation_in_reach,
    organisations_in_reach,
    schemes_for_user,
    schemes_of_organisation,
)
from diversion.schemes.setup_forms import LocalAuthorityForm, OrganisationForm


@roles(Role.SCHEME_ADMIN)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = organisations_in_reach(user=request.user).select_related("identity_provider")
    context = {"organisations": organisations, "kinds": OrganisationKind}
    return render(request, "schemes/organisation_list.html", context)


@roles(Role.SCHEME_ADMIN)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=Actor.of(request.user), **form.cleaned_data
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} is set up")
            return redirect("organisations:edit", pk=organisation.pk)
    context = {"form": form, "organisation": None}
    status = 400 if form.errors else 200
    return render(request, "schemes/organisation_form.html", context, status=status)


@roles(Role.SCHEME_ADMIN)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_in_reach(user=request.user, pk=pk)
    initial = {
        "kind": organisation.kind,
        "name": organisation.name,
        "short_name": organisation.short_name,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=Actor.of(request.user), organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Organisation saved")
            return redirect("organisations:edit", pk=organisation.pk)
    schemes = list(schemes_of_organisation(organisation=organisation).order_by("name"))
    mine = set(schemes_for_user(user=request.user).values_list("pk", flat=True))
    context = {
        "form": form,
        "organisation": organisation,
        "schemes": schemes,
        # The sign-in provider page covers the organisations of the administrator's schemes.
        "sso_reachable": any(scheme.pk in mine for scheme in schemes),
        "provider": getattr(organisation, "identity_provider", None),
        "local_authorities": organisation.local_authorities.all(),
        "is_force": organisation.kind == OrganisationKind.FORCE,
    }
    status = 400 if form.errors else 200
    return render(request, "schemes/organisation_form.html", context, status=status)


@roles(Role.SCHEME_ADMIN)
def local_authority_list(request: HttpRequest) -> HttpResponse:
    authorities = local_authorities_in_reach(user=request.user).prefetch_related("schemes")
    return render(request, "schemes/local_authority_list.html", {"authorities": authorities})


def _forces(request: HttpRequest) -> QuerySet[Organisation]:
    return organisations_in_reach(user=request.user).filter(kind=OrganisationKind.FORCE)


@roles(Role.SCHEME_ADMIN)
def local_authority_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, str] = {}
    force = request.GET.get("force", "")
    if force.isdigit():
        initial["force"] = force
    form = LocalAuthorityForm(request.POST or None, initial=initial, forces=_forces(request))
    if request.method == "POST" and form.is_valid():
        try:
            authority = services.local_authority_create(
                actor=Actor.of(request.user), **form.cleaned_data
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{authority.name} ({authority.ons_code}) added")
            return redirect("local_authorities:list")
    context = {"form": form, "authority": None}
    status = 400 if form.errors else 200
    return render(request, "schemes/local_authority_form.html", context, status=status)


@roles(Role.SCHEME_ADMIN)
def local_authority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authority = local_authority_in_reach(user=request.user, pk=pk)
    initial = {"name": authority.name, "ons_code": authority.ons_code, "force": authority.force_id}
    form = LocalAuthorityForm(request.POST or None, initial=initial, forces=_forces(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.local_authority_update(
                actor=Actor.of(request.user), authority=authority, **form.cleaned_data
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Local authority saved")
            return redirect("local_authorities:list")
    context = {"form": form, "authority": authority, "schemes": authority.schemes.all()}
    status = 400 if form.errors else 200
    return render(request, "schemes/local_authority_form.html", context, status=status)
