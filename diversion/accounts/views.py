from __future__ import annotations

from typing import Any

import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from diversion.accounts import selectors, services, sso, sso_flow, sso_views
from diversion.accounts.forms import (
    CodeForm,
    EmailForm,
    PasswordChangeForm,
    SetUpCodeForm,
    SignInForm,
)
from diversion.accounts.models import IdentityProvider, User
from diversion.audit.models import AuditAction
from diversion.audit.services import Actor
from diversion.core.access import before_second_factor, public, signed_in
from diversion.core.proxies import client_address
from diversion.schemes.selectors import schemes_for_user

NEXT = "sign_in_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}):
        return candidate
    return "/"


def _demo_sign_ins() -> list[dict[str, Any]]:
    providers = {p.organisation_id: p for p in IdentityProvider.objects.filter(is_active=True)}
    rows = []
    for user in selectors.demo_accounts():
        provider = providers.get(user.organisation_id)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        code = ""
        if device is not None and provider is None:
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
            code = f"{totp.token():0{device.digits}d}"
        rows.append({"user": user, "code": code, "provider": provider})
    return rows


@public
def sign_in(request: HttpRequest) -> HttpResponse:
    """Email first: people of an organisation with a provider go there; the others give their
    password here (in the same post, or on the second step), then their security code."""
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("core:home")
    next_url = _safe_next(request, request.GET.get("next"))
    if request.method != "POST":
        return _sign_in_page(request, EmailForm())
    if "password" not in request.POST:
        email_form = EmailForm(request.POST)
        if not email_form.is_valid():
            return _sign_in_page(request, email_form)
        email = email_form.cleaned_data["email"].lower()
        provider = sso.provider_for_email(email)
        if provider is not None:
            return _to_provider(request, provider, email, next_url)
        return _sign_in_page(request, SignInForm(initial={"email": email}))
    form = SignInForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"].lower()
        provider = sso.provider_for_email(email)
        if provider is not None:  # never a password for someone whose provider signs them in
            return _to_provider(request, provider, email, next_url)
        if services.sign_in_address_refused(address=client_address(request)):
            return _address_locked_out(request)
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            with transaction.atomic():
                services.sign_in_record(user=None, action=AuditAction.SIGN_IN_FAILED)
            form.add_error(None, "Enter a correct email address and password")
        else:
            login(request, user)
            request.session[NEXT] = next_url
            if user_has_device(user, confirmed=True):
                return redirect("accounts:second-factor")
            return redirect("accounts:set-up-second-factor")
    return _sign_in_page(request, form)


def _sign_in_page(request: HttpRequest, form: EmailForm) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "password_step": isinstance(form, SignInForm)}
    if settings.DEMO_MODE:
        context["demo_sign_ins"] = _demo_sign_ins()
        context["demo_password"] = settings.DEMO_PASSWORD
    response = render(request, "accounts/sign_in.html", context)
    targets = sso.sign_in_form_targets()
    if targets:
        response._csp_update = {"form-action": targets}  # type: ignore[attr-defined]
    return response


def _to_provider(
    request: HttpRequest, provider: IdentityProvider, email: str, next_url: str
) -> HttpResponse:
    url = sso_flow.sso_start(
        session=request.session,
        provider=provider,
        redirect_uri=request.build_absolute_uri(reverse("accounts:sso-callback")),
        login_hint=email,
        next_url=next_url,
    )
    return redirect(url)


@public
def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    with transaction.atomic():
        services.sign_in_record(user=None, action=AuditAction.LOCKED_OUT)
    return render(request, "accounts/locked_out.html", status=429)


def _address_locked_out(request: HttpRequest) -> HttpResponse:
    response = render(request, "accounts/address_locked_out.html", status=429)
    cool_off = get_cool_off()
    if cool_off is not None:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


@before_second_factor
def second_factor(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.is_verified():
        return redirect("core:home")
    if not user_has_device(user, confirmed=True):
        return redirect("accounts:set-up-second-factor")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            with transaction.atomic():
                services.sign_in_record(user=user, action=AuditAction.SIGN_IN)
            return redirect(request.session.pop(NEXT, "/"))
        with transaction.atomic():
            services.sign_in_record(
                user=user, action=AuditAction.SIGN_IN_FAILED, reason="wrong security code"
            )
        form.add_error("code", "The security code is not correct or has expired")
    return render(request, "accounts/second_factor.html", {"form": form})


@before_second_factor
def set_up_second_factor(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user_has_device(user, confirmed=True):
        return redirect("accounts:second-factor")
    device = services.totp_device_for_set_up(user=user)
    form = SetUpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(
            user=user, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            otp_login(request, device)
            with transaction.atomic():
                services.sign_in_record(user=user, action=AuditAction.SIGN_IN)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "first_time": True}
            )
        form.add_error(
            "code", "The code is not correct: check the time on your phone and try again"
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "secret": _grouped(device.config_url.split("secret=")[1].split("&")[0]),
        "qr_svg": qr.svg_inline(scale=4, title="QR code for your authenticator app"),
    }
    return render(request, "accounts/set_up_second_factor.html", context)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_POST
@public
def sign_out(request: HttpRequest) -> HttpResponse:
    """Signs out here, and at the organisation's provider when it offers single logout."""
    after_provider = sso_views.provider_sign_out_url(request)
    if request.user.is_authenticated:
        with transaction.atomic():
            services.sign_in_record(user=request.user, action=AuditAction.SIGN_OUT)
    logout(request)
    if after_provider:
        return redirect(after_provider)
    messages.success(request, "You have signed out")
    return redirect("accounts:sign-in")


@signed_in
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST" and request.POST.get("action") == "new-backup-codes":
        codes = services.backup_codes_replace(user=user, actor=Actor.of(user))
        return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": False})
    context = {
        "account": user,
        "schemes": schemes_for_user(user=user),
        "local_password": user.has_usable_password() and not hasattr(user, "provider_identity"),
    }
    return render(request, "accounts/account.html", context)


@signed_in
def account_password(request: HttpRequest) -> HttpResponse:
    """A local account changes its own password; this browser stays signed in, others end."""
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.password_change(
                user=user,
                current=form.cleaned_data["current_password"],
                new=form.cleaned_data["new_password"],
            )
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                for field, errors in refused.message_dict.items():
                    for error in errors:
                        form.add_error(field, error)
            else:
                form.add_error(None, refused)
        else:
            update_session_auth_hash(request, changed)
            messages.success(request, "Your password has been changed")
            return redirect("accounts:account")
    managed = hasattr(user, "provider_identity") or not user.has_usable_password()
    return render(request, "accounts/password_change.html", {"form": form, "managed": managed})
