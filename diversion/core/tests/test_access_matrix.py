"""Every URL has an access rule and an entry here; a new URL without both fails the build."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from diversion.core.access import rule_for
from diversion.core.roles import Role

ALL = frozenset(Role.values)
PUBLIC = "public"

# url name -> roles that may open it (or PUBLIC). Deny by default: anything else gets 403.
EXPECTED: dict[str, frozenset[str] | str] = {
    "core:home": ALL,
    "core:privacy": PUBLIC,
    "core:accessibility": PUBLIC,
    "core:healthz": PUBLIC,
    "selfservice:link": PUBLIC,
    "messaging:inbound-notify": PUBLIC,
    "messaging:email-opt-out": PUBLIC,
    "core:readyz": PUBLIC,
    "accounts:sign-in": PUBLIC,
    "accounts:sign-out": PUBLIC,
    "accounts:second-factor": "before_second_factor",
    "accounts:set-up-second-factor": "before_second_factor",
    "accounts:account": ALL,
    "accounts:account-password": ALL,
    "accounts:user-list": frozenset({Role.SCHEME_ADMIN}),
    "accounts:user-detail": frozenset({Role.SCHEME_ADMIN}),
    "accounts:user-invite": frozenset({Role.SCHEME_ADMIN}),
    "accounts:invitation": PUBLIC,
    "accounts:sso-callback": PUBLIC,
    "accounts:signed-out": PUBLIC,
    "accounts:access-reviews": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "accounts:identity-providers": frozenset({Role.SCHEME_ADMIN}),
    "accounts:identity-provider": frozenset({Role.SCHEME_ADMIN}),
    "accounts:access-review": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "schemes:list": ALL,
    "schemes:detail": ALL,
    "schemes:policy-edit": frozenset({Role.SCHEME_ADMIN}),
    "schemes:sharing-edit": frozenset({Role.SCHEME_ADMIN}),
    "schemes:funding-add": frozenset({Role.SCHEME_ADMIN}),
    "schemes:create": frozenset({Role.SCHEME_ADMIN}),
    "schemes:edit": frozenset({Role.SCHEME_ADMIN}),
    "organisations:list": frozenset({Role.SCHEME_ADMIN}),
    "organisations:create": frozenset({Role.SCHEME_ADMIN}),
    "organisations:edit": frozenset({Role.SCHEME_ADMIN}),
    "local_authorities:list": frozenset({Role.SCHEME_ADMIN}),
    "local_authorities:create": frozenset({Role.SCHEME_ADMIN}),
    "local_authorities:edit": frozenset({Role.SCHEME_ADMIN}),
    "audit:event-list": frozenset({Role.SCHEME_ADMIN}),
    "engagement:notices": frozenset({Role.POLICE_SUPERVISOR}),
    "officer:mine": frozenset({Role.OFFICER}),
    "officer:start": frozenset({Role.OFFICER}),
    "officer:person": frozenset({Role.OFFICER}),
    "officer:lookup": frozenset({Role.OFFICER}),
    "officer:stop": frozenset({Role.OFFICER}),
    "officer:consent": frozenset({Role.OFFICER}),
    "officer:done": frozenset({Role.OFFICER}),
    "officer:service-worker": PUBLIC,
    "officer:manifest": PUBLIC,
    "officer:offline": frozenset({Role.OFFICER}),
    "officer:offline-session": frozenset({Role.OFFICER}),
    "officer:sync": frozenset({Role.OFFICER}),
    # The API: public to the middleware; bearer keys and scopes guard it (diversion/api/tests).
    "api:referral-create": PUBLIC,
    "api:referral-detail": PUBLIC,
    "api:slot-list": PUBLIC,
    "api:eligibility-check": PUBLIC,
    "api:notice-list": PUBLIC,
    "api:notice-acknowledge": PUBLIC,
    "api:schema": PUBLIC,
    "api:docs": PUBLIC,
    "api:not-found": PUBLIC,
    "webhooks:list": frozenset({Role.SCHEME_ADMIN}),
    "evaluation:dashboard": frozenset({Role.ANALYST, Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "evaluation:table-csv": frozenset({Role.ANALYST, Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "evaluation:report-pdf": frozenset({Role.ANALYST, Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "evaluation:extract": frozenset({Role.EVALUATOR}),
    "evaluation:methods": frozenset(
        {Role.ANALYST, Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER, Role.EVALUATOR}
    ),
    "evaluation:compare": frozenset({Role.ANALYST, Role.EVALUATOR}),
    "evaluation:imports": frozenset({Role.ANALYST, Role.SCHEME_ADMIN}),
    "webhooks:create": frozenset({Role.SCHEME_ADMIN}),
    "webhooks:edit": frozenset({Role.SCHEME_ADMIN}),
    "api_clients:list": frozenset({Role.SCHEME_ADMIN}),
    "api_clients:create": frozenset({Role.SCHEME_ADMIN}),
    "api_clients:detail": frozenset({Role.SCHEME_ADMIN}),
    "webhooks:deactivate": frozenset({Role.SCHEME_ADMIN}),
    "webhooks:delivery": frozenset({Role.SCHEME_ADMIN}),
    "webhooks:replay": frozenset({Role.SCHEME_ADMIN}),
    "casework:case-list": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:case": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:assessment": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:assessment-check": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:assessment-section": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:plan": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:plan-send": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:allocation": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:onward-new": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:onward-update": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:safeguarding": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:safeguarding-acknowledge": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:advice-list": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:advice-new": frozenset({Role.PROVIDER_MANAGER}),
    "casework:advice-edit": frozenset({Role.PROVIDER_MANAGER}),
    "casework:services": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "casework:service-new": frozenset({Role.PROVIDER_MANAGER}),
    "casework:service-edit": frozenset({Role.PROVIDER_MANAGER}),
    "casework:settings": frozenset({Role.PROVIDER_MANAGER}),
    "courses:course-type-list": frozenset({Role.PROVIDER_MANAGER}),
    "courses:course-type-add": frozenset({Role.PROVIDER_MANAGER}),
    "courses:course-type-edit": frozenset({Role.PROVIDER_MANAGER}),
    "courses:settings": frozenset({Role.PROVIDER_MANAGER}),
    "courses:session-list": frozenset({Role.PROVIDER_MANAGER}),
    "courses:session-add": frozenset({Role.PROVIDER_MANAGER}),
    "courses:my-sessions": frozenset({Role.FACILITATOR}),
    "courses:session-detail": frozenset({Role.FACILITATOR, Role.PROVIDER_MANAGER}),
    "courses:register": frozenset({Role.FACILITATOR, Role.PROVIDER_MANAGER}),
    "courses:waiting": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "courses:enrol": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "courses:capacity": frozenset({Role.PROVIDER_MANAGER}),
    "scheduling:day": frozenset({Role.WORKER}),
    "scheduling:team": frozenset({Role.PROVIDER_MANAGER}),
    "scheduling:call": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "scheduling:missed": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "scheduling:rebook": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "scheduling:interpreter": frozenset({Role.WORKER, Role.PROVIDER_MANAGER}),
    "scheduling:reassign": frozenset({Role.PROVIDER_MANAGER}),
    "scheduling:rotas": frozenset({Role.PROVIDER_MANAGER}),
    "scheduling:rota": frozenset({Role.PROVIDER_MANAGER}),
    "scheduling:away-add": frozenset({Role.PROVIDER_MANAGER}),
    "scheduling:hours-remove": frozenset({Role.PROVIDER_MANAGER}),
    "scheduling:away-remove": frozenset({Role.PROVIDER_MANAGER}),
    "privacy:requests": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "privacy:person-search": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "privacy:request-new": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "privacy:request": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "privacy:export-json": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "privacy:export-pdf": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "privacy:holds": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "privacy:hold-new": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "privacy:hold-lift": frozenset({Role.SCHEME_ADMIN, Role.PROVIDER_MANAGER}),
    "retention:index": frozenset({Role.SCHEME_ADMIN}),
    "retention:runs": frozenset({Role.SCHEME_ADMIN}),
    "retention:dry-run": frozenset({Role.SCHEME_ADMIN}),
    "retention:schedule": frozenset({Role.SCHEME_ADMIN}),
    "retention:schedule-edit": frozenset({Role.SCHEME_ADMIN}),
    "retention:records": frozenset({Role.SCHEME_ADMIN}),
    "retention:records-pdf": frozenset({Role.SCHEME_ADMIN}),
}

WEBHOOK_RECORD_PAGES = {
    "webhooks:edit",
    "webhooks:deactivate",
    "webhooks:delivery",
    "webhooks:replay",
    "api_clients:detail",
}
# Casework pages' arguments: None is the scheme's code; other values name no record (404).
_CASE = {"reference": "ZZ-AAAA-22"}
CASEWORK_ARGS: dict[str, dict[str, Any]] = {
    **{
        f"casework:{page}": _CASE
        for page in ("case", "assessment", "assessment-check", "plan", "plan-send")
    },
    "casework:allocation": _CASE,
    "casework:onward-new": _CASE,
    "casework:assessment-section": {**_CASE, "section": "drugs"},
    "casework:onward-update": {**_CASE, "pk": 1},
    "casework:safeguarding-acknowledge": {"pk": 1},
    "casework:advice-edit": {"code": None, "key": "no-such-advice"},
    "casework:service-edit": {"code": None, "pk": 1},
    **{f"casework:{page}": {"code": None} for page in ("advice-list", "advice-new")},
    **{f"casework:{page}": {"code": None} for page in ("services", "service-new", "settings")},
}
CASEWORK_RECORD_PAGES = {name for name, args in CASEWORK_ARGS.items() if set(args) - {"code"}}
COURSE_RECORD_PAGES = {
    "courses:course-type-edit",
    "courses:session-detail",
    "courses:register",
    "courses:enrol",
}
SCHEDULING_RECORD_PAGES = {
    f"scheduling:{page}"
    for page in (
        "call",
        "missed",
        "rebook",
        "interpreter",
        "reassign",
        "rota",
        "away-add",
        "hours-remove",
        "away-remove",
    )
}

RETENTION_SCHEME_PAGES = {
    "retention:schedule",
    "retention:schedule-edit",
    "retention:records",
    "retention:records-pdf",
}

PRIVACY_RECORD_PAGES = {
    "privacy:request-new",
    "privacy:request",
    "privacy:export-json",
    "privacy:export-pdf",
    "privacy:hold-lift",
}

# Pages about one record: an allowed role may still get 404 for a record outside its scope.
RECORD_PAGES = {
    "officer:done",
    "accounts:user-detail",
    "schemes:detail",
    *WEBHOOK_RECORD_PAGES,
    *CASEWORK_RECORD_PAGES,
    *COURSE_RECORD_PAGES,
    *SCHEDULING_RECORD_PAGES,
    *PRIVACY_RECORD_PAGES,
}


# Addresses that answer only POST: an allowed role's GET gets 405 (not 403).
POST_ONLY = {"officer:sync"}


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


URLS = sorted(_patterns(get_resolver()), key=lambda item: item[0])


@pytest.mark.parametrize(("name", "view"), URLS, ids=[name for name, _ in URLS])
def test_every_url_declares_an_access_rule_and_is_in_the_matrix(name: str, view: Any) -> None:
    assert rule_for(view) is not None, f"{name} has no access rule: decorate its view"
    assert name in EXPECTED, f"{name} is not in the access matrix: add it to EXPECTED"


def test_the_matrix_lists_no_url_that_does_not_exist() -> None:
    assert set(EXPECTED) == {name for name, _ in URLS}


def _url(name: str, scheme: Any, someone: Any) -> str:
    if name.startswith("schemes:") and name not in {"schemes:list", "schemes:create"}:
        return reverse(name, kwargs={"code": scheme.code})
    if name == "organisations:edit":
        return reverse(name, kwargs={"pk": scheme.force_id})
    if name == "local_authorities:edit":
        return reverse(name, kwargs={"pk": scheme.local_authorities.first().pk})
    if name == "accounts:user-detail":
        return reverse(name, kwargs={"pk": someone.pk})
    if name == "accounts:invitation":
        return reverse(name, kwargs={"token": "no-such-invitation"})
    if name == "accounts:access-review":
        return reverse(name, kwargs={"code": scheme.code})
    if name == "accounts:identity-provider":
        return reverse(name, kwargs={"pk": scheme.force_id})
    if name in CASEWORK_ARGS:
        args = CASEWORK_ARGS[name].items()
        return reverse(name, kwargs={k: scheme.code if v is None else v for k, v in args})
    if name in RETENTION_SCHEME_PAGES:
        kind = {"kind": "messages"} if name == "retention:schedule-edit" else {}
        return reverse(name, kwargs={"code": scheme.code, **kind})
    if name in PRIVACY_RECORD_PAGES:
        return reverse(name, kwargs={"person" if name.endswith("request-new") else "pk": 1})
    if name == "officer:done":
        return reverse(name, kwargs={"reference": f"{scheme.code}-AAAA-22"})
    if name in WEBHOOK_RECORD_PAGES or name in COURSE_RECORD_PAGES | SCHEDULING_RECORD_PAGES:
        return reverse(name, kwargs={"pk": 1})
    return reverse(name)


ROLE_CASES = [
    (name, role)
    for name, allowed in EXPECTED.items()
    if isinstance(allowed, frozenset)
    for role in sorted(Role.values)
]


@pytest.mark.parametrize(("name", "role"), ROLE_CASES)
def test_each_role_gets_exactly_the_pages_the_matrix_allows(
    name: str, role: str, scheme: Any, client_for: Any, make_user: Any
) -> None:
    someone = make_user(Role.OFFICER, scheme)
    client = client_for(role, scheme)
    response = client.get(_url(name, scheme, someone))
    if role in EXPECTED[name]:
        allowed = {200, 302, 404} if name in RECORD_PAGES else {200, 302}
        allowed = {405} if name in POST_ONLY else allowed
        assert response.status_code in allowed, f"{role} should open {name}"
    else:
        assert response.status_code == 403, f"{role} must not open {name}"


@pytest.mark.parametrize("name", [n for n, allowed in EXPECTED.items() if allowed != PUBLIC])
def test_pages_that_need_sign_in_send_anonymous_visitors_to_sign_in(
    name: str, scheme: Any, make_user: Any
) -> None:
    someone = make_user(Role.OFFICER, scheme)
    response = Client().get(_url(name, scheme, someone))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("name", [n for n, allowed in EXPECTED.items() if allowed == ALL])
def test_a_password_alone_without_the_second_factor_opens_nothing(
    name: str, scheme: Any, make_user: Any
) -> None:
    user = make_user(Role.SCHEME_ADMIN, scheme)
    client = Client()
    client.force_login(user)
    response = client.get(_url(name, scheme, user))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second-factor")


def test_a_scheme_outside_the_users_organisation_is_not_found(
    scheme: Any, other_scheme: Any, client_for: Any
) -> None:
    client = client_for(Role.SCHEME_ADMIN, scheme)
    assert (
        client.get(reverse("schemes:detail", kwargs={"code": other_scheme.code})).status_code == 404
    )
    assert client.get(reverse("schemes:detail", kwargs={"code": scheme.code})).status_code == 200


def test_a_scheme_admin_cannot_open_a_user_of_another_scheme(
    scheme: Any, other_scheme: Any, client_for: Any, make_user: Any
) -> None:
    stranger = make_user(Role.WORKER, other_scheme)
    client = client_for(Role.SCHEME_ADMIN, scheme)
    response = client.get(reverse("accounts:user-detail", kwargs={"pk": stranger.pk}))
    assert response.status_code == 404
