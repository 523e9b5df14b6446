"""Reads for API clients: everything is scoped to the client's force. A record of another force
is "not found", never "forbidden", so the API does not reveal that it exists. A read of a
personal record handed to the client writes its audit row here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from diversion.accounts.models import ApiClient
from diversion.api.models import IdempotencyRecord
from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.roles import OrganisationKind
from diversion.engagement.models import NoticeKind, PoliceNotice
from diversion.engagement.selectors import notices_for_force
from diversion.referrals.models import Referral
from diversion.referrals.selectors import referrals_for_force
from diversion.schemes.models import Organisation, Scheme
from diversion.schemes.selectors import scheme_for_officer, schemes_for_user

# Database integers are signed 64-bit: a larger id cannot exist.
MAX_ID = 2**63 - 1


def scheme_for_client(*, client: ApiClient) -> Scheme:
    """The active scheme of the client's force: the one its referrals go to."""
    return scheme_for_officer(user=client)


def referrals_for_client(*, client: ApiClient) -> QuerySet[Referral]:
    return referrals_for_force(force=client.organisation)


def reads_record(*, actor: Actor, reads: Sequence[tuple[Any, Any, str]]) -> None:
    """Audit reads of personal records: (record, scheme, reason) each, in one transaction."""
    if not reads:
        return
    with transaction.atomic():
        for obj, scheme, reason in reads:
            audit_record(
                actor=actor, action=AuditAction.READ, obj=obj, scheme=scheme, reason=reason
            )


def referral_for_client(*, client: ApiClient, actor: Actor, reference: str) -> Referral:
    """The force's referral, its status read by the force's system (audited)."""
    referral = (
        referrals_for_client(client=client)
        .filter(reference=reference)
        .select_related("scheme")
        .first()
    )
    if referral is None:
        raise Http404("No referral of your force has this reference.")
    reads_record(
        actor=actor, reads=[(referral, referral.scheme, "status read by the force's system")]
    )
    return referral


def notices_for_client(*, client: ApiClient) -> QuerySet[PoliceNotice]:
    return notices_for_force(force=client.organisation)


def notices_read(*, actor: Actor, notices: Sequence[PoliceNotice]) -> Sequence[PoliceNotice]:
    """A page of notices handed to the force's system, each read audited: the person's
    record for an intelligence log (it carries their identifiers), the notice otherwise."""
    reads_record(
        actor=actor,
        reads=[
            (
                notice.referral.person if notice.kind == NoticeKind.INTELLIGENCE_LOG else notice,
                notice.scheme,
                f"{notice.get_kind_display().lower()} {notice.pk} read by the force's system",
            )
            for notice in notices
        ],
    )
    return notices


def idempotency_record(*, client: ApiClient, key: str) -> IdempotencyRecord | None:
    return (
        IdempotencyRecord.objects.filter(client=client, key=key)
        .select_related("referral", "referral__scheme")
        .first()
    )


def api_clients_for_admin(*, user: Any) -> QuerySet[ApiClient]:
    """The API clients of the forces of a scheme administrator's schemes."""
    force_ids = schemes_for_user(user=user).values("force_id")
    return ApiClient.objects.filter(organisation_id__in=force_ids).select_related("organisation")


def api_client_for_admin(*, user: Any, pk: int) -> ApiClient:
    """404, never 403, for another force's client: its existence is not shown."""
    client = api_clients_for_admin(user=user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if client is None:
        raise Http404("No API client of your forces has this number.")
    return client


def forces_for_admin(*, user: Any) -> QuerySet[Organisation]:
    force_ids = schemes_for_user(user=user).values("force_id")
    return Organisation.objects.filter(kind=OrganisationKind.FORCE, pk__in=force_ids)
