"""Single sign-on at an organisation's OpenID provider: setting a provider up, mapping its groups
to roles, and signing people in (just-in-time accounts, roles from groups, leavers refused).

Every write is audited in the transaction that makes it. The network calls (discovery, keys,
the code exchange) happen outside any transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diversion.accounts import oidc
from diversion.accounts.models import (
    GroupRole,
    IdentityProvider,
    ProviderDevice,
    ProviderIdentity,
    User,
)
from diversion.accounts.services import check_role_fits_organisation, sign_in_record
from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.roles import Role
from diversion.schemes.models import Organisation

logger = structlog.get_logger(__name__)

# When someone's groups map to several roles, they get the first of these they hold.
ROLE_PRECEDENCE: tuple[str, ...] = (
    Role.SCHEME_ADMIN,
    Role.PROVIDER_MANAGER,
    Role.POLICE_SUPERVISOR,
    Role.ANALYST,
    Role.EVALUATOR,
    Role.FACILITATOR,
    Role.WORKER,
    Role.OFFICER,
)
SOURCE = "identity provider"
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _domains_clean(domains: list[str]) -> list[str]:
    cleaned = sorted({d.strip().lower().lstrip("@") for d in domains if d.strip()})
    bad = [d for d in cleaned if not _DOMAIN.match(d)]
    if bad:
        raise ValidationError({"email_domains": f"Not an email domain: {', '.join(bad)}"})
    return cleaned


def identity_provider_save(
    *,
    actor: Actor,
    organisation: Organisation,
    display_name: str,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    email_domains: list[str],
    scopes: str = "openid email profile",
    groups_claim: str = "groups",
) -> IdentityProvider:
    """Create or change an organisation's provider. The issuer must answer with a discovery
    document naming itself and a key set with a signing key; otherwise nothing is saved.
    `client_secret` None keeps the secret already held."""
    existing = IdentityProvider.objects.filter(organisation=organisation).first()
    errors: dict[str, str] = {}
    if not display_name.strip():
        errors["display_name"] = "Enter the name people see on the sign-in button"
    if not client_id.strip():
        errors["client_id"] = "Enter the client ID the provider gave you"
    if not client_secret and existing is None:
        errors["client_secret"] = "Enter the client secret the provider gave you"  # noqa: S105
    if "openid" not in scopes.split():
        errors["scopes"] = "The scopes must include openid"
    if not re.fullmatch(r"[A-Za-z0-9_.:/-]{1,100}", groups_claim):
        errors["groups_claim"] = "Enter the name of the claim that carries the groups"
    if errors:
        raise ValidationError(errors)
    domains = _domains_clean(email_domains)
    taken = IdentityProvider.objects.exclude(organisation=organisation).filter(issuer=issuer)
    if taken.exists():
        raise ValidationError({"issuer": "Another organisation already uses this issuer"})
    try:
        found = oidc.discover(issuer)
        jwks = oidc.jwks_fetch(found.jwks_uri)
    except oidc.ProviderError as error:
        raise ValidationError({"issuer": str(error)}) from error
    values: dict[str, Any] = {
        "display_name": display_name.strip(),
        "issuer": issuer,
        "client_id": client_id.strip(),
        "scopes": " ".join(scopes.split()),
        "groups_claim": groups_claim,
        "email_domains": domains,
        "authorization_endpoint": found.authorization_endpoint,
        "token_endpoint": found.token_endpoint,
        "jwks_uri": found.jwks_uri,
        "end_session_endpoint": found.end_session_endpoint,
        "token_auth_method": found.token_auth_method,
        "jwks": jwks,
        "jwks_fetched_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    if client_secret:
        values["client_secret"] = client_secret
    with transaction.atomic():
        provider, created = IdentityProvider.objects.update_or_create(
            organisation=organisation, defaults=values
        )
        changes = {k: v for k, v in values.items() if k not in {"jwks", "jwks_fetched_at"}}
        if client_secret:
            changes["client_secret"] = "changed"  # noqa: S105
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=provider,
            changes=changes,
            sensitive=["client_secret"],
        )
    return provider


def group_role_save(
    *, actor: Actor, identity_provider: IdentityProvider, group: str, role: str
) -> GroupRole:
    """Members of `group` get `role`; refused if the organisation may not hold that role."""
    group = group.strip()
    if not group or len(group) > 200:
        raise ValidationError({"group": "Enter the group's name or id as the provider sends it"})
    check_role_fits_organisation(role, identity_provider.organisation)
    with transaction.atomic():
        mapping, created = GroupRole.objects.update_or_create(
            identity_provider=identity_provider, group=group, defaults={"role": role}
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=mapping,
            changes={"group": group, "role": role, "identity_provider_id": identity_provider.pk},
        )
    return mapping


def group_role_remove(*, actor: Actor, mapping: GroupRole) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=mapping,
            changes={"group": mapping.group, "role": mapping.role},
        )
        mapping.delete()


def provider_for_email(email: str) -> IdentityProvider | None:
    """The provider a person signs in at: their organisation's, if it has one, else the one
    whose email domains hold their address (someone not yet known here)."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).select_related("organisation").first()
    if user is not None:
        return IdentityProvider.objects.filter(
            organisation_id=user.organisation_id, is_active=True
        ).first()
    domain = email.rpartition("@")[2]
    for provider in IdentityProvider.objects.filter(is_active=True):
        if domain in provider.email_domains:
            return provider
    return None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in_form_targets() -> list[str]:
    """The origins the sign-in form may lead to (its Content Security Policy's form-action):
    the email step's answer is a redirect to a provider's authorization endpoint."""
    endpoints = IdentityProvider.objects.filter(is_active=True).values_list(
        "authorization_endpoint", flat=True
    )
    return sorted({origin(url) for url in endpoints})


