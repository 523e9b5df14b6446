"""Retention in the administrator's navigation and home tasks (order numbers:
docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    nav_register(
        NavItem(
            label="Retention",
            url_name="retention:index",
            order=162,
            roles=frozenset({Role.SCHEME_ADMIN}),
        )
    )
    home_tasks_register(
        Role.SCHEME_ADMIN,
        Task(
            title="Check how long records are kept",
            description=(
                "Retention schedules, the nightly job's runs and dry runs, and the record of "
                "processing for your data protection officer."
            ),
            url_name="retention:index",
            order=40,
        ),
    )
