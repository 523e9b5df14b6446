"""Reads for API clients: everything is scoped to the client's force. A record of another force
is "not found", never "forbidden", so the API does not reveal that it exists."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from diversion.accounts.models import ApiClient
from diversion.api.models import IdempotencyRecord
from diversion.engagement.models import PoliceNotice
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme

# Database integers are signed 64-bit: a larger id cannot exist.
MAX_ID = 2**63 - 1


def scheme_for_client(*, client: ApiClient) -> Scheme:
    """The active scheme of the client's force: the one its referrals go to."""
    scheme = (
        Scheme.objects.filter(force=client.organisation, is_active=True)
        .select_related("force")
        .order_by("pk")
        .first()
    )
    if scheme is None:
        raise Http404("Your force has no active diversion scheme.")
    return scheme


def referrals_for_client(*, client: ApiClient) -> QuerySet[Referral]:
    return Referral.objects.filter(scheme__force=client.organisation)


def referral_for_client(*, client: ApiClient, reference: str) -> Referral:
    referral = (
        referrals_for_client(client=client)
        .filter(reference=reference)
        .select_related("scheme")
        .first()
    )
    if referral is None:
        raise Http404("No referral of your force has this reference.")
    return referral


def notices_for_client(*, client: ApiClient) -> QuerySet[PoliceNotice]:
    return (
        PoliceNotice.objects.filter(scheme__force=client.organisation)
        .select_related("referral", "referral__person", "scheme")
        .order_by("pk")
    )


def idempotency_record(*, client: ApiClient, key: str) -> IdempotencyRecord | None:
    return (
        IdempotencyRecord.objects.filter(client=client, key=key)
        .select_related("referral", "referral__scheme")
        .first()
    )
