from __future__ import annotations

import datetime as dt
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from diversion.accounts.models import Invitation, InvitationStatus, User
from diversion.audit.services import Actor, audit_read
from diversion.schemes.models import Organisation, Scheme
from diversion.schemes.selectors import schemes_for_user


def demo_accounts() -> QuerySet[User]:
    return (
        User.objects.filter(is_demo=True, is_active=True)
        .select_related("organisation")
        .order_by("role", "email")
    )


def sign_in_failures_from(*, address: str, now: dt.datetime | None = None) -> int:
    """Wrong passwords from `address` within django-axes' cool-off, whatever the usernames:
    axes records each failure with the client's address (`core.proxies.client_address`)."""
    if not address:
        return 0
    cool_off = get_cool_off() or dt.timedelta(0)
    since = (now or timezone.now()) - cool_off
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def _organisation_ids(user: Any) -> set[int]:
    schemes: QuerySet[Scheme] = schemes_for_user(user=user)
    organisation_ids: set[int] = set()
    for scheme in schemes.prefetch_related("evaluators"):
        organisation_ids.update({scheme.force_id, scheme.provider_id, scheme.commissioner_id})
        organisation_ids.update(e.pk for e in scheme.evaluators.all())
    return organisation_ids


def organisations_administered(*, user: Any) -> list[Organisation]:
    """Every organisation of the administrator's schemes: the ones they may invite into."""
    return list(Organisation.objects.filter(pk__in=_organisation_ids(user)).order_by("name"))


def users_visible_to(*, user: Any) -> QuerySet[User]:
    """Scheme administrators see the users of every organisation in their schemes."""
    return User.objects.filter(organisation_id__in=_organisation_ids(user)).select_related(
        "organisation"
    )


def users_for_admin_list(*, user: Any) -> QuerySet[User]:
    """With whether each still has an invitation waiting (no password set yet)."""
    pending = Invitation.objects.filter(user=OuterRef("pk"), status=InvitationStatus.PENDING)
    return (
        users_visible_to(user=user)
        .annotate(invited=Exists(pending))
        .order_by("organisation__name", "full_name")
    )


def user_shown(*, viewer: Any, pk: int) -> User:
    """A user the scheme administrator may see (404 otherwise), the read audited."""
    shown = get_object_or_404(users_visible_to(user=viewer), pk=pk)
    audit_read(actor=Actor.of(viewer), obj=shown, reason="user details")
    return shown