def provider_keys(*, provider: IdentityProvider, kid: str | None) -> dict[str, Any]:
    """The provider's key set, fetched again when it lacks `kid` (the provider rotated its
    keys), at most once per OIDC_JWKS_REFETCH_SECONDS for each provider across all processes."""
    if oidc.keys_hold(provider.jwks, kid):
        return dict(provider.jwks)
    now = timezone.now()
    last = provider.jwks_fetched_at
    if last is not None and (now - last).total_seconds() < settings.OIDC_JWKS_REFETCH_SECONDS:
        return dict(provider.jwks)
    # Whoever moves jwks_fetched_at on fetches; a process that lost the race uses what it has.
    claimed = IdentityProvider.objects.filter(pk=provider.pk, jwks_fetched_at=last).update(
        jwks_fetched_at=now
    )
    if not claimed:
        provider.refresh_from_db(fields=["jwks", "jwks_fetched_at"])
        return dict(provider.jwks)
    jwks = oidc.jwks_fetch(provider.jwks_uri)
    IdentityProvider.objects.filter(pk=provider.pk).update(jwks=jwks)
    provider.jwks, provider.jwks_fetched_at = jwks, now
    logger.info("identity_provider_keys_fetched", provider=provider.pk, kid=kid)
    return jwks


@dataclass(frozen=True)
class SignInOutcome:
    user: User | None
    device: ProviderDevice | None = None
    refusal: str = ""  # for the person
    reason: str = ""  # for the audit log


