"""Reads, always scoped to what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from diversion.schemes.models import Scheme, schemes_of_organisation_q


def schemes_for_user(*, user: Any) -> QuerySet[Scheme]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scheme.objects.none()
    return (
        Scheme.objects.filter(schemes_of_organisation_q(user.organisation))
        .distinct()
        .select_related("force", "provider", "commissioner")
    )


def scheme_for_user(*, user: Any, code: str) -> Scheme:
    """The scheme with this code, if the user may see it; 404 otherwise (never 403: no leak)."""
    scheme = schemes_for_user(user=user).filter(code=code).first()
    if scheme is None:
        raise Http404("No such scheme.")
    return scheme


def scheme_for_officer(*, user: Any) -> Scheme:
    """The active scheme of the officer's (or police system's) force: the one their referrals
    go to."""
    scheme = (
        Scheme.objects.filter(force_id=user.organisation_id, is_active=True)
        .select_related("force", "provider", "commissioner")
        .order_by("pk")
        .first()
    )
    if scheme is None:
        raise Http404("Your force has no active diversion scheme.")
    return scheme
