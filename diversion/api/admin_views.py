"""Scheme administrators' pages for the forces' API clients: create (the key is shown once),
change scopes, revoke, and when each was last used (docs/administration.md). The services are
the ones the commands use; each change is audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from diversion.accounts.services import API_SCOPES, api_client_create, api_client_scopes_set
from diversion.api import selectors
from diversion.api.admin_forms import ApiClientForm, ScopesForm
from diversion.api.services import api_client_deactivate
from diversion.audit.services import Actor
from diversion.core.access import roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role


@roles(Role.SCHEME_ADMIN)
def client_list(request: HttpRequest) -> HttpResponse:
    clients = selectors.api_clients_for_admin(user=request.user).order_by(
        "-is_active", "organisation__name", "name"
    )
    return render(request, "api/client_list.html", {"clients": clients})


@never_cache
@roles(Role.SCHEME_ADMIN)
def client_create(request: HttpRequest) -> HttpResponse:
    forces = selectors.forces_for_admin(user=request.user)
    if not forces.exists():
        messages.error(request, "None of your schemes has a police force to give a key to")
        return redirect("api_clients:list")
    form = ApiClientForm(request.POST or None, forces=forces)
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = api_client_create(
                actor=Actor.of(request.user),
                organisation=form.force(),
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            # Shown on this response only: the secret is not stored and cannot be shown again.
            context = {"client": client, "key": f"{client.key_id}.{secret}", "scopes": API_SCOPES}
            return render(request, "api/client_created.html", context)
    status = 400 if form.errors else 200
    return render(request, "api/client_create.html", {"form": form}, status=status)


@roles(Role.SCHEME_ADMIN)
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.api_client_for_admin(user=request.user, pk=pk)
    form = ScopesForm(initial={"scopes": client.scopes})
    action = request.POST.get("action")
    if request.method == "POST" and action == "revoke":
        api_client_deactivate(key_id=client.key_id, actor=Actor.of(request.user))
        messages.success(request, f"The key of {client.name} no longer works")
        return redirect("api_clients:detail", pk=client.pk)
    if request.method == "POST" and action == "scopes" and client.is_active:
        form = ScopesForm(request.POST)
        if form.is_valid():
            try:
                api_client_scopes_set(
                    actor=Actor.of(request.user), client=client, scopes=form.cleaned_data["scopes"]
                )
            except ValidationError as error:
                copy_validation_errors(form, error)
            else:
                messages.success(request, "Scopes changed")
                return redirect("api_clients:detail", pk=client.pk)
    context = {"client": client, "form": form, "scopes": API_SCOPES}
    return render(request, "api/client_detail.html", context, status=400 if form.errors else 200)
