"""What the officer's final submission costs the database (issue 3: p95 <= 100 ms with 50
officers). Bounds that stop regressions; `benchmarks/referral_queries.py` lists the statements."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from diversion.accounts.tests.helpers import sign_in
from diversion.audit.selectors import audit_chain_verify
from diversion.officer.tests.test_flow_pages import _through_stop, person_form
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral, StatusChange

# Session, user and authenticator (3); scheme, chosen slot, idempotency key (3); the transaction:
# eligibility (2), person and match keys (2), reference, referral, drugs, first history row (4),
# audit chain head, event, head (3), slot lock, active booking, booking, hold cleared (4), status,
# history row, event, head (4), worker's task (1), the session without the draft (3: a savepoint
# around its update), BEGIN and COMMIT (2); the forces' webhook subscriptions (1); the
# eligibility decision on record and its audit row (3, issue 15: every decision is kept).
SUBMISSION_QUERIES = 35
CONFIRMATION_QUERIES = 11


def _submit(client: Client, scheme: Any, slot: Any, given_name: str) -> tuple[Any, list[str]]:
    _through_stop(client, scheme, person=person_form(given_name=given_name))
    token = client.get(reverse("officer:consent")).context["form"].initial["token"]
    data = {
        "consent_to_contact": "on",
        "consent_to_share": "on",
        "slot": str(slot.pk),
        "token": token,
    }
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("officer:consent"), data)
    assert response.status_code == 302
    return response, [query["sql"] for query in captured.captured_queries]


# Real commits, so that what runs after commit (webhooks, the session) is counted as in production.
@pytest.mark.django_db(transaction=True)
def test_the_submission_and_its_confirmation_page_stay_within_their_query_budgets(
    officer: Any, scheme: Any, slots: list[Any]
) -> None:
    client = sign_in(Client(), officer)
    _submit(client, scheme, slots[0], "Jamie")  # the first also creates the audit chain heads
    response, sql = _submit(client, scheme, slots[1], "Robin")

    assert len(sql) <= SUBMISSION_QUERIES, "\n".join(sql)
    # One commit: the session without the draft is written in the referral's transaction.
    assert sum(q.startswith("COMMIT") for q in sql) == 1
    assert sum(q.startswith("SAVEPOINT") for q in sql) == 1  # the session store's own
    referral_reads = [q for q in sql if q.startswith('SELECT "referrals_referral"."id"')]
    assert len(referral_reads) == 1  # the idempotency key; never the row it has just inserted
    with CaptureQueriesContext(connection) as captured:
        assert client.get(response["Location"]).status_code == 200
    assert len(captured) <= CONFIRMATION_QUERIES, "\n".join(
        q["sql"] for q in captured.captured_queries
    )

    referral = Referral.objects.get(reference=resolve(response["Location"]).kwargs["reference"])
    assert referral.status == ReferralStatus.ASSESSMENT_BOOKED
    assert list(
        StatusChange.objects.filter(referral=referral).values_list("from_status", "to_status")
    ) == [
        ("", ReferralStatus.REFERRED),
        (ReferralStatus.REFERRED, ReferralStatus.ASSESSMENT_BOOKED),
    ]
    assert audit_chain_verify() == []


@pytest.mark.django_db
def test_the_booking_at_the_scene_has_no_status_message_and_reads_nothing_after_commit(
    django_assert_num_queries: Any,
) -> None:
    from diversion.engagement.followups import status_messages_queue

    with django_assert_num_queries(0):
        assert status_messages_queue(referral_id=0, status=ReferralStatus.ASSESSMENT_BOOKED) == []
