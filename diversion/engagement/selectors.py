from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from diversion.audit.services import Actor, audit_read
from diversion.engagement.models import PoliceNotice

NOTICES_PER_PAGE = 50


def notices_for_force(*, force: Any, kind: str = "") -> QuerySet[PoliceNotice]:
    """The notices of the force's schemes, oldest first (the order the API pages them in)."""
    notices = PoliceNotice.objects.filter(scheme__force=force).select_related(
        "referral", "referral__person", "scheme"
    )
    if kind:
        notices = notices.filter(kind=kind)
    return notices.order_by("pk")


def notice_page_for(*, user: Any, kind: str = "", page_number: Any = None) -> Page[PoliceNotice]:
    """One page of the force's notices, for the police supervisor; the read is audited."""
    page = Paginator(
        notices_for_force(force=user.organisation, kind=kind).order_by("-created_at", "-pk"),
        NOTICES_PER_PAGE,
    ).get_page(page_number)
    shown = [notice.referral_id for notice in page]
    if shown:
        audit_read(
            actor=Actor.of(user),
            object_type="engagement.PoliceNotice",
            object_id=f"page {page.number}",
            reason="police supervisor's list of notices",
            changes={"referral_ids": shown},
        )
    return page
