from __future__ import annotations

from typing import Any

import pytest

from diversion.api.tests.helpers import problem, referral_body
from diversion.audit.models import AuditEvent
from diversion.audit.services import SYSTEM
from diversion.engagement.models import PoliceNotice
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.transitions import referral_transition
from diversion.schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/notices/"


@pytest.fixture
def referrals(api: Any, scheme: Any, officer: Any, slots: list[Any]) -> list[Referral]:
    """Three referrals: one the person did not engage with, one engaged, one still running."""
    people = [("Jamie", "O'Neill"), ("Alex", "Smith"), ("Sam", "Jones")]
    for index, (given, family) in enumerate(people):
        body = referral_body(
            scheme,
            officer,
            slots[index],
            person={"given_name": given, "family_name": family, "police_person_id": f"PNC{index}"},
        )
        created = api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY=given)
        assert created.status_code == 201, created.content
    ignored, engaged, _running = Referral.objects.order_by("pk")
    referral_transition(referral_id=ignored.pk, to_status=ReferralStatus.NOT_ENGAGED, actor=SYSTEM)
    referral_transition(referral_id=engaged.pk, to_status=ReferralStatus.ASSESSED, actor=SYSTEM)
    return list(Referral.objects.order_by("pk"))


def test_notices_since_a_cursor_bring_intelligence_logs_with_identifiers_and_outcomes_without(
    api: Any, referrals: list[Referral]
) -> None:
    response = api.get(URL)
    assert response.status_code == 200
    data = response.json()
    notices = data["results"]
    assert [(n["referral_reference"], n["kind"]) for n in notices] == [
        (referrals[0].reference, "intelligence_log"),
        (referrals[1].reference, "engaged"),
    ]
    log, engaged = notices
    assert log["person"] == {
        "given_name": "Jamie",
        "family_name": "O'Neill",
        "date_of_birth": "1998-06-14",
        "police_person_id": "PNC0",
    }
    assert engaged["person"] is None
    assert data["next_cursor"] == engaged["id"]
    assert data["has_more"] is False
    for private in ("jamie@example.org", "+447911123456", "07911"):
        assert private not in response.content.decode()

    later = api.get(URL, {"after": data["next_cursor"]}).json()
    assert later["results"] == [] and later["next_cursor"] == data["next_cursor"]
    referral_transition(
        referral_id=referrals[1].pk, to_status=ReferralStatus.COMPLETED, actor=SYSTEM
    )
    latest = api.get(URL, {"after": data["next_cursor"]}).json()
    assert [n["kind"] for n in latest["results"]] == ["completed"]


def test_a_page_stops_at_the_limit_and_says_there_is_more(
    api: Any, referrals: list[Referral]
) -> None:
    first = api.get(URL, {"limit": 1}).json()
    assert len(first["results"]) == 1 and first["has_more"] is True
    second = api.get(URL, {"limit": 1, "after": first["next_cursor"]}).json()
    assert second["results"][0]["kind"] == "engaged" and second["has_more"] is False


def test_reading_notices_is_audited_per_record(api: Any, referrals: list[Referral]) -> None:
    api.get(URL)
    reads = AuditEvent.objects.filter(action="read", reason__contains="read by the force's system")
    assert sorted(reads.values_list("object_type", "object_id")) == sorted(
        [
            ("people.Person", str(referrals[0].person_id)),
            ("engagement.PoliceNotice", str(PoliceNotice.objects.get(kind="engaged").pk)),
        ]
    )
    assert {event.actor_label[:8] for event in reads} == {"api:dvk_"}


@pytest.mark.parametrize(
    ("query", "field"),
    [({"after": "-1"}, "after"), ({"after": "x"}, "after"), ({"limit": "1000"}, "limit")],
)
def test_a_bad_cursor_or_limit_is_a_validation_problem(
    api: Any, query: dict[str, str], field: str
) -> None:
    response = api.get(URL, query)
    assert response.status_code == 400
    assert [e["field"] for e in problem(response)["errors"]] == [field]


def test_notices_filter_by_kind_and_acknowledgement(api: Any, referrals: list[Referral]) -> None:
    kinds = [n["kind"] for n in api.get(URL, {"kind": "engaged"}).json()["results"]]
    assert kinds == ["engaged"]
    log = PoliceNotice.objects.get(kind="intelligence_log")
    api.post(f"{URL}{log.pk}/acknowledge/")
    waiting = api.get(URL, {"acknowledged": "false"}).json()["results"]
    assert [n["kind"] for n in waiting] == ["engaged"]


def test_acknowledging_a_notice_is_idempotent_and_keeps_the_first_time(
    api: Any, referrals: list[Referral]
) -> None:
    notice = PoliceNotice.objects.get(kind="intelligence_log")
    first = api.post(f"{URL}{notice.pk}/acknowledge/")
    again = api.post(f"{URL}{notice.pk}/acknowledge/")
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == again.json()
    assert first.json()["referral_reference"] == referrals[0].reference
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None and notice.acknowledged_by is not None
    listed = api.get(URL).json()["results"][0]
    assert listed["acknowledged_at"] == first.json()["acknowledged_at"]
    assert (
        AuditEvent.objects.filter(
            action="update", object_type="engagement.PoliceNotice", object_id=str(notice.pk)
        ).count()
        == 1
    )


def test_another_forces_notices_are_neither_listed_nor_acknowledged(
    referrals: list[Referral], make_api_client: Any
) -> None:
    stranger, _ = make_api_client(SchemeFactory())
    assert stranger.get(URL).json()["results"] == []
    notice = PoliceNotice.objects.first()
    assert notice is not None
    response = stranger.post(f"{URL}{notice.pk}/acknowledge/")
    assert response.status_code == 404
    problem(response)
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def test_an_id_too_large_for_the_database_is_simply_not_found(api: Any) -> None:
    response = api.post(f"{URL}{2**70}/acknowledge/")
    assert response.status_code == 404
    problem(response)
