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
    Role.FACILITATOR: [
        Task(
            "Your sessions",
            "Your course sessions from today, each with its roster and attendance register.",
            "courses:my-sessions",
        ),
    ],
    Role.PROVIDER_MANAGER: [
        Task(
            "Your team today",
            "Every worker's calls, calls to reassign, missed calls and unassigned cases.",
            "scheduling:team",
        ),
        Task(
            "Rotas and time away",
            "Workers' weekly hours, leave, training and sickness.",
            "scheduling:rotas",
        ),
        Task(
            "Cases",
            "Assessments, advice plans, allocations and onward referrals in your schemes.",
            "casework:case-list",
        ),
        Task(
            "Safeguarding concerns",
            "Concerns from assessments routed to you, or to no named lead.",
            "casework:safeguarding",
        ),
        Task(
            "Capacity planning",
            "Referrals per week, people waiting, seats scheduled and the projected wait.",
            "courses:capacity",
        ),
        Task(
            "Course sessions",
            "Schedule sessions, see who is booked and which are full.",
            "courses:session-list",
        ),
        Task(
            "Waiting for a course",
            "Book assessed people onto the next suitable session, or onto the waitlist.",
            "courses:waiting",
        ),
        Task("Course types", "The courses and their modules.", "courses:course-type-list"),
    ],
    Role.WORKER: [
        Task(
            "Your day",
            "Today's calls in time order, missed calls to follow up, unassigned and overdue cases.",
            "scheduling:day",
        ),
        Task(
            "Cases",
            "Assess, advise, allocate and refer on the people referred to your scheme.",
            "casework:case-list",
        ),
        Task(
            "Safeguarding concerns",
            "Concerns from assessments routed to you as safeguarding lead.",
            "casework:safeguarding",
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
    Role.ANALYST: [
        Task(
            "Scheme figures",
            "Referrals, engagement and the board report, by period and local authority.",
            "evaluation:dashboard",
        ),
    ],
    Role.EVALUATOR: [
        Task(
            "Request a pseudonymised extract",
            "One row per referral, with pseudonyms made for each extract and no names.",
            "evaluation:extract",
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
