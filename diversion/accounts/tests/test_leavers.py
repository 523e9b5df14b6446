"""Leavers: the worker's job deactivates local accounts nobody signs in to, and the quarterly
access review of a scheme is shown to its administrator (and a provider's manager, for their own
staff) and recorded once a quarter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from diversion.accounts.leavers import inactive_accounts_deactivate, quarter_of
from diversion.accounts.models import AccessReview, IdentityProvider, ProviderIdentity
from diversion.accounts.tests.factories import UserFactory
from diversion.audit.models import AuditAction, AuditEvent
from diversion.audit.services import Actor, audit_record
from diversion.core.roles import Role
from diversion.core.worker import schedules


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.mark.django_db
def test_local_accounts_unused_for_the_set_number_of_days_are_deactivated_and_keep_history(
    scheme: Any, settings: Any
) -> None:
    settings.INACTIVE_ACCOUNT_DAYS = 90
    stale = UserFactory(organisation=scheme.force, last_login=_days_ago(91))
    never = UserFactory(organisation=scheme.force, date_joined=_days_ago(120), last_login=None)
    recent = UserFactory(organisation=scheme.force, last_login=_days_ago(89))
    new = UserFactory(organisation=scheme.force, date_joined=_days_ago(10), last_login=None)
    demo = UserFactory(organisation=scheme.force, last_login=_days_ago(400), is_demo=True)
    at_provider = UserFactory(organisation=scheme.force, last_login=_days_ago(400))
    with transaction.atomic():  # history: an audit row naming the stale user as its actor
        audit_record(actor=Actor.of(stale), action=AuditAction.READ, obj=scheme, reason="x")
    provider = IdentityProvider.objects.create(
        organisation=scheme.force,
        display_name="Force",
        issuer="https://login.example/tenant/v2.0",
        client_id="c",
        client_secret="s",
        authorization_endpoint="https://login.example/a",
        token_endpoint="https://login.example/t",
        jwks_uri="https://login.example/k",
    )
    ProviderIdentity.objects.create(user=at_provider, identity_provider=provider, subject="x")

    assert inactive_accounts_deactivate() == 2
    for user in (stale, never, recent, new, demo, at_provider):
        user.refresh_from_db()
    assert (stale.is_active, never.is_active) == (False, False)
    assert all(u.is_active for u in (recent, new, demo, at_provider))
    rows = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="accounts.User")
    assert sorted(int(r.object_id) for r in rows) == sorted([stale.pk, never.pk])
    assert {r.reason for r in rows} == {"not signed in for 90 days"}
    assert AuditEvent.objects.filter(actor=stale).exists()  # the history keeps its actor
    assert inactive_accounts_deactivate() == 0  # nothing twice


def test_the_worker_runs_the_job_daily() -> None:
    job = next(j for j in schedules() if j.func is inactive_accounts_deactivate)
    assert job.minutes == 24 * 60


def test_quarters() -> None:
    assert [quarter_of(dt.date(2026, m, 1)) for m in (1, 3, 4, 9, 10, 12)] == [
        "2026-Q1",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2026-Q4",
    ]


@pytest.mark.django_db
def test_an_administrator_sees_who_has_which_role_and_confirms_once_a_quarter(
    scheme: Any, make_user: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    officer = make_user(Role.OFFICER, scheme, last_login=_days_ago(3))
    worker = make_user(Role.WORKER, scheme, is_active=False)
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("accounts:access-review", args=[scheme.code])
    page = client.get(url).content.decode()
    assert escape(officer.full_name) in page and escape(worker.full_name) in page
    assert "Deactivated" in page and "Police officer" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, reason__startswith="access review"
    ).exists()
    assert client.post(url).status_code == 302
    review = AccessReview.objects.get()
    assert review.quarter == quarter_of(timezone.localdate())
    assert {row["user_id"] for row in review.users} >= {officer.pk, worker.pk}
    assert AuditEvent.objects.filter(object_type="accounts.AccessReview", action="create").exists()
    again = client.post(url)
    assert again.status_code == 400
    assert "already been confirmed" in again.content.decode()
    assert AccessReview.objects.count() == 1


@pytest.mark.django_db
def test_a_provider_manager_reviews_only_their_own_staff(
    scheme: Any, make_user: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    officer = make_user(Role.OFFICER, scheme)
    worker = make_user(Role.WORKER, scheme)
    page = client_for(Role.PROVIDER_MANAGER, scheme).get(
        reverse("accounts:access-review", args=[scheme.code])
    )
    # As the page writes them: a name such as O'Brien is escaped in HTML.
    assert escape(worker.full_name) in page.content.decode()
    assert escape(officer.full_name) not in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [
        Role.OFFICER,
        Role.POLICE_SUPERVISOR,
        Role.WORKER,
        Role.FACILITATOR,
        Role.ANALYST,
        Role.EVALUATOR,
    ],
)
def test_other_roles_cannot_open_the_access_review(
    scheme: Any, client_for: Callable[..., Any], role: str
) -> None:
    client = client_for(role, scheme)
    assert client.get(reverse("accounts:access-review", args=[scheme.code])).status_code == 403
    assert client.post(reverse("accounts:access-review", args=[scheme.code])).status_code == 403
    assert not AccessReview.objects.exists()


@pytest.mark.django_db
def test_a_scheme_the_administrator_cannot_see_is_404(
    scheme: Any, other_scheme: Any, client_for: Callable[..., Any]
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("accounts:access-review", args=[other_scheme.code])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
