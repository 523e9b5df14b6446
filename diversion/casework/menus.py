"""The casework pages in the service navigation and on the home pages of workers and provider
managers (core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    nav_register(
        NavItem(
            label="Cases",
            url_name="casework:case-list",
            order=110,
            roles=frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
        )
    )
    # A provider manager's tasks: after scheduling's (10, 20), before courses' (50 on).
    home_tasks_register(
        Role.PROVIDER_MANAGER,
        Task(
            title="Cases",
            description=(
                "Assessments, advice plans, allocations and onward referrals in your schemes."
            ),
            url_name="casework:case-list",
            order=30,
        ),
    )
    home_tasks_register(
        Role.PROVIDER_MANAGER,
        Task(
            title="Safeguarding concerns",
            description="Concerns from assessments routed to you, or to no named lead.",
            url_name="casework:safeguarding",
            order=40,
        ),
    )
    # A worker's tasks: after scheduling's day (10).
    home_tasks_register(
        Role.WORKER,
        Task(
            title="Cases",
            description="Assess, advise, allocate and refer on the people referred to your scheme.",
            url_name="casework:case-list",
            order=20,
        ),
    )
    home_tasks_register(
        Role.WORKER,
        Task(
            title="Safeguarding concerns",
            description="Concerns from assessments routed to you as safeguarding lead.",
            url_name="casework:safeguarding",
            order=30,
        ),
    )
