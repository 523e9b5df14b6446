"""Reads, scoped to the forces an administrator looks after: the forces of their schemes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from diversion.core.roles import OrganisationKind
from diversion.schemes.models import Organisation
from diversion.schemes.selectors import schemes_for_user
from diversion.webhooks.models import WebhookDelivery, WebhookSubscription


def forces_for_admin(*, user: Any) -> QuerySet[Organisation]:
    force_ids = schemes_for_user(user=user).values("force_id")
    return Organisation.objects.filter(kind=OrganisationKind.FORCE, pk__in=force_ids)


def subscriptions_for_admin(*, user: Any) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(
        organisation__in=forces_for_admin(user=user)
    ).select_related("organisation", "created_by")


def deliveries_for_admin(*, user: Any) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(
        subscription__organisation__in=forces_for_admin(user=user)
    ).select_related("subscription", "subscription__organisation")


def subscription_for_admin(*, user: Any, pk: int) -> WebhookSubscription:
    """404, never 403, for another force's subscription: its existence is not shown."""
    return get_object_or_404(subscriptions_for_admin(user=user), pk=pk)


def delivery_for_admin(*, user: Any, pk: int) -> WebhookDelivery:
    return get_object_or_404(deliveries_for_admin(user=user), pk=pk)
