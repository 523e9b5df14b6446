"""The schemes pages in the service navigation, on the home pages and the home page's list of
the user's schemes (core's registries; order numbers: docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from diversion.core.home import HomeSection, Task, home_section_register, home_tasks_register
from diversion.core.navigation import NavItem, nav_register
from diversion.core.roles import Role
from diversion.schemes.selectors import schemes_for_user


def _your_schemes(request: HttpRequest) -> Mapping[str, Any]:
    return {"schemes": list(schemes_for_user(user=request.user))}


def menus_register() -> None:
    nav_register(NavItem(label="Schemes", url_name="schemes:list", order=140))
    # Organisations and local authorities are reached from the schemes page and the home page:
    # the administrator's header is long enough.
    nav_register(
        NavItem(
            label="Audit log",
            url_name="audit:event-list",
            order=160,
            roles=frozenset({Role.SCHEME_ADMIN}),
        )
    )
    # A scheme administrator's tasks: accounts' "Manage users" is 20.
    home_tasks_register(
        Role.SCHEME_ADMIN,
        Task(
            title="Set up a scheme",
            description="Its code, police force, provider, commissioner, local authorities and "
            "go-live date; then its policy and its people.",
            url_name="schemes:create",
            order=5,
        ),
    )
    home_tasks_register(
        Role.SCHEME_ADMIN,
        Task(
            title="Organisations and local authorities",
            description="Forces, providers, commissioners' offices and evaluation teams, their "
            "single sign-on, and the local authorities with their ONS codes.",
            url_name="organisations:list",
            order=15,
        ),
    )
    home_tasks_register(
        Role.SCHEME_ADMIN,
        Task(
            title="Check your schemes' policy",
            description="Eligibility, deadlines, course types and funding.",
            url_name="schemes:list",
            order=10,
        ),
    )
    home_tasks_register(
        Role.SCHEME_ADMIN,
        Task(
            title="Review the audit log",
            description="Who read or changed personal records and scheme policy.",
            url_name="audit:event-list",
            order=30,
        ),
    )
    # Every role's, after its own (left out where the role already has the same page).
    home_tasks_register(
        None,
        Task(
            title="Read your scheme's policy",
            description="What the scheme accepts, its deadlines and its course types.",
            url_name="schemes:list",
            order=10,
        ),
    )
    home_section_register(
        HomeSection(template_name="schemes/home_schemes.html", context=_your_schemes, order=10)
    )
