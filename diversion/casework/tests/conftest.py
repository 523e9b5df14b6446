from __future__ import annotations

from typing import Any

import pytest

from diversion.casework.tests.helpers import booked_referral
from diversion.core.roles import Role


@pytest.fixture
def worker(scheme: Any, make_user: Any) -> Any:
    return make_user(Role.WORKER, scheme)


@pytest.fixture
def referral(officer: Any, scheme: Any, slots: list[Any]) -> Any:
    """A referral of an adult with the assessment booked."""
    return booked_referral(officer, scheme, slots[0])
