"""The accounts pages in the service navigation and on the scheme administrator's home page
(core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    nav_register(
        NavItem(
            label="Users",
            url_name="accounts:user-list",
            order=150,
            roles=frozenset({Role.SCHEME_ADMIN}),
        )
    )
    nav_register(NavItem(label="Your account", url_name="accounts:account", order=180))
    # A scheme administrator's tasks: after schemes' policy (10), before the audit log (30).
    home_tasks_register(
        Role.SCHEME_ADMIN,
        Task(
            title="Manage users",
            description=(
                "See who works in your schemes and whether they have set up their security code."
            ),
            url_name="accounts:user-list",
            order=20,
        ),
    )
