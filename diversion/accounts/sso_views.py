"""The pages of a sign-in at an organisation's provider: where the provider sends the person
back (`sso_callback`), and where it sends them after single logout (`signed_out`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from diversion.accounts import oidc, sso, sso_flow
from diversion.accounts.models import IdentityProvider
from diversion.core.access import public

BACKEND = "diversion.accounts.backends.IdentityProviderBackend"


def callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:sso-callback"))


@public
def sso_callback(request: HttpRequest) -> HttpResponse:
    finished = sso_flow.sso_finish(
        session=request.session,
        params={key: request.GET.get(key, "") for key in ("state", "code", "error", "iss")},
        redirect_uri=callback_uri(request),
    )
    outcome = finished.outcome
    if outcome.user is None or outcome.device is None or finished.provider is None:
        context = {"refusal": outcome.refusal, "provider": finished.provider}
        status = 502 if finished.provider_down else 403
        return render(request, "accounts/sso_refused.html", context, status=status)
    login(request, outcome.user, backend=BACKEND)
    otp_login(request, outcome.device)
    request.session[sso_flow.SIGNED_IN] = {
        "provider": finished.provider.pk,
        "id_token": finished.id_token,
        "expires_at": finished.expires_at,
        # Every page's sign-out form may lead there (its form-action; accounts/middleware.py).
        "logout_origin": sso.origin(finished.provider.end_session_endpoint)
        if finished.provider.end_session_endpoint
        else "",
    }
    sso.sign_in_recorded(user=outcome.user, identity_provider=finished.provider)
    next_url = finished.next_url
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    return redirect(next_url)


def provider_sign_out_url(request: HttpRequest) -> str:
    """Where to send someone signing out so that their provider signs them out too ("" when
    they did not sign in there, or it offers no single logout)."""
    signed_in = request.session.get(sso_flow.SIGNED_IN)
    if not signed_in:
        return ""
    provider = IdentityProvider.objects.filter(pk=signed_in.get("provider")).first()
    if provider is None or not provider.end_session_endpoint:
        return ""
    return oidc.end_session_url(
        end_session_endpoint=provider.end_session_endpoint,
        id_token=signed_in.get("id_token", ""),
        client_id=provider.client_id,
        after=request.build_absolute_uri(reverse("accounts:signed-out")),
    )


@public
def signed_out(request: HttpRequest) -> HttpResponse:
    """Where the provider returns someone after single logout."""
    messages.success(request, "You have signed out")
    return redirect("accounts:sign-in")
