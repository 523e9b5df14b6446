from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diversion.accounts.roles import Role
from diversion.audit.selectors import audit_events_for_schemes
from diversion.core.access import roles
from diversion.schemes.selectors import schemes_for_user


@roles(Role.SCHEME_ADMIN)
def event_list(request: HttpRequest) -> HttpResponse:
    scheme_ids = list(schemes_for_user(user=request.user).values_list("pk", flat=True))
    events = audit_events_for_schemes(scheme_ids=scheme_ids).order_by("-occurred_at", "-pk")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"page": page})
