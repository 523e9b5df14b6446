"""Every page form, fuzzed: hostile values in every field never make a server error, and a form
refused (400, or shown again with its error summary) changes nothing in the database.

The pages and roles are the access matrix's (`test_access_matrix.py`); pages about one record
are opened on real records. A page that renders a `<form method="post">` has each form posted
with every field missing, every field set to each hostile value, every field sent twice, and each
field in turn hostile with the others as the page filled them in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.casework.onward_services import onward_referral_make, onward_service_save
from diversion.casework.tests.helpers import assessment_answered, booked_referral
from diversion.core.roles import Role
from diversion.core.tests.test_access_matrix import EXPECTED, _url
from diversion.courses.tests.builders import (
    assessed_referrals,
    course_type_for,
    in_days,
    session_on,
)
from diversion.scheduling.models import Booking

pytestmark = pytest.mark.django_db

HOSTILE: list[str] = [
    "\x00",
    "x" * 10_000,
    "Zo\u00eb \U0001f642 \u202e\u0645\u0631\u062d\u0628\u0627\u200b \ufeff",
    "-1",
    "-99999999999999999999",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "",
    " ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "2026-02-30",
    "31/13/2026",
    "../../../etc/passwd",
    "{{ 7*7 }}",
]
# Pages whose forms must be found and fuzzed: a page that stops rendering its form fails here.
FORM_PAGES = {
    "accounts:sign-in",
    "accounts:account",
    "schemes:policy-edit",
    "schemes:funding-add",
    "officer:person",
    "webhooks:create",
    "evaluation:extract",
    "casework:assessment-section",
    "casework:plan",
    "casework:plan-send",
    "casework:allocation",
    "casework:onward-new",
    "casework:onward-update",
    "casework:service-edit",
    "casework:advice-new",
    "casework:service-new",
    "casework:settings",
    "courses:course-type-add",
    "courses:course-type-edit",
    "courses:settings",
    "courses:session-add",
    "courses:enrol",
    "scheduling:call",
    "scheduling:missed",
    "scheduling:rebook",
    "scheduling:interpreter",
    "scheduling:reassign",
    "scheduling:rota",
    "scheduling:away-add",
}
# Tables a refused form may still write: the audit of what the page showed again.
MAY_CHANGE = {"audit"}
ROLE_PREFERENCE = [Role.PROVIDER_MANAGER, Role.SCHEME_ADMIN, Role.WORKER, Role.OFFICER]


class _Forms(HTMLParser):
    """The page's post forms: each form's action and its fields with the values shown."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                self._fields.setdefault(name, [])
                if "checked" in a:
                    self._fields[name].append(a.get("value", "on"))
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                self._fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self._select = name
            self._fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._fields[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self._fields.setdefault(name, []).append("")
        elif tag == "button" and a.get("value"):
            self._fields.setdefault(name, []).append(a["value"])

    def handle_data(self, data: str) -> None:
        if self._fields is not None and self._textarea:
            self._fields[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str, page_url: str) -> list[tuple[str, dict[str, list[str]]]]:
    parser = _Forms()
    parser.feed(html)
    sign_out = reverse("accounts:sign-out")
    return [
        (urljoin(page_url, action or page_url), fields)
        for action, fields in parser.forms
        if (action or page_url) != sign_out
    ]


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model.__module__.startswith("diversion.")
            and model._meta.app_label not in MAY_CHANGE
            and model._meta.managed
        }
    )


def _snapshot() -> dict[str, list[Any]]:
    """Every row of the product's tables, as stored (raw SQL: no decryption, one query each)."""
    rows = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            rows[table] = cursor.fetchall()
    return rows


def _bodies(fields: dict[str, list[str]]) -> list[dict[str, Any]]:
    names = [name for name in fields if name != "csrfmiddlewaretoken"]
    shown = {name: values for name, values in fields.items() if values}
    bodies: list[dict[str, Any]] = [{}]
    bodies += [dict.fromkeys(names, value) for value in HOSTILE]
    bodies.append({name: ["1", "x" * 300, "\u00e9"] for name in names})
    bodies += [{**shown, name: HOSTILE[index % len(HOSTILE)]} for index, name in enumerate(names)]
    return bodies


def _refused(response: Any) -> bool:
    return response.status_code == 400 or (
        response.status_code in {200, 422} and b"govuk-error-summary" in response.content
    )


