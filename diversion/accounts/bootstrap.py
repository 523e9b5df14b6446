"""The first scheme administrator of a new deployment (docs/administration.md).

Every other account is invited from the pages by someone already signed in; the first cannot be.
`diversion create_first_admin` makes it once: their organisation (a commissioner's office or a
force), and the administrator with a password they change or keep, and a security code set up at
their first sign-in (every staff page needs it). Refused once any active scheme administrator
exists, so the command cannot be used to add administrators behind the pages' back.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from diversion.accounts.models import User
from diversion.accounts.services import user_create
from diversion.audit.services import Actor
from diversion.core.roles import ROLE_ORGANISATION_KINDS, Role
from diversion.schemes.models import Organisation
from diversion.schemes.organisation_services import organisation_create

BOOTSTRAP = Actor(label="command:create_first_admin")


def first_admin_create(
    *, email: str, full_name: str, password: str, organisation_name: str, organisation_kind: str
) -> User:
    """The organisation (found by name, or set up) and its scheme administrator, in one
    transaction with their audit rows; nothing is saved if any check fails."""
    allowed = ROLE_ORGANISATION_KINDS[Role.SCHEME_ADMIN]
    if organisation_kind not in allowed:
        kinds = " or ".join(sorted(str(kind) for kind in allowed))
        raise ValidationError({"organisation_kind": f"A scheme administrator belongs to a {kinds}"})
    with transaction.atomic():
        if User.objects.filter(role=Role.SCHEME_ADMIN, is_active=True).exists():
            raise ValidationError(
                "A scheme administrator already exists: invite further administrators from the "
                "Users page"
            )
        organisation = Organisation.objects.filter(name__iexact=organisation_name.strip()).first()
        if organisation is None:
            organisation = organisation_create(
                actor=BOOTSTRAP, kind=organisation_kind, name=organisation_name
            )
        elif organisation.kind != organisation_kind:
            raise ValidationError(
                {"organisation_name": f"{organisation.name} is not a {organisation_kind}"}
            )
        user = user_create(
            actor=BOOTSTRAP,
            email=email.strip().lower(),
            full_name=full_name.strip(),
            role=Role.SCHEME_ADMIN,
            organisation=organisation,
            password=None,
        )
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
