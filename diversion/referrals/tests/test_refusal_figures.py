"""Refusal figures for the dashboard and the disproportionality section (issue 15 §2), checked
against pandas over the decisions as made, not against the database's own answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

import pandas as pd
import pytest
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.officer.tests.builders import person_details, stop_details
from diversion.reference.models import SelfDefinedEthnicity
from diversion.referrals.eligibility import EligibilityDecision, Reason
from diversion.referrals.models import EligibilityRecord
from diversion.referrals.selectors import refusal_figures
from diversion.referrals.services import eligibility_record_write
from diversion.schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db
REASONS = ["supply", "did_not_engage", "outside_area", "class_a_under_18"]
OBSERVED = ["IC1", "IC2", "IC3", "IC4", "IC6"]


def _decision(scheme: Any, reasons: list[str]) -> EligibilityDecision:
    return EligibilityDecision(
        scheme_code=scheme.code,
        policy_version=1,
        reasons=tuple(Reason(code, code) for code in reasons),
    )


def test_refusals_by_reason_and_ethnic_group_count_each_stops_final_decision_once(
    scheme: Any, officer: Any
) -> None:
    rng = random.Random(15)
    codes = list(SelfDefinedEthnicity.objects.values_list("code", flat=True))
    group_of = dict(SelfDefinedEthnicity.objects.values_list("code", "group"))
    other = SchemeFactory()
    today = timezone.localdate()
    made: list[dict[str, Any]] = []
    for n in range(50):
        own = n % 9 != 0
        target = scheme if own else other
        ethnicity = rng.choice(codes)
        observed = rng.choice(OBSERVED)
        reasons = sorted(rng.sample(REASONS, rng.choice([0, 0, 1, 1, 2])))
        rechecked = rng.random() < 0.2
        token = f"stop-{n}"
        person = person_details(self_defined_ethnicity=ethnicity, observed_ethnicity=observed)
        stop = stop_details(target) if own else stop_details(other)
        if rechecked:  # a first check refused, corrected and checked again: only the last counts
            eligibility_record_write(
                officer=officer,
                scheme=target,
                person=person,
                stop=stop,
                decision=_decision(target, ["appropriate_adult_absent"]),
                stop_token=token,
                actor=Actor.of(officer),
            )
        eligibility_record_write(
            officer=officer,
            scheme=target,
            person=person,
            stop=stop,
            decision=_decision(target, reasons),
            stop_token=token,
            actor=Actor.of(officer),
        )
        made.append(
            {"own": own, "group": group_of[ethnicity], "observed": observed, "reasons": reasons}
        )
    # One from before the period, which must not count.
    old = eligibility_record_write(
        officer=officer,
        scheme=scheme,
        person=person_details(),
        stop=dataclasses.replace(stop_details(scheme)),
        decision=_decision(scheme, ["supply"]),
        stop_token="old",
        actor=Actor.of(officer),
    )
    EligibilityRecord.objects.filter(pk=old.pk).update(
        decided_at=timezone.now() - dt.timedelta(days=40)
    )

    figures = refusal_figures(scheme_ids=[scheme.pk], start=today - dt.timedelta(days=7), end=today)

    frame = pd.DataFrame(made)
    frame = frame[frame["own"]]
    frame["refused"] = frame["reasons"].map(bool)
    assert figures.decisions == len(frame)
    assert figures.refusals == int(frame["refused"].sum())
    expected_reasons = frame["reasons"].explode().dropna().value_counts().to_dict()
    assert figures.by_reason == dict(sorted(expected_reasons.items()))
    by_group = frame.groupby("group")["refused"].agg(["size", "sum"])
    assert [(r.group, r.decisions, r.refusals) for r in figures.by_ethnic_group] == [
        (group, int(row["size"]), int(row["sum"])) for group, row in by_group.iterrows()
    ]
    by_observed = frame.groupby("observed")["refused"].agg(["size", "sum"])
    assert [(r.group, r.decisions, r.refusals) for r in figures.by_observed_ethnicity] == [
        (code, int(row["size"]), int(row["sum"])) for code, row in by_observed.iterrows()
    ]
    assert "appropriate_adult_absent" not in figures.by_reason
