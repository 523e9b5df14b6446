"""The webhooks pages in the service navigation (core's registry; order numbers:
docs/architecture.md)."""

from __future__ import annotations

from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    nav_register(
        NavItem(
            label="Webhooks",
            url_name="webhooks:list",
            order=170,
            roles=frozenset({Role.SCHEME_ADMIN}),
        )
    )
