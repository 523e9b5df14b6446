from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from diversion.reference.loader import load_reference_data

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/referrals/",
    "/api/v1/referrals/{reference}/",
    "/api/v1/slots/",
    "/api/v1/eligibility-checks/",
    "/api/v1/notices/",
    "/api/v1/notices/{id}/acknowledge/",
}


def test_the_openapi_document_validates_without_warnings(tmp_path: Path) -> None:
    # The code lists fill the ethnicity choices; without them (a transactional test elsewhere
    # flushed them, or a test left one list partly filled) two fields can share one choice set
    # under two names, and spectacular warns. Reload them, as `migrate` does.
    load_reference_data()
    target = tmp_path / "openapi.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(target),
    )
    document = json.loads(target.read_text())
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == PATHS
    for path in document["paths"].values():
        for operation in path.values():
            assert operation["security"] == [{"apiKey": []}]
            problem = operation["responses"]["401"]["content"]
            assert problem == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }


def test_no_address_carries_personal_data_only_references_ids_and_paging() -> None:
    document = json.loads(Client().get("/api/v1/schema/").content)
    in_address = {
        (parameter["in"], parameter["name"])
        for path in document["paths"].values()
        for operation in path.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] in ("path", "query")
    }
    assert in_address == {
        ("path", "reference"),
        ("path", "id"),
        ("query", "after"),
        ("query", "limit"),
        ("query", "kind"),
        ("query", "acknowledged"),
    }


def test_the_document_is_served_to_anyone_without_a_key() -> None:
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert set(json.loads(response.content)["paths"]) == PATHS


def test_the_docs_page_lists_every_operation_in_our_own_template_with_nothing_from_a_cdn() -> None:
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-template" in html
    for path in PATHS:
        assert f"<code>{path}</code>" in html
    for anchor in (
        "problem-validation-error",
        "problem-ineligible",
        "problem-idempotency-key-reused",
    ):
        assert f'id="{anchor}"' in html
    external = re.findall(r'(?:src|href)="(https?:)?//[^"]*"', html)
    assert external == []
    assert "swagger" not in html.lower() and "redoc" not in html.lower()


def test_the_problem_types_in_responses_are_documented_on_the_docs_page(api: Any) -> None:
    kind = api.get("/api/v1/slots/", {"after": "x"}).json()["type"]
    path, anchor = kind.split("#")
    page = Client().get(path).content.decode()
    assert f'id="{anchor}"' in page
