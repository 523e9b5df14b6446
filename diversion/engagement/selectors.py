from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from diversion.engagement.models import PoliceNotice


def notices_for_force(*, user: Any, kind: str = "") -> QuerySet[PoliceNotice]:
    """The notices of the user's force's schemes, newest first."""
    notices = PoliceNotice.objects.filter(scheme__force=user.organisation).select_related(
        "referral", "referral__person", "scheme"
    )
    if kind:
        notices = notices.filter(kind=kind)
    return notices.order_by("-created_at", "-pk")
