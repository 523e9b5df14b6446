"""What each role is asked to do next on its home page: one table, by role.

Each task names a URL that exists; parts add their tasks here as they are built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from diversion.accounts.roles import Role


@dataclass(frozen=True)
class Task:
    title: str
    description: str
    url_name: str


TASKS: dict[str, list[Task]] = {
    Role.OFFICER: [
        Task(
            "Refer a person to diversion",
            "Check eligibility, record the outcome and book the telephone assessment at the scene.",
            "referrals:start",
        ),
        Task(
            "Your referrals",
            "Whether the people you referred in the last 30 days are engaging.",
            "referrals:mine",
        ),
    ],
    Role.POLICE_SUPERVISOR: [
        Task(
            "Outcomes and intelligence logs",
            "Who engaged, who completed, and who did not engage (not offered diversion again).",
            "engagement:notices",
        ),
    ],
    Role.SCHEME_ADMIN: [
        Task(
            "Check your schemes' policy",
            "Eligibility, deadlines, course types and funding.",
            "schemes:list",
        ),
        Task(
            "Manage users",
            "See who works in your schemes and whether they have set up their security code.",
            "accounts:user-list",
        ),
        Task(
            "Review the audit log",
            "Who read or changed personal records and scheme policy.",
            "audit:event-list",
        ),
    ],
}

DEFAULT_TASKS: list[Task] = [
    Task(
        "Read your scheme's policy",
        "What the scheme accepts, its deadlines and its course types.",
        "schemes:list",
    ),
]


def home_tasks(*, user: Any, schemes: list[Any]) -> list[dict[str, str]]:
    tasks: list[dict[str, str]] = []
    for task in TASKS.get(user.role, []) + DEFAULT_TASKS:
        try:
            url = reverse(task.url_name)
        except NoReverseMatch:
            continue
        if any(existing["url"] == url for existing in tasks):
            continue
        tasks.append({"title": task.title, "description": task.description, "url": url})
    return tasks
