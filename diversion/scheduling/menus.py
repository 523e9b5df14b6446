"""The scheduling pages in the service navigation and on the home pages of workers and provider
managers (core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    nav_register(
        NavItem(
            label="Your day", url_name="scheduling:day", order=90, roles=frozenset({Role.WORKER})
        )
    )
    nav_register(
        NavItem(
            label="Team today",
            url_name="scheduling:team",
            order=100,
            roles=frozenset({Role.PROVIDER_MANAGER}),
        )
    )
    home_tasks_register(
        Role.PROVIDER_MANAGER,
        Task(
            title="Your team today",
            description=(
                "Every worker's calls, calls to reassign, missed calls and unassigned cases."
            ),
            url_name="scheduling:team",
            order=10,
        ),
    )
    home_tasks_register(
        Role.PROVIDER_MANAGER,
        Task(
            title="Rotas and time away",
            description="Workers' weekly hours, leave, training and sickness.",
            url_name="scheduling:rotas",
            order=20,
        ),
    )
    home_tasks_register(
        Role.WORKER,
        Task(
            title="Your day",
            description=(
                "Today's calls in time order, missed calls to follow up, unassigned and overdue "
                "cases."
            ),
            url_name="scheduling:day",
            order=10,
        ),
    )
