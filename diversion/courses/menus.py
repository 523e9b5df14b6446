"""The courses pages in the service navigation and on the home pages of facilitators and
provider managers (core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from diversion.core.home import Task, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role


def menus_register() -> None:
    manager = frozenset({Role.PROVIDER_MANAGER})
    nav_register(
        NavItem(
            label="Your sessions",
            url_name="courses:my-sessions",
            order=50,
            roles=frozenset({Role.FACILITATOR}),
        )
    )
    nav_register(
        NavItem(
            label="Waiting for a course",
            url_name="courses:waiting",
            order=60,
            roles=frozenset({Role.WORKER}),
        )
    )
    nav_register(NavItem(label="Courses", url_name="courses:session-list", order=70, roles=manager))
    nav_register(NavItem(label="Capacity", url_name="courses:capacity", order=80, roles=manager))

    home_tasks_register(
        Role.FACILITATOR,
        Task(
            title="Your sessions",
            description=(
                "Your course sessions from today, each with its roster and attendance register."
            ),
            url_name="courses:my-sessions",
            order=10,
        ),
    )
    # A provider manager's tasks: scheduling's come first (10, 20), then casework's (30, 40).
    for task in [
        Task(
            title="Capacity planning",
            description=(
                "Referrals per week, people waiting, seats scheduled and the projected wait."
            ),
            url_name="courses:capacity",
            order=50,
        ),
        Task(
            title="Course sessions",
            description="Schedule sessions, see who is booked and which are full.",
            url_name="courses:session-list",
            order=60,
        ),
        Task(
            title="Waiting for a course",
            description=(
                "Book assessed people onto the next suitable session, or onto the waitlist."
            ),
            url_name="courses:waiting",
            order=70,
        ),
        Task(
            title="Course types",
            description="The courses and their modules.",
            url_name="courses:course-type-list",
            order=80,
        ),
    ]:
        home_tasks_register(Role.PROVIDER_MANAGER, task)
