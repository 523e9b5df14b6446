"""Every administration URL, found in the URLconf rather than listed by hand, is for scheme
administrators alone: every other role gets 403 on GET and on POST and changes nothing, an
anonymous visitor is sent to sign in, and a password without the second factor opens nothing.

An administration URL is one whose view declares the scheme administrator as its only role, or
one under an administration address (`ADMIN_ADDRESSES`): a new page there that forgets its
`@roles(Role.SCHEME_ADMIN)` fails `test_every_page_under_an_administration_address_...`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from diversion.accounts.tests.helpers import sign_in
from diversion.audit.models import AuditEvent
from diversion.core.access import rule_for
from diversion.core.roles import Role

ADMIN = frozenset({Role.SCHEME_ADMIN})
# Addresses that hold administration pages only; a scheme's own page (/schemes/WMD/) is for
# every role, the pages below it (policy, sharing, funding, details) and /schemes/new/ are not.
ADMIN_ADDRESSES = re.compile(
    r"^(organisations|local-authorities|users|identity-providers|api-clients|webhooks|audit)/"
    r"|^schemes/(new/|<str:code>/.)"
)
# Pages that must be found as administration pages (so the discovery itself cannot go blind).
MUST_FIND = {
    "schemes:create",
    "schemes:edit",
    "schemes:policy-edit",
    "organisations:list",
    "organisations:create",
    "organisations:edit",
    "local_authorities:list",
    "local_authorities:create",
    "local_authorities:edit",
    "accounts:user-invite",
    "accounts:identity-provider",
    "api_clients:create",
    "webhooks:create",
    "audit:event-list",
}
# Tables an administration page writes; a refused request leaves each as it was.
WRITTEN = [
    "schemes.Scheme",
    "schemes.Organisation",
    "schemes.LocalAuthority",
    "schemes.FundingPeriod",
    "accounts.User",
    "accounts.Invitation",
    "accounts.ApiClient",
    "accounts.IdentityProvider",
    "accounts.GroupRole",
    "webhooks.WebhookSubscription",
]


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    view: Any
    converters: tuple[tuple[str, str], ...]


def _pages(resolver: URLResolver, namespace: str = "", prefix: str = "") -> Iterator[Page]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _pages(entry, inner, route)
        elif isinstance(entry, URLPattern):
            converters = re.findall(r"<(?:(\w+):)?(\w+)>", route)
            yield Page(
                name=f"{namespace}{entry.name}",
                route=route,
                view=entry.callback,
                converters=tuple((kind or "str", name) for kind, name in converters),
            )


PAGES = sorted(_pages(get_resolver()), key=lambda page: page.name)


def _is_admin_page(page: Page) -> bool:
    rule = rule_for(page.view)
    declared = rule is not None and not rule.public and rule.roles == ADMIN
    return declared or bool(ADMIN_ADDRESSES.search(page.route))


ADMIN_PAGES = [page for page in PAGES if _is_admin_page(page)]
OTHER_ROLES = sorted(set(Role.values) - ADMIN)


def test_the_administration_pages_are_found_in_the_urlconf() -> None:
    found = {page.name for page in ADMIN_PAGES}
    assert found >= MUST_FIND, MUST_FIND - found
    assert "schemes:detail" not in found and "accounts:invitation" not in found


@pytest.mark.parametrize("page", ADMIN_PAGES, ids=[page.name for page in ADMIN_PAGES])
def test_every_page_under_an_administration_address_is_for_scheme_administrators_only(
    page: Page,
) -> None:
    rule = rule_for(page.view)
    assert rule is not None, f"{page.name} has no access rule"
    assert not rule.public and rule.roles == ADMIN, (
        f"{page.name} ({page.route}) is an administration page but allows {rule.describe()}"
    )


def _url(page: Page, scheme: Any) -> str:
    kwargs = {name: 1 if kind == "int" else scheme.code for kind, name in page.converters}
    return reverse(page.name, kwargs=kwargs or None)


def _tables() -> dict[str, int]:
    counts = {label: apps.get_model(label).objects.count() for label in WRITTEN}
    counts["audit changes"] = AuditEvent.objects.filter(
        action__in=["create", "update", "delete"]
    ).count()
    return counts


# Something to post to every form: names the pages use, with values that would be accepted.
POSTED = {
    "action": "deactivate",
    "name": "Taken over",
    "kind": "force",
    "email": "intruder@example.org",
    "full_name": "Intruder",
    "role": Role.SCHEME_ADMIN,
    "reason": "no reason",
    "ons_code": "E08000025",
    "code": "ZZ",
}


@pytest.mark.parametrize("page", ADMIN_PAGES, ids=[page.name for page in ADMIN_PAGES])
def test_every_other_role_gets_403_on_get_and_post_and_changes_nothing(
    page: Page, scheme: Any, client_for: Any
) -> None:
    url = _url(page, scheme)
    clients = {role: client_for(role, scheme) for role in OTHER_ROLES}
    before = _tables()
    for role, client in clients.items():
        assert client.get(url).status_code == 403, f"{role} must not open {page.name}"
        assert client.post(url, POSTED).status_code == 403, f"{role} must not post {page.name}"
    assert _tables() == before


@pytest.mark.parametrize("page", ADMIN_PAGES, ids=[page.name for page in ADMIN_PAGES])
def test_anonymous_visitors_are_sent_to_sign_in_and_a_password_alone_opens_nothing(
    page: Page, scheme: Any, make_user: Any
) -> None:
    url = _url(page, scheme)
    admin = Client()
    admin.force_login(make_user(Role.SCHEME_ADMIN, scheme))
    before = _tables()
    for method in ("get", "post"):
        response = getattr(Client(), method)(url, POSTED if method == "post" else None)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
        response = getattr(admin, method)(url, POSTED if method == "post" else None)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:second-factor")
    assert _tables() == before


@pytest.mark.parametrize("page", ADMIN_PAGES, ids=[page.name for page in ADMIN_PAGES])
def test_a_scheme_administrator_opens_every_administration_page(
    page: Page, scheme: Any, make_user: Any
) -> None:
    admin = sign_in(Client(), make_user(Role.SCHEME_ADMIN, scheme))
    # 404: a page about one record that is not the administrator's (pk 1 may be anyone's).
    assert admin.get(_url(page, scheme)).status_code in {200, 302, 404}
