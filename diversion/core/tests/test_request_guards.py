"""Requests no page can use are refused before a view or the database sees them: a NUL once
reached PostgreSQL (a 500), a 10 MB form body was a 500 too."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse

from diversion.core import errors
from diversion.core.request_guards import MAX_URL_LENGTH
from diversion.core.roles import Role
from diversion.schemes.models import FundingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(scheme: Any, client_for: Any) -> Client:
    client: Client = client_for(Role.SCHEME_ADMIN, scheme)
    return client


@pytest.mark.parametrize(
    "path",
    ["/schemes/TV%00/", "/cases/WM-AAAA-22%00/", "/cases/%00/plan/", "/schemes/TV%0A/", "/%7F/"],
)
def test_a_control_character_in_a_page_address_is_not_found(
    scheme: Any, client_for: Any, path: str
) -> None:
    response = client_for(Role.PROVIDER_MANAGER, scheme).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Page not found" in response.content


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/cases/", {"reference": "WM\x00AAA"}),
        ("/cases/", {"stage": "\x00"}),
        ("/courses/sessions/", {"scheme": "TV\x00"}),
        ("/evaluation/", {"scheme": "\x01"}),
        ("/schemes/", {"page": "1\x1b"}),
    ],
)
def test_a_control_character_in_a_query_parameter_is_a_bad_request(
    scheme: Any, client_for: Any, path: str, query: dict[str, str]
) -> None:
    response = client_for(Role.PROVIDER_MANAGER, scheme).get(path, query)
    assert response.status_code == 400
    assert b"control character" in response.content


FUNDING = {
    "funder": "Home Office",
    "source": "home_office",
    "starts_on": "1/4/2026",
    "ends_on": "31/3/2027",
    "amount_pounds": "250000",
}


@pytest.mark.parametrize("field", ["funder", "source", "amount_pounds"])
def test_a_form_value_with_a_nul_is_refused_and_saves_nothing(
    admin: Client, scheme: Any, field: str
) -> None:
    url = reverse("schemes:funding-add", kwargs={"code": scheme.code})
    response = admin.post(url, {**FUNDING, field: f"{FUNDING[field]}\x00"})
    assert response.status_code == 400
    assert f"field “{field}”".encode() in response.content
    assert not FundingPeriod.objects.exists()


def test_text_may_still_hold_tabs_and_new_lines(admin: Client, scheme: Any) -> None:
    url = reverse("schemes:funding-add", kwargs={"code": scheme.code})
    response = admin.post(url, {**FUNDING, "funder": "Home\tOffice\r\ngrant"})
    assert response.status_code == 302
    assert FundingPeriod.objects.get().funder.startswith("Home\tOffice")


def test_a_ten_megabyte_form_is_too_large_not_a_server_error(admin: Client, scheme: Any) -> None:
    url = reverse("schemes:funding-add", kwargs={"code": scheme.code})
    response = admin.post(url, {"label": "x" * (10 * 1024 * 1024)})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"too large" in response.content
    assert not FundingPeriod.objects.exists()


def test_more_fields_than_any_form_has_is_a_bad_request(admin: Client, scheme: Any) -> None:
    url = reverse("schemes:funding-add", kwargs={"code": scheme.code})
    response = admin.post(url, {f"field{i}": "1" for i in range(1200)})
    assert response.status_code == 400


def test_an_over_long_address_is_refused_with_414(admin: Client) -> None:
    response = admin.get("/schemes/", {"page": "1" * MAX_URL_LENGTH})
    assert response.status_code == 414
    assert response["Content-Type"].startswith("text/html")


def test_a_cookie_with_a_nul_is_dropped_not_looked_up(scheme: Any) -> None:
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get(reverse("schemes:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_a_header_with_a_control_character_is_a_bad_request() -> None:
    response = Client().get(reverse("core:privacy"), HTTP_X_FORWARDED_FOR="1.2.3.4\x00")
    assert response.status_code == 400


def test_an_app_registers_its_own_error_format_for_its_addresses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def plain(request: HttpRequest, status: int, detail: str) -> HttpResponse:
        return HttpResponse(f"{status}:{detail}", status=status, content_type="text/plain")

    monkeypatch.setattr(errors, "_RENDERERS", {})
    errors.error_renderer_register(prefix="/plain/", renderer=plain)
    assert Client().get("/plain/nothing%00/").content == b"404:"
    assert Client().get("/elsewhere%00/")["Content-Type"].startswith("text/html")
