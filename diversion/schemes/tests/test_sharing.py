"""A scheme's data-sharing setting (decision 0016): default none, changed only by its
administrator with a reason, audited in both schemes; a stale or closed choice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from diversion.audit.models import AuditEvent
from diversion.core.roles import Role
from diversion.schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db


def test_a_new_scheme_shares_with_nobody(scheme: Any) -> None:
    assert not scheme.shares_engagement_with.exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ANALYST, Role.WORKER])
def test_only_the_schemes_administrator_may_change_sharing(
    scheme: Any, client_for: Any, role: str
) -> None:
    partner = SchemeFactory()
    client = client_for(role, scheme)
    url = reverse("schemes:sharing-edit", kwargs={"code": scheme.code})
    response = client.post(url, {"share_with": [str(partner.pk)], "reason": "DSA"})
    assert response.status_code in {403, 404}
    assert not scheme.shares_engagement_with.exists()


def test_the_administrator_shares_and_withdraws_with_a_reason_audited_in_both(
    scheme: Any, client_for: Any
) -> None:
    partner = SchemeFactory()
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("schemes:sharing-edit", kwargs={"code": scheme.code})
    page = client.get(url).content.decode()
    assert partner.name in page and "Change data sharing" in page
    missing_reason = client.post(url, {"share_with": [str(partner.pk)]})
    assert "Enter the reason for the change" in missing_reason.content.decode()
    assert not scheme.shares_engagement_with.exists()
    done = client.post(url, {"share_with": [str(partner.pk)], "reason": "Regional DSA signed"})
    assert done.status_code == 302
    assert list(scheme.shares_engagement_with.all()) == [partner]
    assert not partner.shares_engagement_with.exists()  # one way
    client.post(url, {"reason": "DSA ended"})
    assert not scheme.shares_engagement_with.exists()
    assert AuditEvent.objects.filter(scheme=scheme, object_type="schemes.Scheme").count() == 2
    assert AuditEvent.objects.filter(scheme=partner, object_type="schemes.Scheme").count() == 2


def test_a_scheme_closed_since_the_page_was_shown_is_refused_and_nothing_changes(
    scheme: Any, client_for: Any
) -> None:
    open_partner, closed = SchemeFactory(), SchemeFactory()
    client = client_for(Role.SCHEME_ADMIN, scheme)
    url = reverse("schemes:sharing-edit", kwargs={"code": scheme.code})
    closed.is_active = False
    closed.save()
    response = client.post(
        url, {"share_with": [str(open_partner.pk), str(closed.pk)], "reason": "DSA"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert not scheme.shares_engagement_with.exists()
    assert not AuditEvent.objects.filter(object_type="schemes.Scheme").exists()
