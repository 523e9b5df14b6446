"""The evaluation pages in the service navigation and on the home pages of analysts, evaluators
and scheme administrators (core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    nav_register(
        NavItem(
            label="Figures",
            url_name="evaluation:dashboard",
            order=120,
            roles=frozenset({Role.ANALYST, Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
        )
    )
    nav_register(
        NavItem(
            label="Data imports",
            url_name="evaluation:imports",
            order=125,
            roles=frozenset({Role.ANALYST, Role.SCHEME_ADMIN}),
        )
    )
    nav_register(
        NavItem(
            label="Extract",
            url_name="evaluation:extract",
            order=130,
            roles=frozenset({Role.EVALUATOR}),
        )
    )
    home_tasks_register(
        Role.ANALYST,
        Task(
            title="Scheme figures",
            description=(
                "Referrals, engagement and the board report, by period and local authority."
            ),
            url_name="evaluation:dashboard",
            order=10,
        ),
    )
    home_tasks_register(
        Role.ANALYST,
        Task(
            title="Compare two groups",
            description=(
                "So many of a treated group re-offended against so many of a comparison group: "
                "the difference, its interval, the tests and the risk ratio."
            ),
            url_name="evaluation:compare",
            order=20,
        ),
    )
    for role, order in ((Role.ANALYST, 30), (Role.SCHEME_ADMIN, 45)):
        home_tasks_register(
            role,
            Task(
                title="Import police and ONS data",
                description=(
                    "Offences, crime outcomes, stop and search, population and unit costs, "
                    "from CSV files, for the evaluation's figures."
                ),
                url_name="evaluation:imports",
                order=order,
            ),
        )
    home_tasks_register(
        Role.EVALUATOR,
        Task(
            title="Request a pseudonymised extract",
            description="One row per referral, with pseudonyms made for each extract and no names.",
            url_name="evaluation:extract",
            order=10,
        ),
    )
