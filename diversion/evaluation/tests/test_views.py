"""The dashboard, its CSV downloads and the evaluator's extract page, through real requests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.core.roles import Role
from diversion.evaluation.tests.dashboard_data import Known, known_referrals


@pytest.fixture
def known(scheme: Any, officer: Any, make_user: Any) -> Known:
    return known_referrals(scheme=scheme, officer=officer, worker=make_user(Role.WORKER, scheme))


def _query(known: Known, **extra: str) -> dict[str, str]:
    return {
        "scheme": known.scheme.code,
        "start_0": str(known.start.day),
        "start_1": str(known.start.month),
        "start_2": str(known.start.year),
        "end_0": str(known.end.day),
        "end_1": str(known.end.month),
        "end_2": str(known.end.year),
        **extra,
    }


def test_the_analyst_sees_the_schemes_figures_and_no_name(known: Known, client_for: Any) -> None:
    response = client_for(Role.ANALYST, known.scheme).get(
        reverse("evaluation:dashboard"), _query(known)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "From referral to completion" in page
    assert "Second Borough" in page
    assert "data-vega-spec" in page
    for referral in known.referrals:
        person = referral.person
        assert person.family_name not in page
        assert referral.reference not in page
    assert "example.org" not in page


def test_every_dashboard_view_is_audited_with_its_filters(known: Known, client_for: Any) -> None:
    client = client_for(Role.ANALYST, known.scheme)
    before = AuditEvent.objects.count()
    client.get(reverse("evaluation:dashboard"), _query(known))
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None
    assert event.object_type == "evaluation.Report"
    assert event.object_id == known.scheme.code
    assert event.changes["from"] == known.start.isoformat()


def test_with_no_filters_the_dashboard_shows_the_last_twelve_months_of_the_first_scheme(
    known: Known, client_for: Any
) -> None:
    response = client_for(Role.SCHEME_ADMIN, known.scheme).get(reverse("evaluation:dashboard"))
    assert response.status_code == 200
    assert response.context["report"].scheme_code == known.scheme.code
    assert response.context["report"].end == dt.date.today()


def test_an_end_before_the_start_is_explained_and_shows_and_audits_nothing(
    known: Known, client_for: Any
) -> None:
    client = client_for(Role.ANALYST, known.scheme)
    before = AuditEvent.objects.count()
    query = _query(known, end_2=str(known.start.year - 1))
    response = client.get(reverse("evaluation:dashboard"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The end of the period must be the same as or after its start" in page
    assert response.context["report"] is None
    assert AuditEvent.objects.count() == before


def test_a_scheme_the_user_cannot_see_is_refused_with_a_message(
    known: Known, other_scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.ANALYST, known.scheme)
    response = client.get(reverse("evaluation:dashboard"), _query(known, scheme=other_scheme.code))
    assert "Choose one of your schemes" in response.content.decode()
    assert response.context["report"] is None


def test_a_local_authority_of_another_scheme_is_refused(
    known: Known, other_scheme: Any, client_for: Any
) -> None:
    foreign = other_scheme.local_authorities.first()
    client = client_for(Role.ANALYST, known.scheme)
    response = client.get(
        reverse("evaluation:dashboard"), _query(known, local_authority=foreign.ons_code)
    )
    assert "Choose a local authority of the scheme" in response.content.decode()
    assert response.context["report"] is None


def test_a_table_downloads_as_csv_with_suppression_and_is_audited_as_an_export(
    known: Known, client_for: Any
) -> None:
    client = client_for(Role.ANALYST, known.scheme)
    response = client.get(
        reverse("evaluation:table-csv"), _query(known, table="referrals_by_substance")
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Main substance", "Referrals"],
        ["Cannabis (herbal or resin)", "[c]"],
        ["Cocaine powder", "[c]"],
    ]
    assert AuditEvent.objects.order_by("-pk").first().action == "export"  # type: ignore[union-attr]


def test_the_local_authority_csv_matches_the_table_on_the_page(
    known: Known, client_for: Any
) -> None:
    client = client_for(Role.PROVIDER_MANAGER, known.scheme)
    response = client.get(
        reverse("evaluation:table-csv"), _query(known, table="referrals_by_local_authority")
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert sorted(rows[1:]) == sorted([[known.first_area.name, "14"], ["Second Borough", "6"]])


def test_an_unknown_table_goes_back_to_the_dashboard(known: Known, client_for: Any) -> None:
    client = client_for(Role.ANALYST, known.scheme)
    response = client.get(reverse("evaluation:table-csv"), _query(known, table="names"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("evaluation:dashboard"))


def test_the_evaluator_downloads_an_extract_without_names_and_it_is_audited(
    known: Known, client_for: Any
) -> None:
    client = client_for(Role.EVALUATOR, known.scheme)
    assert client.get(reverse("evaluation:extract")).status_code == 200
    response = client.post(reverse("evaluation:extract"), _query(known))
    assert response.status_code == 200
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 20
    for private in ("Testperson", "example.org", "+4479", known.referrals[0].reference):
        assert private not in text
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None and event.object_type == "evaluation.Extract"
    assert event.changes["rows"] == 20


def test_a_bad_extract_request_is_explained_and_makes_nothing(
    known: Known, client_for: Any
) -> None:
    client = client_for(Role.EVALUATOR, known.scheme)
    before = AuditEvent.objects.count()
    response = client.post(reverse("evaluation:extract"), _query(known, start_1="13"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "From must be a real date" in page
    assert AuditEvent.objects.count() == before


def test_the_views_name_the_operational_section_as_the_report_does() -> None:
    from diversion.evaluation import report, views

    assert views.OPERATIONAL == report.OPERATIONAL
    assert views.REFUSALS == report.REFUSALS
    assert set(views.SECTIONS_BY_ROLE) == {Role.ANALYST, Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}
