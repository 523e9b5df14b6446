from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.engagement.models import NoticeKind
from diversion.engagement.selectors import notices_for_force


@roles(Role.POLICE_SUPERVISOR)
def notice_list(request: HttpRequest) -> HttpResponse:
    """Intelligence logs and engagement outcomes for the supervisor's force: identifiers and
    engagement only, never what the person told the provider."""
    kind = request.GET.get("kind", "")
    if kind not in NoticeKind.values:
        kind = ""
    page = Paginator(notices_for_force(user=request.user, kind=kind), 50).get_page(
        request.GET.get("page")
    )
    shown = [notice.referral_id for notice in page]
    if shown:
        with transaction.atomic():
            audit_record(
                actor=Actor.of(request.user),
                action=AuditAction.READ,
                object_type="engagement.PoliceNotice",
                object_id=f"page {page.number}",
                reason="police supervisor's list of notices",
                changes={"referral_ids": shown},
            )
    context = {"page": page, "kind": kind, "kinds": NoticeKind.choices}
    return render(request, "engagement/notice_list.html", context)
