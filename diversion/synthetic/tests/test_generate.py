from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from django.core.management import call_command

from diversion.evaluation.frames import cohort_frame, outcomes_frame, referrals_frame
from diversion.evaluation.models import PoliceOffence, PolicePerson, PossessionOutcome, StopSearch
from diversion.people.matching import match_keys
from diversion.people.models import MatchKind, Person, PersonMatchKey
from diversion.referrals.lifecycle import check_path
from diversion.referrals.models import Referral, StatusChange
from diversion.synthetic.generate import scheme_generate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def generated(scheme: Any) -> Any:
    scheme.go_live = dt.date(2023, 1, 1)
    scheme.save()
    return scheme_generate(
        scheme=scheme, referrals=3000, police_records=20000, seed=11, today=TODAY
    )


def test_the_generator_writes_the_sizes_asked_for(scheme: Any, generated: Any) -> None:
    assert Referral.objects.filter(scheme=scheme).count() == 3000
    assert StatusChange.objects.filter(referral__scheme=scheme).count() >= 2 * 3000
    police = (
        PoliceOffence.objects.filter(scheme=scheme).count()
        + PossessionOutcome.objects.filter(scheme=scheme).count()
        + StopSearch.objects.filter(scheme=scheme).count()
    )
    assert 17000 <= police <= 23000


def test_every_generated_history_follows_the_lifecycle_to_the_referrals_status(
    scheme: Any, generated: Any
) -> None:
    paths: dict[int, list[str]] = {}
    for referral_id, to_status in (
        StatusChange.objects.filter(referral__scheme=scheme)
        .order_by("referral_id", "pk")
        .values_list("referral_id", "to_status")
    ):
        paths.setdefault(referral_id, []).append(to_status)
    statuses = dict(Referral.objects.filter(scheme=scheme).values_list("pk", "status"))

    assert set(paths) == set(statuses)
    for referral_id, path in paths.items():
        check_path(tuple(path))
        assert path[-1] == statuses[referral_id]
    assert set(StatusChange.objects.values_list("actor_label", flat=True)) == {"generated"}


def test_generated_referrals_are_ordinary_rows_every_screen_can_read(
    scheme: Any, generated: Any
) -> None:
    referral = Referral.objects.filter(scheme=scheme).select_related("person").first()
    assert referral is not None
    assert referral.person.given_name and referral.person.family_name  # decrypts
    assert referral.reference.startswith(f"{scheme.code}-")
    assert referral.history.first().to_status == "referred"
    assert referral.drugs.count() == 1


def test_a_generated_person_has_the_exact_match_key_the_referral_pages_look_up(
    scheme: Any, generated: Any
) -> None:
    person = Person.objects.filter(scheme=scheme).first()
    assert person is not None
    wanted = match_keys(person.given_name, person.family_name, person.date_of_birth)[
        MatchKind.EXACT
    ]

    assert PersonMatchKey.objects.filter(person=person, key__in=wanted).exists()


def test_the_mix_follows_the_published_rates(scheme: Any, generated: Any) -> None:
    referrals = referrals_frame(scheme_ids=[scheme.pk])
    settled = referrals[referrals["referred_on"] < pd.Timestamp(TODAY - dt.timedelta(days=60))]

    assert 0.85 <= (referrals["main_drug"] == "cannabis").mean() <= 0.91
    assert 0.60 <= settled["assessed"].mean() <= 0.70
    assert 0.80 <= (referrals["sex"] == "male").mean() <= 0.88


def test_about_one_in_eight_of_the_diverted_re_offend_within_six_months(
    scheme: Any, generated: Any
) -> None:
    cohort = cohort_frame(
        scheme_ids=[scheme.pk], start=dt.date(2023, 1, 1), end=dt.date(2024, 6, 30)
    )
    linked = set(
        f"P{pk}"
        for pk in PolicePerson.objects.filter(scheme=scheme, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    treated = cohort[cohort["treated"] & cohort["person_key"].isin(linked)]

    assert len(treated) > 300
    assert 0.08 <= treated["reoffended"].mean() <= 0.17
    pool = cohort[~cohort["treated"]]
    assert len(pool) > 300 and pool["reoffended"].mean() > treated["reoffended"].mean()


def test_formal_outcomes_fall_after_go_live_and_recorded_possession_rises(
    scheme: Any, generated: Any
) -> None:
    outcomes = outcomes_frame(scheme_ids=[scheme.pk])
    areas = set(scheme.local_authorities.values_list("ons_code", flat=True))
    ours = outcomes[outcomes["local_authority"].isin(areas)]
    go_live = pd.Timestamp(dt.date(2023, 1, 1))
    before = ours[
        (ours["offence_date"] < go_live)
        & (ours["offence_date"] >= go_live - pd.Timedelta(days=730))
    ]
    after = ours[
        (ours["offence_date"] >= go_live)
        & (ours["offence_date"] < go_live + pd.Timedelta(days=730))
    ]
    charge_before = (before["outcome_code"] == 1).mean()
    charge_after = (after["outcome_code"] == 1).mean()
    caution_before = before["outcome_code"].isin([2, 3]).mean()
    caution_after = after["outcome_code"].isin([2, 3]).mean()

    assert 0.6 <= 1 - charge_after / charge_before <= 0.8
    assert 0.7 <= 1 - caution_after / caution_before <= 0.9
    assert 1.15 <= len(after) / len(before) <= 1.45
    assert after["diverted"].mean() > 0.5 and not before["diverted"].any()


def test_the_same_seed_gives_the_same_data(scheme: Any, other_scheme: Any) -> None:
    for target in (scheme, other_scheme):
        target.go_live = dt.date(2023, 1, 1)
        target.save()
        scheme_generate(scheme=target, referrals=200, police_records=500, seed=5, today=TODAY)

    def shape(target: Any) -> list[tuple[Any, ...]]:
        return list(
            Referral.objects.filter(scheme=target)
            .order_by("stopped_at", "pk")
            .values_list("status", "stopped_at", "how_found")
        )

    assert shape(scheme) == shape(other_scheme)


def test_the_generate_command_reports_what_it_made(scheme: Any, capsys: Any) -> None:
    call_command("generate", scheme=scheme.code, referrals=50, police_records=200, seed=3)

    out = capsys.readouterr().out
    assert "50 referrals" in out
    assert Referral.objects.filter(scheme=scheme).count() == 50
