"""What each role is asked to do next on its home page, and the sections below the tasks.

Core knows no other app's pages: each app registers its tasks (`home_tasks_register`) and home
page sections (`home_section_register`) from its `AppConfig.ready()`, in its `menus.py`. A
task whose URL does not exist is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString


@dataclass(frozen=True, kw_only=True)
class Task:
    title: str
    description: str
    url_name: str
    order: int


@dataclass(frozen=True, kw_only=True)
class HomeSection:
    """A part of the home page below the tasks: a template rendered with `context(request)`."""

    template_name: str
    context: Callable[[HttpRequest], Mapping[str, Any]]
    order: int


# role -> url name -> task; the role None holds the tasks every role sees after its own.
_TASKS: dict[str | None, dict[str, Task]] = {}
_SECTIONS: dict[str, HomeSection] = {}


def home_tasks_register(role: str | None, task: Task) -> None:
    """Offer `task` on the home page of `role` (None: every role, after the role's own tasks).
    Registering the same role and `url_name` again replaces the task."""
    _TASKS.setdefault(role, {})[task.url_name] = task


def home_section_register(section: HomeSection) -> None:
    """Show `section` on every home page, below the tasks, in `order`; registering the same
    template again replaces it."""
    _SECTIONS[section.template_name] = section


def _in_order(tasks: dict[str, Task] | None) -> list[Task]:
    return sorted((tasks or {}).values(), key=lambda task: task.order)


def home_tasks(*, user: Any) -> list[dict[str, str]]:
    tasks: list[dict[str, str]] = []
    for task in _in_order(_TASKS.get(user.role)) + _in_order(_TASKS.get(None)):
        try:
            url = reverse(task.url_name)
        except NoReverseMatch:
            continue
        if any(existing["url"] == url for existing in tasks):
            continue
        tasks.append({"title": task.title, "description": task.description, "url": url})
    return tasks


def home_sections(request: HttpRequest) -> list[SafeString]:
    """Every registered section, rendered for this request, in order."""
    sections = sorted(_SECTIONS.values(), key=lambda section: section.order)
    return [
        render_to_string(section.template_name, dict(section.context(request)), request=request)
        for section in sections
    ]
