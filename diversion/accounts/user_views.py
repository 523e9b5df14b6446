"""Scheme administrators' user pages: list, invite, role, security code, (de)activation; and the
invitee's page behind the emailed link (docs/administration.md). Every change is audited by
its service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_otp import user_has_device

from diversion.accounts import invitations, selectors, services, sso, sso_flow
from diversion.accounts.forms import InviteForm, RoleForm, SetPasswordForm
from diversion.accounts.models import User
from diversion.audit.services import Actor
from diversion.core.access import public, roles
from diversion.core.forms import copy_validation_errors
from diversion.core.roles import Role

NEXT = "sign_in_next"  # as accounts.views: where the security-code step leads afterwards
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"  # noqa: S105 (a class name)


def _link_for(request: HttpRequest) -> Callable[[str], str]:
    return lambda token: request.build_absolute_uri(
        reverse("accounts:invitation", kwargs={"token": token})
    )


@roles(Role.SCHEME_ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    users = selectors.users_for_admin_list(user=request.user)
    return render(request, "accounts/user_list.html", {"users": users})


@never_cache
@roles(Role.SCHEME_ADMIN)
def user_invite(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_administered(user=request.user)
    form = InviteForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.user_invite(
                actor=Actor.of(request.user),
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                organisation=form.chosen_organisation(),
                link_for=_link_for(request),
            )
        except ValidationError as error:
            copy_validation_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.user.email}")
            return redirect("accounts:user-detail", pk=invitation.user_id)
    status = 400 if form.errors else 200
    return render(request, "accounts/user_invite.html", {"form": form}, status=status)


ACTIONS = {"role", "reset-second-factor", "deactivate", "reactivate", "resend-invitation"}


@roles(Role.SCHEME_ADMIN)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.user_shown(viewer=request.user, pk=pk)
    role_form = RoleForm(initial={"role": shown.role})
    error = ""
    action = request.POST.get("action", "")
    if request.method == "POST" and action in ACTIONS:
        actor = Actor.of(request.user)
        try:
            if action == "role":
                role_form = RoleForm(request.POST)
                if role_form.is_valid():
                    services.user_role_set(
                        actor=actor, user=shown, role=role_form.cleaned_data["role"]
                    )
                    messages.success(request, "Role changed")
            elif action == "reset-second-factor":
                services.user_second_factor_reset(actor=actor, user=shown)
                messages.success(request, "Security code reset")
            elif action in {"deactivate", "reactivate"}:
                services.user_active_set(actor=actor, user=shown, active=action == "reactivate")
                messages.success(request, f"Account {action}d")
            else:
                invitations.invitation_resend(actor=actor, user=shown, link_for=_link_for(request))
                messages.success(request, f"A new invitation was sent to {shown.email}")
        except ValidationError as refused:
            if action == "role":
                copy_validation_errors(role_form, refused)
            else:
                error = refused.messages[0]
        if not role_form.errors and not error:
            return redirect("accounts:user-detail", pk=shown.pk)
    context = {
        "shown": shown,
        "role_form": role_form,
        "error": error,
        "has_second_factor": user_has_device(shown, confirmed=True),
        "signs_in_at_provider": hasattr(shown, "provider_identity"),
        "invitation": shown.invitations.first(),
        "is_self": shown.pk == request.user.pk,
    }
    status = 400 if role_form.errors or error else 200
    return render(request, "accounts/user_detail.html", context, status=status)


def _refused(request: HttpRequest, refused: invitations.InvitationRefused) -> HttpResponse:
    invitations.invitation_refusal_record(refused=refused)
    return render(request, "accounts/invitation_refused.html", status=410)


@never_cache
@public
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee sets a password (then their security code, on the usual page), or is sent
    to their organisation's provider. Opening the page changes nothing."""
    try:
        opened = invitations.invitation_open(token=token)
    except invitations.InvitationRefused as refused:
        return _refused(request, refused)
    form = SetPasswordForm()
    if request.method == "POST" and opened.provider is not None:
        try:
            user, provider = invitations.invitation_accept_at_provider(token=token)
        except invitations.InvitationRefused as refused:
            return _refused(request, refused)
        return redirect(
            sso_flow.sso_start(
                session=request.session,
                provider=provider,
                redirect_uri=request.build_absolute_uri(reverse("accounts:sso-callback")),
                login_hint=user.email,
                next_url="/",
            )
        )
    if request.method == "POST":
        form = SetPasswordForm(request.POST)
        if form.is_valid():
            try:
                user = invitations.invitation_accept_with_password(
                    token=token, password=form.cleaned_data["password"]
                )
            except invitations.InvitationRefused as refused:
                return _refused(request, refused)
            except ValidationError as weak:
                form.add_error("password", weak.messages)
            else:
                return _signed_in_for_set_up(request, user)
    context = {"invitation": opened.invitation, "provider": opened.provider, "form": form}
    response = render(
        request, "accounts/invitation.html", context, status=400 if form.errors else 200
    )
    if opened.provider is not None:
        response._csp_update = {"form-action": sso.sign_in_form_targets()}  # type: ignore[attr-defined]
    return response


def _signed_in_for_set_up(request: HttpRequest, user: User) -> HttpResponse:
    """The password is their first factor: on to setting up the security code."""
    login(request, user, backend=PASSWORD_BACKEND)
    request.session[NEXT] = "/"
    messages.success(request, "Your password is set. Now set up your security code")
    return redirect("accounts:set-up-second-factor")
