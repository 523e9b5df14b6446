"""Writes for accounts: users, second factors and API clients. Each is audited."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from diversion.accounts import selectors
from diversion.accounts.models import ApiClient, User
from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.roles import ROLE_ORGANISATION_KINDS, Role
from diversion.schemes.models import Organisation

BACKUP_CODE_COUNT = 10
API_SCOPES = {
    "referrals:write": "Create referrals",
    "referrals:read": "Read referrals' status and history",
    "slots:read": "List available assessment slots",
    "eligibility:read": "Check a person's eligibility",
    "outcomes:read": "Read intelligence logs and engagement outcomes",
    "outcomes:acknowledge": "Acknowledge intelligence logs and outcomes",
}


def check_role_fits_organisation(role: str, organisation: Organisation) -> None:
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise ValidationError(
            {
                "role": f"A {Role(role).label.lower()} cannot belong to "
                f"a {organisation.get_kind_display().lower()}"
            }
        )


def user_create(
    *,
    actor: Actor,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation,
    password: str | None,
    is_demo: bool = False,
) -> User:
    check_role_fits_organisation(role, organisation)
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": "A user with this email address already exists"})
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            role=role,
            organisation=organisation,
            is_demo=is_demo,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=user,
            changes={"role": role, "organisation_id": organisation.pk, "is_demo": is_demo},
        )
    return user


def totp_device_for_set_up(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def backup_codes_replace(*, user: User, actor: Actor) -> list[str]:
    """New single-use backup codes; any old ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
        device.token_set.all().delete()
        codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=user, changes={"backup_codes": "replaced"}
        )
    return codes


def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator if the code is right; returns the first backup codes."""
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        audit_record(actor=Actor.of(user), action=AuditAction.SECOND_FACTOR_SET_UP, obj=user)
        return backup_codes_replace(user=user, actor=Actor.of(user))


def api_client_create(
    *, actor: Actor, organisation: Organisation, name: str, scopes: list[str]
) -> tuple[ApiClient, str]:
    """Returns the client and its secret; the secret is not stored and cannot be shown again."""
    if organisation.kind != "force":
        raise ValidationError({"organisation": "API clients belong to a police force"})
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown or not scopes:
        raise ValidationError({"scopes": f"Choose known scopes (unknown: {', '.join(unknown)})"})
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(
            organisation=organisation,
            name=name,
            key_id=f"dvk_{secrets.token_hex(8)}",
            secret_hash=ApiClient.hash_secret(secret),
            scopes=sorted(set(scopes)),
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=client, changes={"scopes": client.scopes}
        )
    return client, secret


ADDRESS_REFUSED = "too many wrong passwords from one network address"


def sign_in_address_refused(*, address: str) -> bool:
    """Whether sign-in from `address` is paused: SIGN_IN_ADDRESS_FAILURE_LIMIT wrong passwords
    from it within the cool-off, across any usernames (guessing one password on many accounts
    never reaches an account's own limit). Each refused attempt is audited."""
    failures = selectors.sign_in_failures_from(address=address)
    if failures < settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
        return False
    with transaction.atomic():
        sign_in_record(user=None, action=AuditAction.LOCKED_OUT, reason=ADDRESS_REFUSED)
    return True


def sign_in_record(*, user: Any, action: str, reason: str = "") -> None:
    audit_record(
        actor=Actor.of(user) if user and user.is_authenticated else Actor(label="anonymous"),
        action=action,
        obj=user if user and getattr(user, "pk", None) else None,
        object_type="accounts.User",
        reason=reason,
    )


def _locked_other(actor: Actor, user: User, doing: str) -> User:
    locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if actor.user is not None and locked.pk == actor.user.pk:
        raise ValidationError(f"You cannot {doing} your own account: ask another administrator")
    return locked


def user_role_set(*, actor: Actor, user: User, role: str) -> User:
    """Only a role the user's organisation may hold. Someone who signs in at their provider
    gets the role of their groups again at their next sign-in (accounts/sso.py)."""
    check_role_fits_organisation(role, user.organisation)
    with transaction.atomic():
        locked = _locked_other(actor, user, "change the role of")
        if locked.role != role:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                reason="role set by an administrator",
                changes={"role": [locked.role, role]},
            )
            locked.role = role
            locked.save(update_fields=["role"])
    return locked


def user_second_factor_reset(*, actor: Actor, user: User) -> int:
    """Remove the authenticator and backup codes (a lost phone): the person sets up a new
    authenticator after their password at the next sign-in, and any session verified with the
    old one is no longer verified. Returns the number of devices removed."""
    with transaction.atomic():
        locked = _locked_other(actor, user, "reset the security code of")
        devices = [TOTPDevice.objects.filter(user=locked), StaticDevice.objects.filter(user=locked)]
        removed = sum(found.count() for found in devices)
        for found in devices:
            found.delete()  # a backup-code device takes its codes with it
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            reason="security code reset by an administrator",
            changes={"second_factor": "reset", "devices_removed": removed},
        )
    return removed


def user_active_set(*, actor: Actor, user: User, active: bool) -> User:
    """Deactivate (they can no longer sign in, and their sessions end) or reactivate."""
    with transaction.atomic():
        locked = _locked_other(actor, user, "deactivate" if not active else "reactivate")
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                reason=("reactivated" if active else "deactivated") + " by an administrator",
                changes={"is_active": [not active, active]},
            )
    return locked


def api_client_scopes_set(*, actor: Actor, client: ApiClient, scopes: list[str]) -> ApiClient:
    """Change what a client may do; the key stays the same."""
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown or not scopes:
        raise ValidationError({"scopes": f"Choose known scopes (unknown: {', '.join(unknown)})"})
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update(of=("self",)).get(pk=client.pk)
        chosen = sorted(set(scopes))
        if locked.scopes != chosen:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=locked,
                changes={"scopes": [locked.scopes, chosen]},
            )
            locked.scopes = chosen
            locked.save(update_fields=["scopes"])
    return locked


def password_change(*, user: User, current: str, new: str) -> User:
    """A local account's own new password, checked against the current one and the password
    rules; audited. Someone who signs in at their organisation's provider has no password here."""
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        if hasattr(locked, "provider_identity") or not locked.has_usable_password():
            raise ValidationError("Your organisation's sign-in manages your password")
        if not locked.check_password(current):
            raise ValidationError({"current_password": "Your current password is not right"})
        if new == current:
            raise ValidationError(
                {"new_password": "The new password must be different from the current one"}
            )
        try:
            validate_password(new, locked)
        except ValidationError as weak:
            raise ValidationError({"new_password": weak.messages}) from weak
        locked.set_password(new)
        locked.save(update_fields=["password"])
        audit_record(
            actor=Actor.of(locked), action=AuditAction.UPDATE, obj=locked, reason="password changed"
        )
    return locked
