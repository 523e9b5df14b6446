"""Inviting a user by email: a single-use link that expires (docs/administration.md).

The link carries a random token; only its hash is stored, so a copy of the database opens no
account. A token is used once (its invitation moves from pending to accepted, under a row lock),
and a newer invitation for the same person withdraws the older one. Opening the link changes
nothing: email scanners open links too. Setting the password (or choosing the organisation's
provider) is the use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from diversion.accounts.models import IdentityProvider, Invitation, InvitationStatus, User
from diversion.accounts.services import user_create
from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.schemes.models import Organisation

INVITATION_VALID = dt.timedelta(days=7)
# What an invitation may move to from each status: one table, checked under a row lock.
TRANSITIONS: dict[str, set[str]] = {
    InvitationStatus.PENDING: {InvitationStatus.ACCEPTED, InvitationStatus.WITHDRAWN},
    InvitationStatus.ACCEPTED: set(),
    InvitationStatus.WITHDRAWN: set(),
}
LINK_REFUSED = "This link has expired or has already been used"


class InvitationRefused(Exception):
    """The link is unknown, used, withdrawn or expired; `reason` is for the audit row."""

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


@dataclass(frozen=True)
class Opened:
    invitation: Invitation
    provider: IdentityProvider | None  # set: the person signs in at their organisation's


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _provider_of(organisation_id: int) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(organisation_id=organisation_id, is_active=True).first()


def _issue(*, actor: Actor, user: User, link_for: Callable[[str], str]) -> Invitation:
    """A new pending invitation (older pending ones withdrawn); the email goes on commit."""
    token = secrets.token_urlsafe(32)
    withdrawn = Invitation.objects.filter(user=user, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.WITHDRAWN
    )
    invitation = Invitation.objects.create(
        user=user,
        token_hash=token_hash(token),
        invited_by=actor.user,
        expires_at=timezone.now() + INVITATION_VALID,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=invitation,
        reason="invitation sent",
        changes={"user_id": user.pk, "expires_at": invitation.expires_at, "withdrawn": withdrawn},
    )
    link = link_for(token)
    provider = _provider_of(user.organisation_id)
    transaction.on_commit(lambda: _email(user, link, provider), robust=True)
    return invitation


def _email(user: User, link: str, provider: IdentityProvider | None) -> None:
    context = {
        "user": user,
        "link": link,
        "provider": provider,
        "days": INVITATION_VALID.days,
        "service": settings.SERVICE_NAME,
    }
    send_mail(
        subject=f"You have been invited to {settings.SERVICE_NAME}",
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def user_invite(
    *,
    actor: Actor,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation,
    link_for: Callable[[str], str],
) -> Invitation:
    """Create the account without a password (nobody can sign in to it yet) and send the link.

    `link_for(token)` makes the absolute address of the link. The role must be one the
    organisation may hold and the address new (checked by `user_create`).
    """
    with transaction.atomic():
        user = user_create(
            actor=actor,
            email=email.strip().lower(),
            full_name=full_name,
            role=role,
            organisation=organisation,
            password=None,
        )
        return _issue(actor=actor, user=user, link_for=link_for)


def invitation_resend(*, actor: Actor, user: User, link_for: Callable[[str], str]) -> Invitation:
    """A new link for someone who has not set up their account; the old link stops working."""
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        if locked.has_usable_password() or hasattr(locked, "provider_identity"):
            raise ValidationError("They have already set up their account")
        if not locked.is_active:
            raise ValidationError("Reactivate the account before inviting them again")
        return _issue(actor=actor, user=locked, link_for=link_for)


def _pending(token: str, *, lock: bool) -> Invitation:
    rows = Invitation.objects.select_related("user", "user__organisation")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationRefused("unknown link")
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationRefused(f"link {invitation.status}", invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused("link expired", invitation)
    if not invitation.user.is_active:
        raise InvitationRefused("account deactivated", invitation)
    return invitation


def invitation_open(*, token: str) -> Opened:
    """The pending invitation of this link, without changing anything (InvitationRefused)."""
    invitation = _pending(token, lock=False)
    return Opened(invitation=invitation, provider=_provider_of(invitation.user.organisation_id))


def _accept(invitation: Invitation, reason: str) -> None:
    if InvitationStatus.ACCEPTED not in TRANSITIONS[invitation.status]:
        raise InvitationRefused(f"link {invitation.status}", invitation)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.save(update_fields=["status"])
    audit_record(
        actor=Actor.of(invitation.user),
        action=AuditAction.UPDATE,
        obj=invitation,
        reason=reason,
        changes={"status": [InvitationStatus.PENDING, InvitationStatus.ACCEPTED]},
    )


def invitation_accept_with_password(*, token: str, password: str) -> User:
    """Set the invitee's password and use the link up. The security code is set up next, on
    the usual page. ValidationError for a weak password: the link stays usable."""
    with transaction.atomic():
        invitation = _pending(token, lock=True)
        if _provider_of(invitation.user.organisation_id) is not None:
            raise InvitationRefused("organisation signs in at its provider", invitation)
        user = invitation.user
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        _accept(invitation, "invitation used: password set")
    return user


def invitation_accept_at_provider(*, token: str) -> tuple[User, IdentityProvider]:
    """Use the link up for someone whose organisation signs in at its provider: the account is
    linked at their first sign-in there (accounts/sso.py), with the role from their groups."""
    with transaction.atomic():
        invitation = _pending(token, lock=True)
        provider = _provider_of(invitation.user.organisation_id)
        if provider is None:
            raise InvitationRefused("organisation has no provider", invitation)
        _accept(invitation, "invitation used: signing in at the identity provider")
    return invitation.user, provider


def invitation_refusal_record(*, refused: InvitationRefused) -> None:
    """The audit row of a refused link: nothing else changes."""
    user = refused.invitation.user if refused.invitation else None
    with transaction.atomic():
        audit_record(
            actor=Actor(label="anonymous"),
            action=AuditAction.SIGN_IN_FAILED,
            obj=user,
            object_type="accounts.User",
            reason=f"invitation: {refused.reason}",
        )
