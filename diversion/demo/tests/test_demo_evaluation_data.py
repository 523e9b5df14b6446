from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from diversion.demo.evaluation import create_evaluation_data
from diversion.evaluation.models import PolicePerson, PossessionOutcome
from diversion.schemes.tests.factories import SchemeFactory
from diversion.synthetic.generate import scheme_generate

pytestmark = pytest.mark.django_db


def test_the_demo_police_data_links_to_the_demo_referrals(reference_data: Any) -> None:
    scheme = SchemeFactory(code="WM", go_live=dt.date(2023, 1, 1))
    scheme_generate(
        scheme=scheme, referrals=300, police_records=0, seed=2, today=dt.date(2025, 6, 30)
    )

    made = create_evaluation_data()

    assert 11_000 <= made["WM"] <= 13_000
    linked = PolicePerson.objects.filter(scheme=scheme, person__isnull=False)
    assert linked.count() > 200
    assert set(linked.values_list("person__scheme", flat=True)) == {scheme.pk}
    assert PossessionOutcome.objects.filter(scheme=scheme, diverted=True).exists()
