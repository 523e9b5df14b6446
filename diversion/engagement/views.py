from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diversion.core.access import roles
from diversion.core.roles import Role
from diversion.engagement.models import NoticeKind
from diversion.engagement.selectors import notice_page_for


@roles(Role.POLICE_SUPERVISOR)
def notice_list(request: HttpRequest) -> HttpResponse:
    """Intelligence logs and engagement outcomes for the supervisor's force: identifiers and
    engagement only, never what the person told the provider."""
    kind = request.GET.get("kind", "")
    if kind not in NoticeKind.values:
        kind = ""
    page = notice_page_for(user=request.user, kind=kind, page_number=request.GET.get("page"))
    context = {"page": page, "kind": kind, "kinds": NoticeKind.choices}
    return render(request, "engagement/notice_list.html", context)
