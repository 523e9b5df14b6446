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
    home_tasks_register(
        Role.SCHEME_ADMIN,
        Task(
            title="Single sign-on",
            description="Let an organisation's people sign in with their own accounts, and give "
            "roles to its groups.",
            url_name="accounts:identity-providers",
            order=22,
        ),
    )
    # After the day's work for a provider manager; among the administrator's own tasks.
    for role, order in ((Role.SCHEME_ADMIN, 25), (Role.PROVIDER_MANAGER, 95)):
        home_tasks_register(
            role,
            Task(
                title="Review who has access",
                description="Check who holds which role in each scheme and confirm the list "
                "every quarter.",
                url_name="accounts:access-reviews",
                order=order,
            ),
        )
