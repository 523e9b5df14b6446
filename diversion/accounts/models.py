"""Users sign in with their email address; each belongs to one organisation in one role."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django_otp.models import Device

from diversion.core.fields import EncryptedTextField
from diversion.core.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        raise ValueError(
            "Diversion has no superusers: create a scheme administrator with `create_user`."
        )


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "schemes.Organisation", on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_demo = models.BooleanField(
        default=False, help_text="Demo accounts; production refuses to start while any exist."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        return False

    def is_verified(self) -> bool:
        """Replaced per request by django-otp's middleware; unverified until then."""
        return False

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ApiClient(models.Model):
    """A police system's credentials: scoped to one force, with named scopes.

    Only a hash of the secret is kept; the secret is shown once, when the client is created.
    """

    organisation = models.ForeignKey(
        "schemes.Organisation", on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(max_length=120)
    key_id = models.CharField(max_length=24, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def check_secret(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_hash, self.hash_secret(secret))


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect provider (a force's Entra ID): its people sign in there.

    The endpoints and signing keys are read from the issuer's discovery document when the
    provider is saved (`identity.identity_provider_save`); the keys again whenever a token names
    a key not yet seen (`identity.provider_keys`), so the provider can rotate keys at any time.
    """

    organisation = models.OneToOneField(
        "schemes.Organisation", on_delete=models.PROTECT, related_name="identity_provider"
    )
    display_name = models.CharField(max_length=120, help_text='"Sign in with <display name>"')
    issuer = models.URLField(max_length=300, unique=True)
    client_id = models.CharField(max_length=200)
    client_secret = EncryptedTextField()
    scopes = models.CharField(max_length=300, default="openid email profile")
    groups_claim = models.CharField(max_length=100, default="groups")
    email_domains = models.JSONField(
        default=list, help_text="People with these email domains are sent to the provider."
    )
    is_active = models.BooleanField(default=True)
    authorization_endpoint = models.URLField(max_length=500)
    token_endpoint = models.URLField(max_length=500)
    jwks_uri = models.URLField(max_length=500)
    end_session_endpoint = models.URLField(max_length=500, blank=True)
    token_auth_method = models.CharField(max_length=40, default="client_secret_basic")
    jwks = models.JSONField(default=dict)
    jwks_fetched_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class GroupRole(models.Model):
    """One provider group and the Diversion role its members get (roles from groups)."""

    identity_provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="group_roles"
    )
    group = models.CharField(max_length=200, help_text="As the provider sends it (name or id)")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["group"]
        constraints = [
            models.UniqueConstraint(
                fields=["identity_provider", "group"], name="group_role_one_role_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} -> {self.role}"


class ProviderIdentity(models.Model):
    """Which provider account (issuer and subject) a user is: the link made at first sign-in."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="provider_identity")
    identity_provider = models.ForeignKey(
        IdentityProvider, on_delete=models.PROTECT, related_name="identities"
    )
    subject = models.CharField(max_length=255)
    groups = models.JSONField(default=list)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identity_provider", "subject"], name="provider_identity_unique_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identity_provider}: {self.subject}"


class ProviderDevice(Device):
    """The second factor of a user who signs in at their organisation's provider: the provider
    vouches for it (decision 0017). It never accepts a code typed here."""

    def verify_token(self, token: Any) -> bool:
        return False


class AccessReview(models.Model):
    """A quarterly confirmation of who holds which role in a scheme, by a scheme administrator
    (every organisation of the scheme) or a provider manager (their own organisation), with the
    list as they saw it."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "schemes.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The one organisation reviewed; empty: all of the scheme's.",
    )
    quarter = models.CharField(max_length=7, help_text="2026-Q4")
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)
    users = models.JSONField(default=list)

    class Meta:
        ordering = ["-confirmed_at"]
        # Two partial constraints rather than NULLS NOT DISTINCT, which SQLite lacks.
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "organisation", "quarter"],
                condition=models.Q(organisation__isnull=False),
                name="access_review_once_a_quarter",
            ),
            models.UniqueConstraint(
                fields=["scheme", "quarter"],
                condition=models.Q(organisation__isnull=True),
                name="access_review_scheme_once_a_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.quarter}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be used"
    ACCEPTED = "accepted", "Used"
    WITHDRAWN = "withdrawn", "Replaced by a newer invitation"


class Invitation(models.Model):
    """A single-use link to set up an invited user's account (accounts/invitations.py).

    Only a hash of the link's token is kept, as for API keys: the link is in the email alone.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values),
                name="invitation_status_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.status})"
