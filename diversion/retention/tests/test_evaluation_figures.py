"""The evaluation's figures for a closed past period are the same before and after the
retention job anonymised the people, their casework and the police data behind them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from diversion.evaluation import sources
from diversion.evaluation.models import PolicePerson
from diversion.evaluation.report import evaluation_report
from diversion.people.models import Person
from diversion.privacy.models import Erasure
from diversion.referrals.lifecycle import FINISHED
from diversion.referrals.models import Referral
from diversion.retention.job import retention_run
from diversion.synthetic.generate import scheme_generate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)
PERIODS = [
    (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    (dt.date(2022, 7, 1), dt.date(2024, 6, 30)),
]


def _reports(scheme: Any) -> list[dict[str, Any]]:
    sources.forget()
    return [
        evaluation_report(
            scheme=scheme, start=start, end=end, as_of=TODAY, cached=False, snapshot=False
        ).to_dict()
        for start, end in PERIODS
    ]


def test_past_figures_are_unchanged_by_anonymisation(scheme: Any) -> None:
    scheme.go_live = dt.date(2023, 1, 1)
    scheme.save()
    scheme_generate(scheme=scheme, referrals=600, police_records=3000, seed=11, today=TODAY)
    before = _reports(scheme)
    shown = {s["key"] for s in before[0]["sections"] if s["tables"]}
    assert {"operational", "reoffending", "disproportionality"} <= shown

    run = retention_run(now=timezone.now() + dt.timedelta(days=7 * 366))

    assert run.errors == []
    open_referrals = Referral.objects.exclude(status__in=FINISHED)
    closed_people = (
        Person.objects.filter(scheme=scheme).exclude(referrals__in=open_referrals).count()
    )
    assert Erasure.objects.filter(scheme=scheme).count() == closed_people > 300
    assert (
        not PolicePerson.objects.filter(scheme=scheme)
        .exclude(name_key="")
        .exclude(offences__batch__isnull=True)
        .exists()
    )
    after = _reports(scheme)
    assert after == before
