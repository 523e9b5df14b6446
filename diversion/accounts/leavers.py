"""Leavers: local accounts nobody signs in to are switched off by the worker, and each quarter a
scheme's administrator (or a provider's manager, for their own staff) confirms who holds which
role. Deactivated users keep their history: nothing here deletes a user, and audit rows hold
their actor with PROTECT.

People who sign in at their organisation's provider leave when the provider drops them from
their groups (`sso.provider_sign_in`); this job leaves them alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from diversion.accounts.models import AccessReview, User
from diversion.audit.models import AuditAction
from diversion.audit.services import SYSTEM, Actor, audit_read, audit_record
from diversion.core.roles import Role
from diversion.schemes.models import Organisation, Scheme

REVIEWERS = frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER})


def inactive_local_accounts(*, now: dt.datetime | None = None) -> QuerySet[User]:
    """Active local accounts not signed in to for INACTIVE_ACCOUNT_DAYS (never signed in: counted
    from when they were made). Demo accounts are left alone."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.INACTIVE_ACCOUNT_DAYS)
    return User.objects.filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff),
        is_active=True,
        is_demo=False,
        provider_identity__isnull=True,
    )


def inactive_accounts_deactivate() -> int:
    """The worker's daily job: deactivates each inactive local account, audited."""
    count = 0
    for pk in list(inactive_local_accounts().values_list("pk", flat=True)):
        with transaction.atomic():
            user = inactive_local_accounts().select_for_update(of=("self",)).filter(pk=pk).first()
            if user is None:  # signed in meanwhile
                continue
            user.is_active = False
            user.save(update_fields=["is_active"])
            audit_record(
                actor=SYSTEM,
                action=AuditAction.UPDATE,
                obj=user,
                reason=f"not signed in for {settings.INACTIVE_ACCOUNT_DAYS} days",
                changes={"is_active": [True, False]},
            )
            count += 1
    return count


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _reviewed_organisation(viewer: Any) -> Organisation | None:
    """A provider manager reviews their own organisation; an administrator, all of them."""
    return None if viewer.role == Role.SCHEME_ADMIN else viewer.organisation


@dataclass(frozen=True)
class ReviewRow:
    user: User
    signs_in_at_provider: bool


def access_review_rows(*, viewer: Any, scheme: Scheme) -> list[ReviewRow]:
    """Who holds which role in the scheme (active or not), the read audited."""
    organisation = _reviewed_organisation(viewer)
    ids = (
        {organisation.pk}
        if organisation is not None
        else {scheme.force_id, scheme.provider_id, scheme.commissioner_id}
        | set(scheme.evaluators.values_list("pk", flat=True))
    )
    users = (
        User.objects.filter(organisation_id__in=ids)
        .select_related("organisation", "provider_identity")
        .order_by("organisation__name", "role", "full_name")
    )
    rows = [ReviewRow(user=u, signs_in_at_provider=hasattr(u, "provider_identity")) for u in users]
    audit_read(
        actor=Actor.of(viewer),
        obj=scheme,
        scheme=scheme,
        reason=f"access review ({len(rows)} users)",
    )
    return rows


def access_review_latest(*, viewer: Any, scheme: Scheme) -> AccessReview | None:
    return (
        AccessReview.objects.filter(scheme=scheme, organisation=_reviewed_organisation(viewer))
        .select_related("confirmed_by")
        .first()
    )


def access_review_confirm(*, viewer: Any, scheme: Scheme, rows: list[ReviewRow]) -> AccessReview:
    """Records that `viewer` confirmed the list this quarter (once a quarter)."""
    quarter = quarter_of(timezone.localdate())
    organisation = _reviewed_organisation(viewer)
    snapshot = [
        {
            "user_id": row.user.pk,
            "role": row.user.role,
            "organisation_id": row.user.organisation_id,
            "is_active": row.user.is_active,
            "last_login": row.user.last_login.isoformat() if row.user.last_login else None,
            "provider": row.signs_in_at_provider,
        }
        for row in rows
    ]
    try:
        with transaction.atomic():
            taken = AccessReview.objects.select_for_update(of=("self",)).filter(
                scheme=scheme, organisation=organisation, quarter=quarter
            )
            if taken.exists():
                raise ValidationError(f"The list for {quarter} has already been confirmed")
            review = AccessReview.objects.create(
                scheme=scheme,
                organisation=organisation,
                quarter=quarter,
                confirmed_by=viewer,
                users=snapshot,
            )
            audit_record(
                actor=Actor.of(viewer),
                action=AuditAction.CREATE,
                obj=review,
                scheme=scheme,
                changes={"quarter": quarter, "users": len(snapshot)},
            )
    except IntegrityError as error:
        raise ValidationError(f"The list for {quarter} has already been confirmed") from error
    return review
