"""Subject access, rectification and erasure requests through the pages: recorded with the
deadline, found across the user's schemes only, exported (complete, redacted, a PDF that
renders), signed off by someone else, decided with reasons; bad input answered clearly."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.audit.selectors import audit_chain_verify
from diversion.core.roles import Role
from diversion.officer.tests.builders import referral_made
from diversion.people.models import Person
from diversion.privacy.export import (
    EXCLUDED,
    export_document,
    exported_models,
    subject_access_export,
)
from diversion.privacy.graph import model_label, person_paths
from diversion.privacy.models import Erasure, RequestStatus, RightsRequest
from diversion.privacy.requests import one_calendar_month_after

pytestmark = pytest.mark.django_db


def _laid_out_text(document: Any) -> str:
    """Every piece of text WeasyPrint laid out (as the evaluation's PDF tests read it)."""
    parts: list[str] = []

    def walk(box: Any) -> None:
        if isinstance(getattr(box, "text", None), str):
            parts.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts)


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


@pytest.fixture
def referral(officer: Any, scheme: Any, slots: list[Any]) -> Any:
    return referral_made(officer, scheme, slots[0]).referral


@pytest.fixture
def admin(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.SCHEME_ADMIN, scheme)


@pytest.fixture
def reviewer(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.SCHEME_ADMIN, scheme)


def _record(client: Client, person: Person, kind: str, received: dt.date, **extra: Any) -> Any:
    data = {
        "kind": kind,
        **_date("received_on", received),
        "identity_checked": "on",
        "identity_evidence": "passport seen",
        **extra,
    }
    return client.post(reverse("privacy:request-new", kwargs={"person": person.pk}), data)


def test_every_model_linked_to_a_person_is_exported_or_excluded_with_a_reason() -> None:
    linked = {model_label(m) for m in person_paths()}
    exported = {model_label(m) for m in exported_models()}
    assert linked == exported | (linked & set(EXCLUDED))
    assert all(reason.strip() for reason in EXCLUDED.values())
    assert set(EXCLUDED) <= linked  # no stale exclusions
    assert {
        "referrals.Referral",
        "referrals.EligibilityRecord",
        "casework.Assessment",
        "casework.AdvicePlan",
        "messaging.Message",
        "scheduling.Booking",
        "engagement.PoliceNotice",
    } <= exported


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 15), dt.date(2026, 4, 15)),
        (dt.date(2026, 12, 31), dt.date(2027, 1, 31)),
    ],
)
def test_the_deadline_is_one_calendar_month(received: dt.date, due: dt.date) -> None:
    assert one_calendar_month_after(received) == due


