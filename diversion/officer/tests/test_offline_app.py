"""The installable app's server side: manifest, service worker, offline start page, the
session's draft key; and the stop page that fits two phone screens without JavaScript."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from diversion.accounts.tests.helpers import sign_in
from diversion.core.roles import Role
from diversion.officer import app_views
from diversion.officer.offline_keys import LIFETIME_SECONDS, offline_key_for
from diversion.officer.tests.test_flow_pages import person_form, stop_form
from diversion.referrals.models import EligibilityRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(officer: Any) -> Client:
    return sign_in(Client(), officer)


def test_the_manifest_describes_an_installable_app_with_real_icons(client: Client) -> None:
    response = client.get("/referrals/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["display"] == "standalone"
    assert manifest["scope"] == "/referrals/"
    assert manifest["start_url"].startswith(manifest["scope"])
    assert manifest["name"] and manifest["short_name"]
    sizes = set()
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix("/static/")
        with Image.open(finders.find(name)) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_officer_pages_link_the_manifest_and_the_ios_home_screen_tags(
    officer_client: Client,
) -> None:
    html = officer_client.get(reverse("officer:person")).content.decode()
    assert '<link rel="manifest" href="/referrals/manifest.webmanifest">' in html
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in html
    touch = re.search(r'<link rel="apple-touch-icon" href="/static/([^"]+)">', html)
    assert touch is not None
    with Image.open(finders.find(touch.group(1))) as image:
        assert image.size == (180, 180)
    assert 'src="/static/diversion/officer/app.js"' in html


def test_the_service_worker_is_ours_covers_the_officers_pages_and_never_skips_waiting(
    client: Client,
) -> None:
    response = client.get("/referrals/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/referrals/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert "self.__APP__" not in script
    assert "skipWaiting" not in script  # a new version waits for the next visit
    assert "self.clients.claim()" in script  # and then controls the pages opened since
    settings = re.search(r"const APP = (\{.*?\})\n", script)
    assert settings is not None
    assert '"/referrals/offline/"' in settings.group(1)
    assert "/static/vendor/govuk/govuk-frontend.min.css" in settings.group(1)
    assert '"/referrals/sync/"' in settings.group(1)  # never answered from a cache
    assert "http" not in settings.group(1)  # nothing from another origin


def test_the_worker_changes_when_an_asset_it_keeps_changes(monkeypatch: Any) -> None:
    before = app_views._version("worker")
    monkeypatch.setattr(app_views, "APP_ASSETS", [*app_views.APP_ASSETS[:-1]])
    assert app_views._version("worker") != before
    assert app_views._version("worker 2") != app_views._version("worker")


def test_the_offline_page_is_for_officers_and_holds_no_one(
    officer_client: Client, client_for: Any, scheme: Any
) -> None:
    officer_client.post(reverse("officer:person"), person_form())  # a draft in the session
    page = officer_client.get(reverse("officer:offline"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "O&#x27;Neill" not in html and "Jamie" not in html
    assert 'data-step="3"' in html and 'name="booking"' in html
    assert Client().get(reverse("officer:offline")).status_code == 302
    assert client_for(Role.WORKER, scheme).get(reverse("officer:offline")).status_code == 403


def test_the_draft_key_is_the_sessions_own_and_never_kept_by_a_cache(
    officer: Any, officer_client: Client
) -> None:
    first = officer_client.get(reverse("officer:offline-session"))
    assert "no-store" in first["Cache-Control"]
    key = first.json()
    assert len(base64.urlsafe_b64decode(key["key"] + "=")) == 32
    assert officer_client.get(reverse("officer:offline-session")).json()["key"] == key["key"]
    other = sign_in(Client(), officer).get(reverse("officer:offline-session")).json()
    assert other["key"] != key["key"] and other["key_id"] != key["key_id"]
    stored = officer_client.session["offline_app_key"]
    assert key["key"] not in stored  # encrypted in the session store too


def test_the_draft_key_is_replaced_after_twelve_hours() -> None:
    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[assignment]
    key = offline_key_for(request, now=1_000_000.0)
    assert offline_key_for(request, now=1_000_000.0 + LIFETIME_SECONDS - 1) == key
    assert offline_key_for(request, now=1_000_000.0 + LIFETIME_SECONDS + 1).key != key.key


def test_the_provisional_times_are_the_next_free_ones(
    officer_client: Client, slots: list[Any]
) -> None:
    offered = officer_client.get(reverse("officer:offline-session")).json()["slots"]
    assert [slot["id"] for slot in offered] == [str(s.pk) for s in slots[:3]]


# --- Fits the screen, without JavaScript ---------------------------------------------------


def _stop_page(client: Client, **person: Any) -> str:
    client.get(reverse("officer:start"))
    assert client.post(reverse("officer:person"), person_form(**person)).status_code == 302
    return client.get(reverse("officer:stop")).content.decode()


def test_an_adult_gets_one_drug_row_and_no_appropriate_adult(
    officer_client: Client, scheme: Any
) -> None:
    html = _stop_page(officer_client)
    assert html.count('class="govuk-form-group diversion-drug-row"') == 3
    assert len(re.findall(r'diversion-drug-row" id="drug-row-\d" hidden', html)) == 2
    assert "Appropriate adult" not in html
    assert 'name="add_drug"' in html


def test_add_another_drug_shows_the_page_again_as_typed_with_one_more_row_and_no_errors(
    officer_client: Client, scheme: Any
) -> None:
    _stop_page(officer_client)
    before = EligibilityRecord.objects.count()
    data = {**stop_form(scheme), "place": "Corporation Street", "add_drug": "1"}
    response = officer_client.post(reverse("officer:stop"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" not in html
    assert 'value="Corporation Street"' in html
    assert len(re.findall(r'diversion-drug-row" id="drug-row-\d" hidden', html)) == 1
    assert "Another drug found (2)" in html
    assert EligibilityRecord.objects.count() == before  # nothing was checked
    data = {**data, "drug_1": "mdma"}
    html = officer_client.post(reverse("officer:stop"), data).content.decode()
    assert 'id="drug-row-3" hidden' not in html
    assert 'name="add_drug"' not in html  # three rows: none to add


def test_a_young_person_gets_the_appropriate_adults_questions(
    officer_client: Client, scheme: Any
) -> None:
    today = timezone.localdate()
    born = today.replace(year=today.year - 16) - dt.timedelta(days=3)
    html = _stop_page(
        officer_client,
        date_of_birth_0=str(born.day),
        date_of_birth_1=str(born.month),
        date_of_birth_2=str(born.year),
    )
    assert "Appropriate adult&#x27;s full name" in html or "Appropriate adult's full name" in html


def test_the_long_lists_open_on_demand_and_by_themselves_when_answered(
    officer_client: Client, scheme: Any
) -> None:
    html = _stop_page(officer_client)
    assert re.search(r'<details class="govuk-details">\s*<summary[^>]*><span[^>]*>Signs', html)
    data = {**stop_form(scheme), "supply_indicators": "scales"}
    html = officer_client.post(reverse("officer:stop"), data).content.decode()
    assert re.search(r'<details class="govuk-details" open>\s*<summary[^>]*><span[^>]*>Signs', html)


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("given_name", 100, "First name must be 100 characters or fewer"),
        ("mobile", 20, "Mobile number must be 20 characters or fewer"),
        ("police_person_id", 40, "Police person identifier must be 40 characters or fewer"),
    ],
)
def test_an_over_long_answer_is_refused_naming_the_field(
    officer_client: Client, field: str, limit: int, message: str
) -> None:
    officer_client.get(reverse("officer:start"))
    response = officer_client.post(
        reverse("officer:person"), person_form(**{field: "7" * (limit + 1)})
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_over_long_stop_answers_name_their_field(officer_client: Client, scheme: Any) -> None:
    _stop_page(officer_client)
    data = {**stop_form(scheme), "place": "x" * 201, "drug_0_quantity": "2" * 81}
    html = officer_client.post(reverse("officer:stop"), data).content.decode()
    assert "Place must be 200 characters or fewer" in html
    assert "Approximate quantity must be 80 characters or fewer" in html


def test_every_text_box_of_the_officers_pages_stops_at_its_limit(
    officer_client: Client, scheme: Any
) -> None:
    person = officer_client.get(reverse("officer:person")).content.decode()
    stop = _stop_page(officer_client)
    boxes = re.findall(r"<(?:input|textarea)[^>]*>", person + stop)
    named = {
        re.search(r'name="([^"]+)"', box).group(1): box  # type: ignore[union-attr]
        for box in boxes
        if re.search(r'type="(text|tel|email)"', box) or box.startswith("<textarea")
    }
    dates = {name for name in named if re.match(r"(date_of_birth|stopped_on)_\d", name)}
    limits = {name: re.search(r'maxlength="(\d+)"', box) for name, box in named.items()}
    missing = sorted(name for name, found in limits.items() if not found and name not in dates)
    assert missing == []
    assert limits["given_name"].group(1) == "100"  # type: ignore[union-attr]
    assert limits["email"].group(1) == "254"  # type: ignore[union-attr]
    assert limits["supply_reason"].group(1) == "500"  # type: ignore[union-attr]
    assert limits["drug_0_quantity"].group(1) == "80"  # type: ignore[union-attr]


def test_the_phone_is_told_whose_drafts_it_holds_without_being_told_who(
    officer: Any, officer_client: Client, client_for: Any, scheme: Any
) -> None:
    mine = officer_client.get(reverse("officer:offline-session")).json()["owner"]
    again = sign_in(Client(), officer).get(reverse("officer:offline-session")).json()["owner"]
    theirs = client_for(Role.OFFICER, scheme).get(reverse("officer:offline-session")).json()
    assert mine == again != theirs["owner"]
    assert str(officer.pk) != mine and officer.email not in mine
