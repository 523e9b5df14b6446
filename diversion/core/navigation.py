"""The service navigation, filtered by the signed-in user's role.

Core knows no other app's pages: each app registers its items from its `AppConfig.ready()` with
`nav_register` (in its `menus.py`), and the items show in `order`, lowest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True, kw_only=True)
class NavItem:
    label: str
    url_name: str
    order: int
    roles: frozenset[str] | None = None  # None: every role


_ITEMS: dict[str, NavItem] = {}


def nav_register(item: NavItem) -> None:
    """Add an item to the navigation; registering the same `url_name` again replaces it."""
    _ITEMS[item.url_name] = item


def nav_items() -> list[NavItem]:
    """Every registered item, in order (ties keep the order they were registered in)."""
    return sorted(_ITEMS.values(), key=lambda item: item.order)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    role = getattr(request.user, "role", "")
    items = []
    for item in nav_items():
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
