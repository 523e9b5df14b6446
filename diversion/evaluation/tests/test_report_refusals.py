"""The refusals section (issue 15 §2): counts checked against pandas over the decisions as made,
small counts suppressed before a rate is shown, the local-authority filter, the cache, and the
scheme administrator's dashboard."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from diversion.audit.services import Actor
from diversion.core.roles import Role
from diversion.evaluation.report import evaluation_report
from diversion.evaluation.sections_refusals import REFUSALS, reason_label
from diversion.evaluation.suppression import SUPPRESSED
from diversion.officer.tests.builders import person_details, stop_details
from diversion.referrals.eligibility import EligibilityDecision, Reason
from diversion.referrals.services import eligibility_record_write
from diversion.schemes.tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db
OBSERVED = ["IC1", "IC2", "IC3", "IC4"]


def _write(scheme: Any, officer: Any, n: int, observed: str, reasons: list[str], la: Any) -> None:
    eligibility_record_write(
        officer=officer,
        scheme=scheme,
        person=person_details(self_defined_ethnicity="W1", observed_ethnicity=observed),
        stop=stop_details(scheme, local_authority_id=la.pk),
        decision=EligibilityDecision(
            scheme_code=scheme.code,
            policy_version=1,
            reasons=tuple(Reason(code, code) for code in reasons),
        ),
        stop_token=f"stop-{n}",
        actor=Actor.of(officer),
    )


def _made(scheme: Any, officer: Any) -> pd.DataFrame:
    rng = random.Random(1515)
    authorities = list(scheme.local_authorities.all())
    if len(authorities) < 2:
        other = LocalAuthorityFactory(force=scheme.force)
        scheme.local_authorities.add(other)
        authorities.append(other)
    rows = []
    for n in range(160):
        # IC3 refused more often (the gap the section is there to show); IC4 rare.
        observed = rng.choices(OBSERVED, weights=[60, 20, 17, 3])[0]
        refuse = rng.random() < (0.35 if observed == "IC3" else 0.12)
        reasons = (
            sorted(rng.sample(["supply", "outside_area", "did_not_engage"], 1)) if refuse else []
        )
        la = authorities[n % 2]
        _write(scheme, officer, n, observed, reasons, la)
        rows.append(
            {"observed": observed, "refused": refuse, "reasons": reasons, "la": la.ons_code}
        )
    return pd.DataFrame(rows)


def _expected(frame: pd.DataFrame) -> dict[str, tuple[Any, Any, Any]]:
    """(decisions, refused, rate) per code, with counts of 1-4 hidden as the rule says."""
    out = {}
    for code, group in frame.groupby("observed"):
        decisions, refused = len(group), int(group["refused"].sum())
        out[code] = (decisions, refused, round(100 * refused / decisions, 1))
    return out


def test_refusal_rates_by_observed_ethnicity_match_an_independent_count(
    scheme: Any, officer: Any
) -> None:
    frame = _made(scheme, officer)
    today = timezone.localdate()
    report = evaluation_report(
        scheme=scheme, start=today - dt.timedelta(days=3), end=today, sections=(REFUSALS,),
        cached=False,
    )  # fmt: skip
    table = report.table("refusals_by_observed_ethnicity")
    assert not table.withheld
    expected = _expected(frame)
    shown = {row["group"]: row for row in table.rows}
    assert set(shown) == set(expected)
    for code, (decisions, refused, rate) in expected.items():
        row = shown[code]
        eligible = decisions - refused
        if 0 < refused < 5 or 0 < eligible < 5:
            # A small count is hidden, and so is the rate worked out from it.
            assert SUPPRESSED in (row["refused"], row["eligible"])
            assert row["rate"] == SUPPRESSED
        elif row["refused"] != SUPPRESSED and row["eligible"] != SUPPRESSED:
            assert (row["decisions"], row["refused"], row["rate"]) == (decisions, refused, rate)
    # The gap is there to see: IC3 is refused more often than IC1.
    assert shown["IC3"]["rate"] > shown["IC1"]["rate"]
    reasons = {row["reason"]: row["refusals"] for row in report.table("refusal_reasons").rows}
    counted = frame["reasons"].explode().dropna().value_counts()
    for code, count in counted.items():
        assert reasons[reason_label(code)] == (count if count >= 5 else SUPPRESSED)


def test_the_local_authority_filter_and_the_cache_follow_new_decisions(
    scheme: Any, officer: Any
) -> None:
    frame = _made(scheme, officer)
    today = timezone.localdate()
    area = frame["la"].iloc[0]

    def decisions(report: Any) -> dict[str, Any]:
        rows = report.table("refusals_by_observed_ethnicity").rows
        return {row["group"]: row["decisions"] for row in rows}

    report = evaluation_report(
        scheme=scheme, start=today, end=today, local_authority=area, sections=(REFUSALS,)
    )
    in_area = frame[frame["la"] == area].groupby("observed").size()
    shown = decisions(report)
    assert set(shown) == set(in_area.index)
    for code, count in in_area.items():
        # Small counts always hidden; others shown as counted, or hidden to protect a small one.
        assert shown[code] == SUPPRESSED if count < 5 else shown[code] in (count, SUPPRESSED)
    assert shown["IC1"] == in_area["IC1"]
    la = scheme.local_authorities.get(ons_code=area)
    _write(scheme, officer, 999, "IC1", [], la)
    again = evaluation_report(
        scheme=scheme, start=today, end=today, local_authority=area, sections=(REFUSALS,)
    )
    assert decisions(again)["IC1"] == int(in_area["IC1"]) + 1


def test_the_scheme_administrator_sees_refusals_on_the_dashboard(
    scheme: Any, officer: Any, client_for: Any
) -> None:
    _made(scheme, officer)
    page = client_for(Role.SCHEME_ADMIN, scheme).get(
        reverse("evaluation:dashboard"), {"scheme": scheme.code}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Eligibility decisions and refusals" in text
    assert "Refusal rate by ethnicity as the officer saw it" in text