def _groups(claims: dict[str, Any], claim: str) -> list[str]:
    value = claims.get(claim, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return sorted({str(group) for group in value})


def role_for_groups(*, identity_provider: IdentityProvider, groups: list[str]) -> str | None:
    mapped = set(
        identity_provider.group_roles.filter(group__in=groups).values_list("role", flat=True)
    )
    return next((role for role in ROLE_PRECEDENCE if role in mapped), None)


def provider_sign_in(
    *, identity_provider: IdentityProvider, claims: dict[str, Any]
) -> SignInOutcome:
    """Who the checked ID token's claims are: the linked user (their role set again from their
    groups), a new user created with the role their groups map to, or a refusal. Someone whose
    groups no longer map to a role is refused and deactivated. One transaction, audited."""
    subject = str(claims["sub"])
    email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    groups = _groups(claims, identity_provider.groups_claim)
    role = role_for_groups(identity_provider=identity_provider, groups=groups)
    organisation = identity_provider.organisation
    with transaction.atomic():
        identity = (
            ProviderIdentity.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(identity_provider=identity_provider, subject=subject)
            .first()
        )
        user = identity.user if identity else None
        if user is None and email:
            user = User.objects.select_for_update(of=("self",)).filter(email__iexact=email).first()
            if user is not None and user.organisation_id != organisation.pk:
                return _refused(
                    organisation,
                    user=None,
                    refusal="Your email address belongs to an account at another organisation. "
                    "Ask your scheme administrator.",
                    reason="email belongs to another organisation's account",
                )
            if user is not None and hasattr(user, "provider_identity"):
                return _refused(
                    organisation,
                    user=user,
                    refusal="This account is linked to a different account at your provider.",
                    reason="account already linked to another subject",
                )
        if role is None:
            if user is not None and user.is_active:
                _deactivate(user, reason="no group maps to a role")
            return _refused(
                organisation,
                user=user,
                refusal="Your organisation has not given you access to Diversion. If you need it, "
                "ask your IT service desk to add you to the right group.",
                reason=f"no group maps to a role (groups: {', '.join(groups) or 'none'})",
            )
        if user is None:
            if not email:
                return _refused(
                    organisation,
                    user=None,
                    refusal="Your organisation's sign-in service did not send your email address.",
                    reason="no email claim",
                )
            user = _user_create(identity_provider, claims, email=email, role=role)
        else:
            _user_update(user, role=role)
        if identity is None:
            identity = ProviderIdentity.objects.create(
                user=user, identity_provider=identity_provider, subject=subject, groups=groups
            )
            audit_record(
                actor=Actor.of(user),
                action=AuditAction.CREATE,
                obj=identity,
                changes={"identity_provider_id": identity_provider.pk},
            )
        elif identity.groups != groups:
            identity.groups = groups
            identity.save(update_fields=["groups"])
        device, _ = ProviderDevice.objects.get_or_create(
            user=user,
            name=f"Single sign-on: {identity_provider.display_name}"[:64],
            defaults={"confirmed": True},
        )
    return SignInOutcome(user=user, device=device)


def _refused(
    organisation: Organisation, *, user: User | None, refusal: str, reason: str
) -> SignInOutcome:
    sign_in_refused_record(organisation=organisation, user=user, reason=reason)
    return SignInOutcome(user=None, refusal=refusal, reason=reason)


def sign_in_refused_record(
    *, organisation: Organisation | None, user: User | None, reason: str
) -> None:
    """The audit row of a refused sign-in at a provider (call inside a transaction)."""
    audit_record(
        actor=Actor(label="anonymous", organisation=organisation),
        action=AuditAction.SIGN_IN_FAILED,
        obj=user,
        object_type="accounts.User",
        reason=f"{SOURCE}: {reason}"[:300],
    )


def _user_create(
    provider: IdentityProvider, claims: dict[str, Any], *, email: str, role: str
) -> User:
    name = str(claims.get("name") or email.partition("@")[0])[:150]
    user = User.objects.create_user(
        email=email, password=None, full_name=name, role=role, organisation=provider.organisation
    )
    audit_record(
        actor=Actor.of(user),
        action=AuditAction.CREATE,
        obj=user,
        reason=f"first sign-in at the {SOURCE}",
        changes={"role": role, "organisation_id": provider.organisation_id, "source": SOURCE},
    )
    return user


def _user_update(user: User, *, role: str) -> None:
    changes: dict[str, Any] = {}
    if user.role != role:
        changes["role"] = [user.role, role]
        user.role = role
    if not user.is_active:
        changes["is_active"] = [False, True]
        user.is_active = True
    if changes:
        user.save(update_fields=["role", "is_active"])
        audit_record(
            actor=Actor.of(user),
            action=AuditAction.UPDATE,
            obj=user,
            reason=f"groups at the {SOURCE}",
            changes=changes,
        )


def _deactivate(user: User, *, reason: str) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=Actor(label="system"),
        action=AuditAction.UPDATE,
        obj=user,
        reason=f"{SOURCE}: {reason}",
        changes={"is_active": [True, False]},
    )


def sign_in_recorded(*, user: User, identity_provider: IdentityProvider) -> None:
    with transaction.atomic():
        sign_in_record(
            user=user, action=AuditAction.SIGN_IN, reason=f"at the {SOURCE} {identity_provider.pk}"
        )
