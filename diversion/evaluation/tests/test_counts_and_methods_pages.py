"""The counts comparison page and command, and the methods page served inside the product."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from diversion.core.roles import Role
from diversion.evaluation.methods import ANCHORS
from diversion.evaluation.methods_page import methods_html

COUNTS = {
    "treated_n": "120",
    "treated_events": "42",
    "comparison_n": "118",
    "comparison_events": "61",
}


def _welch_per_100() -> tuple[int, int]:
    """Welch's interval from statsmodels on the people's 0/1 outcomes, as whole people."""
    treated = np.r_[np.ones(42), np.zeros(78)]
    comparison = np.r_[np.ones(61), np.zeros(57)]
    low, high = CompareMeans(DescrStatsW(treated), DescrStatsW(comparison)).tconfint_diff(
        usevar="unequal"
    )
    return round(-high * 100), round(-low * 100)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ANALYST, 200), (Role.EVALUATOR, 200), (Role.OFFICER, 403), (Role.WORKER, 403)],
)
def test_who_may_open_the_counts_page(role: str, status: int, client_for: Any, scheme: Any) -> None:
    assert client_for(role, scheme).get(reverse("evaluation:compare")).status_code == status


def test_four_counts_give_the_figures_and_the_justice_data_lab_sentence(
    client_for: Any, scheme: Any
) -> None:
    response = client_for(Role.ANALYST, scheme).get(reverse("evaluation:compare"), COUNTS)
    page = response.content.decode()
    fewer, more = _welch_per_100()
    assert f"between {fewer} and {more} fewer re-offended" in page
    assert "35.0% (42 of 120)" in page and "51.7% (61 of 118)" in page
    assert "Risk ratio" in page and "Newcombe" in page
    assert "p = 0.009" in page
    assert "There is a problem" not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"treated_events": "130"}, "cannot be more than the treated group (120)"),
        ({"comparison_n": "ten"}, "must be a whole number, like 42"),
        ({"treated_n": ""}, "Enter the number of people in the treated group"),
        ({"comparison_n": "0", "comparison_events": "0"}, "must have at least one person"),
        ({"treated_events": "-3"}, "must be 0 or more"),
        ({"treated_n": "9" * 40}, "or fewer"),
    ],
)
def test_bad_counts_get_the_error_summary_not_a_result(
    changes: dict[str, str], message: str, client_for: Any, scheme: Any
) -> None:
    response = client_for(Role.ANALYST, scheme).get(
        reverse("evaluation:compare"), {**COUNTS, **changes}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "Result" not in page.split("</h1>", 1)[1].split("<form", 1)[0]


def test_the_command_prints_the_same_figures() -> None:
    out = io.StringIO()
    call_command("compare_counts", "--treated", "42/120", "--comparison", "61/118", stdout=out)
    fewer, more = _welch_per_100()
    assert f"between {fewer} and {more} fewer re-offended" in out.getvalue()
    with pytest.raises(CommandError, match="from 0 to the group size"):
        call_command("compare_counts", "--treated", "130/120", "--comparison", "61/118")


def test_the_methods_page_has_an_anchor_for_every_figure(client_for: Any, scheme: Any) -> None:
    response = client_for(Role.ANALYST, scheme).get(reverse("evaluation:methods"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l" id="evaluation-methods">Evaluation methods</h1>' in page
    for anchor in {*ANCHORS.values(), "operational-figures", "two-groups-as-counts"}:
        assert f'id="{anchor}"' in page, anchor
    assert "docs/evaluation-methods.md" not in methods_html()[0]
    assert "<script" not in methods_html()[1]
    assert '.md"' not in methods_html()[1]  # no link to a file in the repository
    assert "decision 0015" in methods_html()[1]  # its words stay


def test_months_and_p_values_read_as_people_read_them() -> None:
    from diversion.evaluation.sections_operational import period_label
    from diversion.evaluation.stats._common import p_value_text

    assert period_label("2025-12-01", "month") == "December 2025"
    assert period_label("2025-12-01", "week") == "1 December 2025"
    assert p_value_text(0.00004) == "p < 0.001"
    assert p_value_text(0.0421) == "p = 0.042"


def test_every_table_on_the_dashboard_links_to_its_definition(
    scheme: Any, officer: Any, make_user: Any, client_for: Any
) -> None:
    from django.utils import timezone

    from diversion.evaluation.tests.dashboard_data import known_referrals

    known = known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))
    query = {
        "scheme": known.scheme.code,
        "start_0": str(known.start.day),
        "start_1": str(known.start.month),
        "start_2": str(known.start.year),
        "end_0": str(known.end.day),
        "end_1": str(known.end.month),
        "end_2": str(known.end.year),
    }
    response = client_for(Role.ANALYST, scheme).get(reverse("evaluation:dashboard"), query)
    page = response.content.decode()
    report = response.context["report"]
    methods = reverse("evaluation:methods")
    for table in report.tables():
        assert f'href="{methods}#{table.method}"' in page, table.key
    assert f'<th scope="row" class="govuk-table__header">{timezone.localdate():%B %Y}</th>' in page
    assert "docs/evaluation-methods.md" not in page
