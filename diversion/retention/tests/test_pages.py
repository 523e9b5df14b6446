"""The administrator's retention pages: the schedule and its changes (validated, audited,
scoped), the dry run and run log, and the data protection officer's record and PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.retention.models import RetentionRun, RetentionSchedule
from diversion.retention.pdf import records_document
from diversion.retention.records import processing_record
from diversion.retention.registry import retention_kind
from diversion.schemes.services import scheme_sharing_update

pytestmark = pytest.mark.django_db


def _edit(scheme: Any, kind: str = "messages") -> str:
    return reverse("retention:schedule-edit", kwargs={"code": scheme.code, "kind": kind})


def test_the_schedule_shows_each_kind_with_its_default(scheme: Any, client_for: Any) -> None:
    response = client_for(Role.SCHEME_ADMIN, scheme).get(
        reverse("retention:schedule", kwargs={"code": scheme.code})
    )
    assert response.status_code == 200
    text = response.content.decode()
    for label in ("Messages and delivery logs", "Audit events", "API idempotency records"):
        assert label in text
    assert "6 years" in text and "7 years" in text and "Changed" not in text


def test_an_administrator_changes_a_period_and_the_change_is_audited(
    scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    response = client.post(
        _edit(scheme), {"period_days": "400", "action": "anonymise", "reason": "DPO advice"}
    )
    assert response.status_code == 302
    row = RetentionSchedule.objects.get(scheme=scheme, kind="messages")
    assert (row.period_days, row.action) == (400, "anonymise")
    event = AuditEvent.objects.get(object_type="retention.RetentionSchedule")
    assert event.scheme_id == scheme.pk and event.reason == "DPO advice"
    assert event.changes["period_days"] == {"from": 365, "to": 400}
    page = client.get(reverse("retention:schedule", kwargs={"code": scheme.code}))
    assert "Changed" in page.content.decode()


def test_setting_a_kind_back_to_its_default_removes_the_override(
    scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    client.post(_edit(scheme), {"period_days": "400", "action": "delete", "reason": "x"})
    client.post(_edit(scheme), {"period_days": "365", "action": "delete", "reason": "back"})
    assert not RetentionSchedule.objects.filter(scheme=scheme).exists()
    assert AuditEvent.objects.filter(object_type="retention.RetentionSchedule").count() == 2


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("messages", {"period_days": "", "action": "delete"}, "Enter how many days"),
        ("messages", {"period_days": "a year", "action": "delete"}, "must be a whole number"),
        ("messages", {"period_days": "-1", "action": "delete"}, "must be 0 or more"),
        ("messages", {"period_days": "99999999999999999999", "action": "delete"}, "or fewer"),
        ("messages", {"period_days": "30", "action": "shred"}, "Choose delete or anonymise"),
        ("messages", {"period_days": "30", "action": "delete", "reason": ""}, "Enter the reason"),
        ("sessions", {"period_days": "0", "action": "anonymise"}, "can only be deleted"),
        ("audit_events", {"period_days": "30", "action": "delete"}, "cannot be shorter"),
    ],
)
def test_bad_input_gets_an_error_summary_and_changes_nothing(
    kind: str, data: dict[str, str], message: str, scheme: Any, client_for: Any
) -> None:
    data = {"reason": "because", **data}
    response = client_for(Role.SCHEME_ADMIN, scheme).post(_edit(scheme, kind), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text and message in text
    assert not RetentionSchedule.objects.exists()
    assert not AuditEvent.objects.filter(object_type="retention.RetentionSchedule").exists()


def test_another_schemes_schedule_and_an_unknown_kind_are_not_found(
    scheme: Any, other_scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    stranger = {"period_days": "1", "action": "delete", "reason": "x"}
    assert client.post(_edit(other_scheme), stranger).status_code == 404
    assert client.get(_edit(scheme, "no_such_kind")).status_code == 404
    for name in ("retention:schedule", "retention:records", "retention:records-pdf"):
        assert client.get(reverse(name, kwargs={"code": other_scheme.code})).status_code == 404
    assert not RetentionSchedule.objects.exists()


def test_the_dry_run_page_runs_one_and_reports_it_in_words(scheme: Any, client_for: Any) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    assert "No dry run yet" in client.get(reverse("retention:dry-run")).content.decode()
    response = client.post(reverse("retention:dry-run"))
    assert response.status_code == 302
    run = RetentionRun.objects.get()
    assert run.dry_run and run.started_by.startswith("user:")
    page = client.get(reverse("retention:dry-run")).content.decode()
    assert "Would change nothing" in page


def test_the_run_log_shows_only_the_administrators_schemes_counts(
    scheme: Any, other_scheme: Any, client_for: Any
) -> None:
    RetentionRun.objects.create(
        started_at="2026-01-01T01:00Z",
        as_of="2026-01-01T01:00Z",
        status="finished",
        counts={
            scheme.code: {"messages": {"delete": 1204}},
            other_scheme.code: {"messages": {"delete": 77}, "police_notices": {"delete": 5}},
            "deployment": {"sessions": {"delete": 3}},
        },
    )
    page = client_for(Role.SCHEME_ADMIN, scheme).get(reverse("retention:runs")).content.decode()
    assert "Deleted 1,204 message logs and 3 sessions" in page
    assert "77" not in page and "Notices to the police" not in page


def test_the_record_of_processing_is_built_from_the_schedule_and_the_sharing_settings(
    scheme: Any, other_scheme: Any, client_for: Any, make_user: Any
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("retention:records", kwargs={"code": scheme.code})
    before = client.get(url).content.decode()
    for words in ("Data Protection Act 2018 Part 3", "Article 9(2)(h)"):
        assert words in before
    assert scheme.force.name in before and scheme.provider.name in before
    row = 'Messages and delivery logs</dt><dd class="govuk-summary-list__value">'
    assert f"{row}1 year after the record was made, then deleted" in before
    assert other_scheme.name not in before

    admin = make_user(Role.SCHEME_ADMIN, scheme)
    client.post(_edit(scheme), {"period_days": "90", "action": "delete", "reason": "shorter"})
    scheme_sharing_update(
        actor=Actor.of(admin), scheme=scheme, share_with_ids=[other_scheme.pk], reason="agreed"
    )
    after = client.get(url).content.decode()
    assert f"{row}90 days after the record was made, then deleted" in after
    assert other_scheme.name in after


def _text(document: Any) -> str:
    parts: list[str] = []

    def walk(box: Any) -> None:
        if isinstance(getattr(box, "text", None), str):
            parts.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts)


def test_the_record_of_processing_pdf_renders_with_its_sections(
    scheme: Any, client_for: Any
) -> None:
    response = client_for(Role.SCHEME_ADMIN, scheme).get(
        reverse("retention:records-pdf", kwargs={"code": scheme.code})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = _text(records_document(processing_record(scheme=scheme)))
    for heading in ("Lawful bases", "Recipients", "Retention", "Transfers", "Security"):
        assert heading in text
    assert retention_kind("api_idempotency").label in text
