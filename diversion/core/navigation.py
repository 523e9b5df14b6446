"""The navigation shown to each role: one table, filtered by the signed-in user's role."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from diversion.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every role


NAVIGATION: list[NavItem] = [
    NavItem("Home", "core:home"),
    NavItem("Refer", "referrals:start", frozenset({Role.OFFICER})),
    NavItem("Your referrals", "referrals:mine", frozenset({Role.OFFICER})),
    NavItem("Outcomes", "engagement:notices", frozenset({Role.POLICE_SUPERVISOR})),
    NavItem("Your sessions", "courses:my-sessions", frozenset({Role.FACILITATOR})),
    NavItem("Waiting for a course", "courses:waiting", frozenset({Role.WORKER})),
    NavItem("Courses", "courses:session-list", frozenset({Role.PROVIDER_MANAGER})),
    NavItem("Capacity", "courses:capacity", frozenset({Role.PROVIDER_MANAGER})),
    NavItem("Your day", "scheduling:day", frozenset({Role.WORKER})),
    NavItem("Team today", "scheduling:team", frozenset({Role.PROVIDER_MANAGER})),
    NavItem("Cases", "casework:case-list", frozenset({Role.WORKER, Role.PROVIDER_MANAGER})),
    NavItem(
        "Figures",
        "evaluation:dashboard",
        frozenset({Role.ANALYST, Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    ),
    NavItem("Extract", "evaluation:extract", frozenset({Role.EVALUATOR})),
    NavItem("Schemes", "schemes:list"),
    NavItem("Users", "accounts:user-list", frozenset({Role.SCHEME_ADMIN})),
    NavItem("Audit log", "audit:event-list", frozenset({Role.SCHEME_ADMIN})),
    NavItem("Webhooks", "webhooks:list", frozenset({Role.SCHEME_ADMIN})),
    NavItem("Your account", "accounts:account"),
]


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    role = getattr(request.user, "role", "")
    items = []
    for item in NAVIGATION:
        if item.roles is not None and role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": False})
    # The item whose address is the longest prefix of this page is the current one.
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(str(i["url"])))
    ]
    if matches:
        max(matches, key=lambda i: len(str(i["url"])))["active"] = True
    return items
