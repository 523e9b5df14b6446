"""The API clients' pages in the service navigation and on the scheme administrator's home
page (core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    nav_register(
        NavItem(
            label="API clients",
            url_name="api_clients:list",
            order=165,
            roles=frozenset({Role.SCHEME_ADMIN}),
        )
    )
    home_tasks_register(
        Role.SCHEME_ADMIN,
        Task(
            title="API clients",
            description="Give a force's own systems a key to the API, choose what each may do, "
            "and revoke keys.",
            url_name="api_clients:list",
            order=27,
        ),
    )