class Records:
    """Real records for the pages about one record, made when a page first needs them."""

    def __init__(self, scheme: Any, officer: Any, slots: list[Any]) -> None:
        self.scheme, self.officer, self.slots = scheme, officer, slots
        self._made: dict[str, Any] = {}

    def _once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def referral(self) -> Any:
        return self._once(
            "referral", lambda: booked_referral(self.officer, self.scheme, self.slots[0])
        )

    def assessed(self) -> Any:
        """A second referral, assessed, with an onward service in the directory and one
        onward referral to it."""

        def make() -> Any:
            referral = booked_referral(self.officer, self.scheme, self.slots[1], key="key-2")
            worker = self.slots[1].worker
            assessment_answered(referral, worker, complete=True)
            service = onward_service_save(
                actor=Actor.of(worker),
                scheme=self.scheme,
                kind="housing",
                name="Housing Options",
                contact="0121 303 7410",
            )
            onward = onward_referral_make(
                actor=Actor.of(worker),
                referral=referral,
                service=service,
                consent=True,
                follow_up_on=timezone.localdate() + dt.timedelta(days=14),
                notes="",
            )
            return referral, service, onward

        return self._once("assessed", make)

    def course_type(self) -> Any:
        return self._once("course_type", lambda: course_type_for(self.scheme))

    def kwargs(self, name: str) -> dict[str, Any] | None:
        app, page = name.split(":")
        if app == "casework" and page in {"case", "assessment", "assessment-check"}:
            return {"reference": self.referral().reference}
        if app == "casework" and page in {"plan", "plan-send", "allocation", "onward-new"}:
            return {"reference": self.assessed()[0].reference}
        if name == "casework:onward-update":
            referral, _service, onward = self.assessed()
            return {"reference": referral.reference, "pk": onward.pk}
        if name == "casework:service-edit":
            return {"code": self.scheme.code, "pk": self.assessed()[1].pk}
        if name == "casework:assessment-section":
            return {"reference": self.referral().reference, "section": "drugs"}
        if app == "scheduling" and page in {"call", "missed", "rebook", "interpreter", "reassign"}:
            return {"pk": Booking.objects.get(referral=self.referral()).pk}
        if name in {"scheduling:rota", "scheduling:away-add"}:
            return {"pk": self.slots[0].worker_id}
        if name == "courses:course-type-edit":
            return {"pk": self.course_type().pk}
        if name in {"courses:session-detail", "courses:register"}:
            session = self._once(
                "session", lambda: session_on(self.scheme, self.course_type(), in_days(0))
            )
            return {"pk": session.pk}
        if name == "courses:enrol":
            self.course_type()
            waiting = self._once(
                "waiting", lambda: assessed_referrals(self.scheme, self.officer, 1)[0]
            )
            return {"pk": waiting.pk}
        return None


# Files, and the figures (its form is a GET filter): nothing to post, and slow to make.
NOTHING_TO_POST = {"evaluation:table-csv", "evaluation:report-pdf", "evaluation:dashboard"}
PAGES = sorted(
    name
    for name, allowed in EXPECTED.items()
    if (isinstance(allowed, frozenset) and name not in NOTHING_TO_POST) or name in FORM_PAGES
)


def _client(name: str, scheme: Any, client_for: Any) -> Client:
    allowed = EXPECTED[name]
    if not isinstance(allowed, frozenset):
        return Client()
    role = next((r for r in ROLE_PREFERENCE if r in allowed), sorted(allowed)[0])
    return client_for(role, scheme)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", PAGES)
def test_hostile_values_in_every_form_field_never_make_a_server_error(
    name: str,
    scheme: Any,
    officer: Any,
    slots: list[Any],
    client_for: Any,
    settings: Any,
) -> None:
    settings.AXES_ENABLED = False  # sign-in's fuzz must not lock the account it guesses
    records = Records(scheme, officer, slots)
    kwargs = records.kwargs(name)
    url = reverse(name, kwargs=kwargs) if kwargs else _url(name, scheme, officer)
    client = _client(name, scheme, client_for)
    if name == "officer:person":
        client.get(reverse("officer:start"))
    page = client.get(url)
    html = page.status_code == 200 and page["Content-Type"].startswith("text/html")
    forms = post_forms(page.content.decode(), url) if html else []
    if name in FORM_PAGES:
        assert forms, f"{name} ({page.status_code}) shows no form to fuzz"
    before = _snapshot() if forms else {}
    for action, fields in forms:
        for body in _bodies(fields):
            response = client.post(action, body)
            assert response.status_code < 500, (name, action, body)
            after = _snapshot()
            if _refused(response):
                assert after == before, f"{name}: a refused form changed the database: {body}"
            before = after
