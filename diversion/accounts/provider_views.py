"""Scheme administrators' pages for the organisations' OpenID providers and their group roles
(docs/identity.md). The services check the issuer and the roles; every change is audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from diversion.accounts import sso
from diversion.accounts.forms import GroupRoleForm, IdentityProviderForm
from diversion.accounts.models import IdentityProvider
from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.schemes.models import Organisation
from diversion.schemes.selectors import schemes_for_user


def _organisations(request: HttpRequest) -> list[Organisation]:
    ids: set[int] = set()
    for scheme in schemes_for_user(user=request.user).prefetch_related("evaluators"):
        ids.update({scheme.force_id, scheme.provider_id, scheme.commissioner_id})
        ids.update(e.pk for e in scheme.evaluators.all())
    return list(
        Organisation.objects.filter(pk__in=ids).select_related("identity_provider").order_by("name")
    )


def _errors_to(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@roles(Role.SCHEME_ADMIN)
def identity_providers(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/identity_providers.html", {"organisations": _organisations(request)}
    )


@roles(Role.SCHEME_ADMIN)
def identity_provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = {o.pk: o for o in _organisations(request)}.get(pk)
    if organisation is None:
        raise Http404("No such organisation in your schemes.")
    provider = IdentityProvider.objects.filter(organisation=organisation).first()
    actor = Actor.of(request.user)
    initial = (
        {
            "display_name": provider.display_name,
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "email_domains": ", ".join(provider.email_domains),
            "scopes": provider.scopes,
            "groups_claim": provider.groups_claim,
        }
        if provider
        else {"display_name": organisation.name}
    )
    form = IdentityProviderForm(initial=initial)
    group_form = GroupRoleForm(roles=list(Role.choices))
    action = request.POST.get("action")
    if request.method == "POST" and action == "save":
        form = IdentityProviderForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                sso.identity_provider_save(
                    actor=actor,
                    organisation=organisation,
                    display_name=form.cleaned_data["display_name"],
                    issuer=form.cleaned_data["issuer"],
                    client_id=form.cleaned_data["client_id"],
                    client_secret=form.cleaned_data["client_secret"] or None,
                    email_domains=form.domains(),
                    scopes=form.cleaned_data["scopes"],
                    groups_claim=form.cleaned_data["groups_claim"],
                )
            except ValidationError as error:
                _errors_to(form, error)
            else:
                messages.success(request, f"{organisation} now signs in at its provider")
                return redirect("accounts:identity-provider", pk=organisation.pk)
    elif request.method == "POST" and action == "add-group" and provider is not None:
        group_form = GroupRoleForm(request.POST, roles=list(Role.choices))
        if group_form.is_valid():
            try:
                sso.group_role_save(
                    actor=actor,
                    identity_provider=provider,
                    group=group_form.cleaned_data["group"],
                    role=group_form.cleaned_data["role"],
                )
            except ValidationError as error:
                _errors_to(group_form, error)
            else:
                messages.success(request, "Group added")
                return redirect("accounts:identity-provider", pk=organisation.pk)
    elif request.method == "POST" and action == "remove-group" and provider is not None:
        mapping = get_object_or_404(provider.group_roles, pk=request.POST.get("mapping", "0"))
        sso.group_role_remove(actor=actor, mapping=mapping)
        messages.success(request, "Group removed")
        return redirect("accounts:identity-provider", pk=organisation.pk)
    shown = form if form.errors else group_form
    context = {
        "organisation": organisation,
        "provider": provider,
        "form": form,
        "group_form": group_form,
        "errors_form": shown,
        "callback": request.build_absolute_uri(reverse("accounts:sso-callback")),
        "signed_out": request.build_absolute_uri(reverse("accounts:signed-out")),
    }
    status = 400 if form.errors or group_form.errors else 200
    return render(request, "accounts/identity_provider.html", context, status=status)
