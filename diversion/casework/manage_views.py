"""What the provider manager keeps for a scheme: the advice library (versioned), the directory
of services and the casework settings (safeguarding lead, allocation rules)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from diversion.audit.services import Actor
from diversion.casework import manage_forms as casework_forms
from diversion.casework import selectors
from diversion.casework.advice_services import advice_entry_save, advice_library_seed
from diversion.casework.errors import CaseworkError
from diversion.casework.onward_services import onward_service_save
from diversion.casework.rules import ADVICE_TRIGGERS, STANDARD_ALLOCATION_RULES
from diversion.casework.services import casework_settings_update
from diversion.casework.views import CASEWORK_ROLES, posted
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role
from diversion.schemes.selectors import scheme_for_user


@roles(*CASEWORK_ROLES)
def advice_list(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    advice_library_seed(scheme=scheme)
    context = {
        "scheme": scheme,
        "rows": selectors.advice_library_for(scheme=scheme),
        "triggers": ADVICE_TRIGGERS,
        "is_manager": request.user.role == Role.PROVIDER_MANAGER,  # type: ignore[union-attr]
    }
    return render(request, "casework/advice_list.html", context)


@roles(Role.PROVIDER_MANAGER)
def advice_edit(request: HttpRequest, code: str, key: str = "") -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    entry, initial = None, {}
    if key:
        entry, current = selectors.advice_entry_for_editing(scheme=scheme, key=key)
        initial = {
            "title": current.title,
            "body": current.body,
            "message_text": current.message_text,
            "triggers": current.triggers,
        }
    form = casework_forms.AdviceForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = advice_entry_save(
                actor=Actor.of(request.user),
                scheme=scheme,
                key=key or slugify(data["title"])[:60],
                new=not key,
                title=data["title"],
                body=data["body"],
                message_text=data["message_text"],
                triggers=data["triggers"],
                change_note=data["change_note"],
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{version.title}: version {version.number} saved.")
            return redirect("casework:advice-list", code=scheme.code)
    versions = entry.versions.select_related("created_by").order_by("-number") if entry else []
    context = {"scheme": scheme, "entry": entry, "form": form, "versions": versions}
    return render(request, "casework/advice_edit.html", context, status=422 if form.errors else 200)


@roles(*CASEWORK_ROLES)
def service_list(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    context = {
        "scheme": scheme,
        "services": selectors.onward_services_for(scheme=scheme, active_only=False),
        "is_manager": request.user.role == Role.PROVIDER_MANAGER,  # type: ignore[union-attr]
    }
    return render(request, "casework/service_list.html", context)


@roles(Role.PROVIDER_MANAGER)
def service_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    service = selectors.onward_service_for(scheme=scheme, pk=pk) if pk else None
    initial = (
        {
            "kind": service.kind,
            "name": service.name,
            "contact": service.contact,
            "description": service.description,
            "is_active": service.is_active,
        }
        if service
        else {"is_active": True}
    )
    form = casework_forms.OnwardServiceForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = onward_service_save(
                actor=Actor.of(request.user), scheme=scheme, service=service, **form.cleaned_data
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("casework:services", code=scheme.code)
    context = {"scheme": scheme, "service": service, "form": form}
    return render(
        request, "casework/service_edit.html", context, status=422 if form.errors else 200
    )


@roles(Role.PROVIDER_MANAGER)
def settings_edit(request: HttpRequest, code: str) -> HttpResponse:
    scheme = scheme_for_user(user=request.user, code=code)
    current = selectors.casework_settings_for(scheme=scheme)
    staff = selectors.casework_staff_of(scheme=scheme)
    initial = {
        "safeguarding_lead": str(current.safeguarding_lead_id or ""),
        "allocation_rules": json.dumps(current.allocation_rules, indent=2)
        if current.allocation_rules
        else "",
    }
    form = casework_forms.SettingsForm(posted(request), initial=initial, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            casework_settings_update(
                actor=Actor.of(request.user),
                scheme=scheme,
                safeguarding_lead=form.cleaned_data["safeguarding_lead"],
                allocation_rules=form.cleaned_data["allocation_rules"],
            )
        except CaseworkError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, "Casework settings saved.")
            return redirect("casework:settings", code=scheme.code)
    context = {
        "scheme": scheme,
        "form": form,
        "rules": current.allocation_rules or STANDARD_ALLOCATION_RULES,
        "standard_rules": json.dumps(STANDARD_ALLOCATION_RULES, indent=2),
    }
    return render(request, "casework/settings.html", context, status=422 if form.errors else 200)
