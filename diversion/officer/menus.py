"""The officer's referral pages in the service navigation and on the officer's home page (core's
registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    officer = frozenset({Role.OFFICER})
    nav_register(NavItem(label="Refer", url_name="officer:start", order=20, roles=officer))
    nav_register(NavItem(label="Your referrals", url_name="officer:mine", order=30, roles=officer))
    home_tasks_register(
        Role.OFFICER,
        Task(
            title="Refer a person to diversion",
            description=(
                "Check eligibility, record the outcome and book the telephone assessment at the "
                "scene."
            ),
            url_name="officer:start",
            order=10,
        ),
    )
    home_tasks_register(
        Role.OFFICER,
        Task(
            title="Your referrals",
            description="Whether the people you referred in the last 30 days are engaging.",
            url_name="officer:mine",
            order=20,
        ),
    )
