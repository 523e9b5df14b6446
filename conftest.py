"""Fixtures shared by every part's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from diversion.accounts.roles import Role
from diversion.accounts.tests.factories import UserFactory
from diversion.accounts.tests.helpers import sign_in
from diversion.schemes.models import Scheme
from diversion.schemes.tests.factories import EvaluatorFactory, SchemeFactory

ORGANISATION_OF_ROLE = {
    Role.OFFICER: "force",
    Role.POLICE_SUPERVISOR: "force",
    Role.WORKER: "provider",
    Role.FACILITATOR: "provider",
    Role.PROVIDER_MANAGER: "provider",
    Role.ANALYST: "commissioner",
    Role.EVALUATOR: "evaluator",
    Role.SCHEME_ADMIN: "commissioner",
}


@pytest.fixture
def scheme(db: Any) -> Scheme:
    return SchemeFactory()


@pytest.fixture
def other_scheme(db: Any) -> Scheme:
    return SchemeFactory()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """A user of the given role in the right organisation of the scheme."""

    def make(role: str, scheme: Scheme, **fields: Any) -> Any:
        kind = ORGANISATION_OF_ROLE[role]
        if kind == "evaluator":
            organisation = scheme.evaluators.first()
            if organisation is None:
                organisation = EvaluatorFactory()
                scheme.evaluators.add(organisation)
        else:
            organisation = getattr(scheme, kind)
        return UserFactory(role=role, organisation=organisation, **fields)

    return make


@pytest.fixture
def client_for(make_user: Callable[..., Any]) -> Callable[..., Client]:
    def make(role: str, scheme: Scheme, **fields: Any) -> Client:
        return sign_in(Client(), make_user(role, scheme, **fields))

    return make
