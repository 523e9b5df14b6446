"""The information-rights pages in the navigation and on the home pages of the roles that
handle requests and holds (core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role

RIGHTS_ROLES = frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER})


def menus_register() -> None:
    nav_register(
        NavItem(
            label="Information rights",
            url_name="privacy:requests",
            order=155,
            roles=RIGHTS_ROLES,
        )
    )
    for role in sorted(RIGHTS_ROLES):
        home_tasks_register(
            role,
            Task(
                title="Information rights",
                description=(
                    "Subject access, rectification and erasure requests, their deadlines, "
                    "and legal holds."
                ),
                url_name="privacy:requests",
                order=90,
            ),
        )
