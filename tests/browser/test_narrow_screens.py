"""On a 375 px phone the worker's day, the team view and the capacity page show every column of
their tables without sideways scrolling (each row stacks as a card), and every page keeps all
its content inside landmarks (axe-core's `region` rule), the phase banner included."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, landmark_violations, sign_in_with_a_cookie
from .test_courses import Course, course  # noqa: F401  (fixture)
from .test_workday import World, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def cells_out_of_sight(page: Page) -> list[str]:
    """Each table cell in the main content that is not wholly inside the phone's width, with
    the column it belongs to."""
    out: list[str] = page.evaluate(
        """(width) => {
          const out = [];
          for (const table of document.querySelectorAll('main table')) {
            const heads = [...table.querySelectorAll('thead th')].map((th) => th.innerText.trim());
            for (const row of table.querySelectorAll('tbody tr')) {
              [...row.children].forEach((cell, index) => {
                const box = cell.getBoundingClientRect();
                const seen = box.width > 0 && box.left >= 0 && box.right <= width + 0.5;
                const text = cell.innerText.trim().slice(0, 40);
                if (!seen && text) out.push(`${heads[index] || index}: ${text}`);
              });
            }
          }
          return out;
        }""",
        PHONE["width"],
    )
    return out


def labels_shown(page: Page) -> list[str]:
    """The column names shown above the cells of the first row (drawn by the style sheet)."""
    shown: list[str] = page.evaluate(
        """() => [...document.querySelector('main tbody tr').children].map(
             (cell) => getComputedStyle(cell, '::before').content)"""
    )
    return shown


def test_the_workers_day_shows_every_column_of_a_call_on_a_phone(
    page: Page,
    live_server: Any,
    world: World,  # noqa: F811
) -> None:
    sign_in_with_a_cookie(page, live_server, world.worker)
    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your day")
    assert page.locator("main tbody tr").count() >= 1
    assert cells_out_of_sight(page) == []
    # Each cell says which column it is, as a summary card does.
    assert any("Contact" in label for label in labels_shown(page))
    expect(page.get_by_role("link", name="Open call with Amir Hassan")).to_be_in_viewport()


def test_the_team_view_shows_every_column_on_a_phone(
    page: Page,
    live_server: Any,
    world: World,  # noqa: F811
) -> None:
    sign_in_with_a_cookie(page, live_server, world.manager)
    page.goto(f"{live_server.url}/caseload/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your team today")
    assert page.locator("main tbody tr").count() >= 1
    assert cells_out_of_sight(page) == []


def test_the_capacity_page_shows_every_column_on_a_phone(
    page: Page,
    live_server: Any,
    course: Course,  # noqa: F811
) -> None:
    sign_in_with_a_cookie(page, live_server, course.manager)
    page.goto(f"{live_server.url}/courses/capacity/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity planning")
    assert page.locator("main tbody tr").count() >= 3
    assert cells_out_of_sight(page) == []
    assert any("Projected wait" in label for label in labels_shown(page))


def test_the_phase_banner_and_every_part_of_a_page_sit_inside_landmarks(
    page: Page,
    live_server: Any,
    world: World,  # noqa: F811
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_text("This is a new service")).to_be_visible()
    assert landmark_violations(page) == []
    sign_in_with_a_cookie(page, live_server, world.worker)
    for path in ("/", "/caseload/", f"/caseload/calls/{world.call.pk}/", "/cases/"):
        page.goto(f"{live_server.url}{path}")
        assert landmark_violations(page) == [], path