def test_a_subject_access_request_from_search_to_sign_off(
    scheme: Any, referral: Any, admin: Any, reviewer: Any
) -> None:
    client = sign_in(Client(), admin)
    search = client.get(
        reverse("privacy:person-search"),
        {
            "given_name": "Jamie",
            "family_name": "O'Neill",
            **_date("date_of_birth", dt.date(1998, 6, 14)),
        },
    )
    assert search.status_code == 200
    assert reverse("privacy:request-new", kwargs={"person": referral.person.pk}) in search.text
    assert "(same name and date of birth)" in search.text
    received = timezone.localdate() - dt.timedelta(days=40)
    response = _record(client, referral.person, "access", received)
    request = RightsRequest.objects.get()
    assert response.status_code == 302 and request.due_on == one_calendar_month_after(received)
    page = client.get(reverse("privacy:request", kwargs={"pk": request.pk}))
    assert "This request is overdue" in page.text and "can still be completed" in page.text
    listing = client.get(reverse("privacy:requests"))
    assert "Overdue" in listing.text
    # Not before it is prepared; then the preparer cannot sign it off.
    assert client.get(reverse("privacy:export-json", kwargs={"pk": request.pk})).status_code == 302
    client.post(reverse("privacy:request", kwargs={"pk": request.pk}), {"step": "prepare"})
    refused = client.post(
        reverse("privacy:request", kwargs={"pk": request.pk}),
        {"step": "sign-off", "person_told": "sent by post"},
    )
    assert refused.status_code == 422
    assert "Someone other than the person who prepared" in refused.text
    exported = client.get(reverse("privacy:export-json", kwargs={"pk": request.pk}))
    data = json.loads(exported.content)
    assert data["records"]["referrals.Referral"][0]["reference"] == referral.reference
    assert data["records"]["people.Person"][0]["given_name"] == "Jamie"
    officer_shown = data["records"]["referrals.Referral"][0]["officer"]
    assert referral.officer.full_name not in json.dumps(data) and "Police officer" in officer_shown
    assert data["who_viewed_the_record"], "the reads of the record are listed"
    pdf = client.get(reverse("privacy:export-pdf", kwargs={"pk": request.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    document = export_document(subject_access_export(person=referral.person), request_id=1)
    text = _laid_out_text(document)
    assert referral.reference in text and "Who looked at your record" in text
    assert referral.officer.full_name not in text
    other = sign_in(Client(), reviewer)
    done = other.post(
        reverse("privacy:request", kwargs={"pk": request.pk}),
        {"step": "sign-off", "person_told": "sent by post"},
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED and request.reviewed_by == reviewer
    assert AuditEvent.objects.filter(action="export", object_type="people.Person").exists()


def test_third_parties_are_redacted_and_staff_named_only_where_the_scheme_says(
    officer: Any, scheme: Any, slots: list[Any], settings: Any
) -> None:
    from diversion.casework.tests.helpers import young_referral

    referral = young_referral(
        officer,
        scheme,
        slots[0],
        born=timezone.localdate().replace(year=timezone.localdate().year - 16)
        - dt.timedelta(days=3),
    )
    text = json.dumps(subject_access_export(person=referral.person).as_json())
    assert "Sam Young" not in text and "+447911123457" not in text
    assert "[redacted: third party]" in text and officer.full_name not in text
    settings.SAR_DISCLOSE_STAFF_NAMES_SCHEMES = [scheme.code]
    assert officer.full_name in json.dumps(subject_access_export(person=referral.person).as_json())


def test_the_search_does_not_find_people_in_schemes_the_user_may_not_see(
    referral: Any, other_scheme: Any, make_user: Any
) -> None:
    client = sign_in(Client(), make_user(Role.SCHEME_ADMIN, other_scheme))
    page = client.get(
        reverse("privacy:person-search"),
        {
            "given_name": "Jamie",
            "family_name": "O'Neill",
            **_date("date_of_birth", dt.date(1998, 6, 14)),
        },
    )
    assert "0 possible matches" in page.text
    assert (
        client.get(
            reverse("privacy:request-new", kwargs={"person": referral.person.pk})
        ).status_code
        == 404
    )


def test_bad_input_gets_a_clear_message_and_records_nothing(referral: Any, admin: Any) -> None:
    client = sign_in(Client(), admin)
    response = client.post(
        reverse("privacy:request-new", kwargs={"person": referral.person.pk}),
        {"kind": "access", **_date("received_on", timezone.localdate() + dt.timedelta(days=2))},
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "The date received must be today or in the past" in response.text
    assert "Check the person&#x27;s identity" in response.text
    assert not RightsRequest.objects.exists()
    unknown = client.get(reverse("privacy:request-new", kwargs={"person": 999999}))
    assert unknown.status_code == 404


def test_an_erasure_request_agreed_erases_and_a_second_is_refused_clearly(
    referral: Any, admin: Any
) -> None:
    client = sign_in(Client(), admin)
    for _ in range(2):
        _record(client, referral.person, "erasure", timezone.localdate())
    first, second = RightsRequest.objects.order_by("pk")
    decide = {
        "step": "decide",
        "agree": "yes",
        "reasons": "no longer needed",
        "person_told": "letter",
    }
    assert (
        client.post(reverse("privacy:request", kwargs={"pk": first.pk}), decide).status_code == 302
    )
    assert Erasure.objects.filter(person=referral.person).exists()
    assert Person.objects.get(pk=referral.person.pk).given_name == ""
    again = client.post(reverse("privacy:request", kwargs={"pk": second.pk}), decide)
    assert again.status_code == 422 and "already erased" in again.text
    second.refresh_from_db()
    assert second.status == RequestStatus.OPEN
    assert audit_chain_verify() == []


def test_a_refused_rectification_keeps_the_record_and_its_reasons(
    referral: Any, admin: Any
) -> None:
    client = sign_in(Client(), admin)
    _record(client, referral.person, "rectification", timezone.localdate(), details="wrong name")
    request = RightsRequest.objects.get()
    refused = {
        "step": "decide",
        "agree": "no",
        "reasons": "The police must keep the Community Resolution record as made",
        "person_told": "letter",
    }
    client.post(reverse("privacy:request", kwargs={"pk": request.pk}), refused)
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert "Community Resolution" in request.decision_reasons


def test_an_agreed_rectification_changes_the_person_through_the_service(
    referral: Any, admin: Any
) -> None:
    client = sign_in(Client(), admin)
    _record(client, referral.person, "rectification", timezone.localdate(), details="name")
    request = RightsRequest.objects.get()
    agreed = {
        "step": "decide",
        "agree": "yes",
        "reasons": "Name was misspelt",
        "person_told": "text message",
        "given_name": "Jaime",
    }
    assert (
        client.post(reverse("privacy:request", kwargs={"pk": request.pk}), agreed).status_code
        == 302
    )
    person = Person.objects.get(pk=referral.person.pk)
    assert person.given_name == "Jaime"
    event = AuditEvent.objects.filter(
        object_type="people.Person", reason="rectification request agreed"
    ).get()
    assert event.changes == {"given_name": "[redacted]"}


def test_an_erasure_request_for_someone_under_hold_is_refused_clearly_and_stays_open(
    referral: Any, admin: Any, other_scheme: Any, make_user: Any
) -> None:
    from diversion.privacy.holds import place_hold

    place_hold(
        actor=admin,
        kind="litigation",
        reason="claim",
        review_on=timezone.localdate() + dt.timedelta(days=60),
        person=referral.person,
    )
    client = sign_in(Client(), admin)
    _record(client, referral.person, "erasure", timezone.localdate())
    request = RightsRequest.objects.get()
    decide = {"step": "decide", "agree": "yes", "reasons": "asked", "person_told": "letter"}
    page = client.post(reverse("privacy:request", kwargs={"pk": request.pk}), decide)
    assert page.status_code == 422
    assert "There is a problem" in page.text and "under a legal hold (litigation" in page.text
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN and not Erasure.objects.exists()
    stranger = sign_in(Client(), make_user(Role.PROVIDER_MANAGER, other_scheme))
    assert stranger.get(reverse("privacy:request", kwargs={"pk": request.pk})).status_code == 404
