"""The engagement pages in the service navigation and on the police supervisor's home page
(core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    nav_register(
        NavItem(
            label="Outcomes",
            url_name="engagement:notices",
            order=40,
            roles=frozenset({Role.POLICE_SUPERVISOR}),
        )
    )
    home_tasks_register(
        Role.POLICE_SUPERVISOR,
        Task(
            title="Outcomes and intelligence logs",
            description=(
                "Who engaged, who completed, and who did not engage (not offered diversion again)."
            ),
            url_name="engagement:notices",
            order=10,
        ),
    )
