"""The police and ONS half of the synthetic data (see `generate.py`; the demo's police data is
made here too): offences with re-offending for the diverted and for a comparison pool,
possession outcomes before and after go-live in the scheme's areas and in neighbouring areas
without diversion, stop-and-search, population and illustrative unit costs. Written into the
evaluation's own tables, as an import of real police data would be."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

from diversion.core.bulk import ids_reserve, rows_write
from diversion.evaluation.models import (
    ImportBatch,
    ImportKind,
    LinkKind,
    PoliceOffence,
    PolicePerson,
    Population,
    PossessionOutcome,
    StopSearch,
    UnitCost,
)
from diversion.schemes.models import Scheme

# Shares of the police records by data set.
OFFENCE_SHARE, OUTCOME_SHARE = 0.45, 0.40
# Re-offending: a share ever re-offend (within two years), the time to it exponential with this
# mean, so that about 12% of the diverted and 16% of the pool re-offend within six months.
EVER_REOFFEND = {"engaged": 0.25, "not_engaged": 0.34, "pool": 0.36}
MEAN_DAYS_TO_REOFFENCE = 300
OTHER_OFFENCES = [("105A", 3), ("8N", 2), ("46", 3), ("49", 2), ("58C", 1), ("28E", 1)]
# Formal outcomes (charge, caution, penalty notice) as a share of possession outcomes.
FORMAL = {"before": 0.38, "after": 0.11}
FORMAL_BLACK_MALE = {"before": 0.46, "after": 0.125}
BLACK_CARIBBEAN = ("B1", "M1")
FORMAL_SPLIT = {"before": (0.55, 0.30, 0.15), "after": (0.56, 0.21, 0.23)}
VOLUME_AFTER_GO_LIVE = 1.3
COMPARISON_SHARE = 0.25
# Neighbouring areas without diversion (ONS codes), for the comparison.
COMPARISON_AREAS = ["E10000028", "E10000031", "E06000021", "E10000018"]
SEARCH_ETHNICITY = [
    ("W1", "IC1", 45), ("W9", "IC2", 3), ("A1", "IC4", 6), ("A2", "IC4", 12), ("A3", "IC4", 3),
    ("B1", "IC3", 9), ("B2", "IC3", 6), ("M1", "IC3", 6), ("M3", "IC1", 1), ("O9", "IC6", 2),
    ("NS", "IC9", 7),
]  # fmt: skip
# 2021 Census: usual residents, and shares by ethnic group (West Midlands figures, rounded).
POPULATION = {
    "E08000025": 1_144_900, "E08000026": 345_300, "E08000027": 323_500, "E08000028": 341_800,
    "E08000029": 216_200, "E08000030": 284_100, "E08000031": 263_700,
}  # fmt: skip
GROUP_SHARES = {
    "E08000025": {"White": 0.49, "Asian": 0.31, "Black": 0.11, "Mixed": 0.05, "Other": 0.04},
    "default": {"White": 0.78, "Asian": 0.12, "Black": 0.04, "Mixed": 0.04, "Other": 0.02},
}
# Illustrative unit costs (replace with the scheme's own, with their sources).
UNIT_COSTS = [
    ("diversion_referral", "310.00", "Illustrative: contract value divided by forecast referrals"),
    (
        "charge",
        "1950.00",
        "Illustrative: police, CPS and magistrates' court costs of a summary case",
    ),
    ("caution", "395.00", "Illustrative: police time to administer a caution"),
    ("penalty_notice", "230.00", "Illustrative: police time to issue and process a penalty notice"),
    ("cannabis_warning", "120.00", "Illustrative: police time to give a cannabis warning"),
    (
        "community_resolution",
        "140.00",
        "Illustrative: police time to record a community resolution",
    ),
]

Progress = Callable[[str, int, int], None]


def _p(rows: list[tuple[Any, ...]]) -> np.ndarray:
    weights = np.array([row[-1] for row in rows], dtype=float)
    return weights / weights.sum()


def _days(values: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(values.astype("datetime64[D]"), unit="D")


def _batch(scheme: Scheme, kind: str, seed_text: str) -> ImportBatch:
    return ImportBatch.objects.create(
        scheme=scheme,
        kind=kind,
        file_name=f"generated ({seed_text})",
        file_sha256=hashlib.sha256(seed_text.encode()).hexdigest(),
        imported_by_label="command:generate",
        imported_at=timezone.now(),
    )


def police_data_generate(
    *,
    scheme: Scheme,
    people: pd.DataFrame,
    police_records: int,
    rng: np.random.Generator,
    today: dt.date,
    result: Any,
    progress: Progress | None = None,
) -> None:
    seed_text = f"{scheme.code} {int(rng.integers(0, 2**31))}"
    offences = int(police_records * OFFENCE_SHARE)
    outcomes = int(police_records * OUTCOME_SHARE)
    searches = max(police_records - offences - outcomes, 0)
    started = time.monotonic()
    made = _offences(
        scheme, people, offences, rng, today, _batch(scheme, ImportKind.OFFENCES, seed_text)
    )
    result.counts["police people"], result.counts["offences"] = made
    result.seconds["offences"] = time.monotonic() - started
    if progress:
        progress("offences", made[1], made[1])
    started = time.monotonic()
    result.counts["possession outcomes"] = _outcomes(
        scheme, outcomes, rng, today, _batch(scheme, ImportKind.OUTCOMES, seed_text)
    )
    result.seconds["possession outcomes"] = time.monotonic() - started
    started = time.monotonic()
    result.counts["stop and searches"] = _searches(
        scheme, searches, rng, today, _batch(scheme, ImportKind.STOP_SEARCHES, seed_text)
    )
    result.seconds["stop and searches"] = time.monotonic() - started
    result.counts["population rows"] = _population(scheme)
    result.counts["unit costs"] = unit_costs_default(scheme=scheme, valid_from=scheme.go_live)


def _offences(
    scheme: Scheme,
    people: pd.DataFrame,
    budget: int,
    rng: np.random.Generator,
    today: dt.date,
    batch: ImportBatch,
) -> tuple[int, int]:
    """People with their index offence, earlier offences and re-offences: the diverted (linked
    to their person) and a pool never diverted. Returns (police people, offences)."""
    if budget <= 0:
        return 0, 0
    linked = people.iloc[: min(len(people), int(budget * 0.5 / 1.9))]
    pool_size = max(int((budget - len(linked) * 1.9) / 2.3), 0)
    start: Any = (
        people["first_referred"].min()
        if len(people)
        else np.datetime64(today - dt.timedelta(days=730), "D")
    )
    span = max(int((np.datetime64(today, "D") - np.datetime64(start, "D")).astype(int)), 1)
    index_pool = np.datetime64(start, "D") + rng.integers(0, span, size=pool_size).astype(
        "timedelta64[D]"
    )
    authorities = [ons for ons in people["local_authority"].unique().tolist()] or COMPARISON_AREAS[
        :1
    ]
    pool_la = np.where(
        rng.random(pool_size) < 0.7,
        rng.choice(authorities, size=pool_size),
        rng.choice(COMPARISON_AREAS, size=pool_size),
    )
    pool_sex = rng.choice(["male", "female", "other"], size=pool_size, p=[0.86, 0.13, 0.01])
    pool_eth = rng.choice(
        [row[0] for row in SEARCH_ETHNICITY], size=pool_size, p=_p(SEARCH_ETHNICITY)
    )
    pool_age = rng.integers(15, 60, size=pool_size)
    pool_dob = index_pool - (pool_age * 365.25 + rng.integers(0, 364, size=pool_size)).astype(
        "timedelta64[D]"
    )

    everyone = pd.DataFrame(
        {
            "person_id": np.concatenate([linked["person_id"].to_numpy(), np.full(pool_size, -1)]),
            "index_date": np.concatenate(
                [linked["first_referred"].to_numpy(dtype="datetime64[D]"), index_pool]
            ),
            "date_of_birth": np.concatenate(
                [linked["date_of_birth"].to_numpy(dtype="datetime64[D]"), pool_dob]
            ),
            "sex": np.concatenate([linked["sex"].to_numpy(), pool_sex]),
            "ethnicity": np.concatenate([linked["ethnicity"].to_numpy(), pool_eth]),
            "local_authority": np.concatenate([linked["local_authority"].to_numpy(), pool_la]),
            "ever": np.concatenate(
                [
                    np.where(
                        linked["engaged"], EVER_REOFFEND["engaged"], EVER_REOFFEND["not_engaged"]
                    ),
                    np.full(pool_size, EVER_REOFFEND["pool"]),
                ]
            ),
            "priors_mean": np.concatenate([np.full(len(linked), 0.6), np.full(pool_size, 0.9)]),
            "index_code": np.concatenate(
                [
                    np.where(linked["drug"] == "cannabis", "92E", "92D"),
                    np.where(rng.random(pool_size) < 0.88, "92E", "92D"),
                ]
            ),
        }
    )
    n = len(everyone)
    first_id = ids_reserve(PolicePerson, n)
    ids = np.arange(first_id, first_id + n)
    rows_write(
        PolicePerson,
        [
            "id",
            "scheme_id",
            "police_id_index",
            "name_key",
            "date_of_birth",
            "sex",
            "ethnicity",
            "local_authority",
            "person_id",
            "link",
        ],
        (
            (
                pid,
                scheme.pk,
                "",
                "",
                dob,
                sex,
                eth,
                la,
                person if person > 0 else None,
                LinkKind.GENERATED.value if person > 0 else "",
            )
            for pid, dob, sex, eth, la, person in zip(
                ids.tolist(),
                _days(everyone["date_of_birth"].to_numpy()).tolist(),
                everyone["sex"].tolist(),
                everyone["ethnicity"].tolist(),
                everyone["local_authority"].tolist(),
                everyone["person_id"].tolist(),
                strict=True,
            )
        ),
    )

    index = everyone["index_date"].to_numpy(dtype="datetime64[D]")
    # The index offence itself.
    owner = [ids]
    when = [index]
    code = [everyone["index_code"].to_numpy()]
    # Earlier offences, up to three years before.
    priors = rng.poisson(everyone["priors_mean"].to_numpy())
    prior_owner = np.repeat(np.arange(n), priors)
    owner.append(ids[prior_owner])
    when.append(
        index[prior_owner]
        - rng.integers(30, 3 * 365, size=len(prior_owner)).astype("timedelta64[D]")
    )
    code.append(_offence_codes(rng, len(prior_owner), possession=0.4))
    # Re-offences: the first after an exponential time; some offend again.
    reoffends = rng.random(n) < everyone["ever"].to_numpy()
    first_gap = rng.exponential(MEAN_DAYS_TO_REOFFENCE, size=n).astype(int) + 1
    again = reoffends & (rng.random(n) < 0.3)
    for chosen, gap in ((reoffends, first_gap), (again, first_gap + rng.integers(20, 300, size=n))):
        owner.append(ids[chosen])
        when.append(index[chosen] + gap[chosen].astype("timedelta64[D]"))
        code.append(_offence_codes(rng, int(chosen.sum()), possession=0.6))
    owner_all, when_all, code_all = (
        np.concatenate(owner),
        np.concatenate(when),
        np.concatenate(code),
    )
    keep = when_all <= np.datetime64(today, "D")
    owner_all, when_all, code_all = owner_all[keep], when_all[keep], code_all[keep]
    count = len(owner_all)
    # About half of the later offences are proven by a conviction or caution within months.
    proven = rng.random(count)
    disposal = np.where(proven < 0.35, "conviction", np.where(proven < 0.5, "caution", ""))
    disposal_when = when_all + rng.integers(7, 150, size=count).astype("timedelta64[D]")
    disposal[disposal_when > np.datetime64(today, "D")] = ""
    disposal_text = _days(disposal_when).astype(object)
    disposal_text[disposal == ""] = None
    possession = np.isin(code_all, ["92D", "92E"])
    rows_write(
        PoliceOffence,
        [
            "scheme_id",
            "police_person_id",
            "offence_date",
            "offence_code",
            "is_possession",
            "is_arrest",
            "disposal",
            "disposal_date",
            "batch_id",
            "row_key",
        ],
        (
            (scheme.pk, o, d, c, bool(p), False, disp, dd, batch.pk, f"g{batch.pk}:{i}")
            for i, (o, d, c, p, disp, dd) in enumerate(
                zip(
                    owner_all.tolist(),
                    _days(when_all).tolist(),
                    code_all.tolist(),
                    possession.tolist(),
                    disposal.tolist(),
                    disposal_text.tolist(),
                    strict=True,
                )
            )
        ),
    )
    batch.rows_read = batch.rows_added = count
    batch.save(update_fields=["rows_read", "rows_added"])
    return n, count


def _offence_codes(rng: np.random.Generator, size: int, *, possession: float) -> np.ndarray:
    other = rng.choice([row[0] for row in OTHER_OFFENCES], size=size, p=_p(OTHER_OFFENCES))
    return np.where(
        rng.random(size) < possession, np.where(rng.random(size) < 0.85, "92E", "92D"), other
    )


def _outcomes(
    scheme: Scheme, count: int, rng: np.random.Generator, today: dt.date, batch: ImportBatch
) -> int:
    """Possession offences two years either side of go-live, 30% more recorded after it in the
    scheme's areas; fewer formal outcomes after it, most of all for Black Caribbean men."""
    if count <= 0:
        return 0
    go_live = np.datetime64(min(scheme.go_live, today), "D")
    first, last = go_live - np.timedelta64(730, "D"), np.datetime64(today, "D")
    before_days = int((go_live - first).astype(int))
    after_days = max(int((last - go_live).astype(int)), 0)
    comparison = rng.random(count) < COMPARISON_SHARE
    p_after = VOLUME_AFTER_GO_LIVE * after_days / (before_days + VOLUME_AFTER_GO_LIVE * after_days)
    p_after_comparison = after_days / (before_days + after_days)
    after = rng.random(count) < np.where(comparison, p_after_comparison, p_after)
    offset = np.where(
        after,
        rng.integers(0, max(after_days, 1), size=count),
        rng.integers(-before_days, 0, size=count),
    )
    day = go_live + offset.astype("timedelta64[D]")
    authorities = list(scheme.local_authorities.values_list("ons_code", flat=True))
    la = np.where(
        comparison, rng.choice(COMPARISON_AREAS, size=count), rng.choice(authorities, size=count)
    )
    sex = rng.choice(["male", "female", "other"], size=count, p=[0.88, 0.11, 0.01])
    ethnicity = rng.choice([row[0] for row in SEARCH_ETHNICITY], size=count, p=_p(SEARCH_ETHNICITY))
    cannabis = rng.random(count) < 0.88
    diverting = after & ~comparison
    black_male = np.isin(ethnicity, BLACK_CARIBBEAN) & (sex == "male")
    formal_p = np.where(
        diverting,
        np.where(black_male, FORMAL_BLACK_MALE["after"], FORMAL["after"]),
        np.where(black_male, FORMAL_BLACK_MALE["before"], FORMAL["before"]),
    )
    formal = rng.random(count) < formal_p
    charge_p, caution_p, _pnd = (
        np.array(FORMAL_SPLIT["after"])[:, None] * diverting
        + np.array(FORMAL_SPLIT["before"])[:, None] * ~diverting
    )
    kind = rng.random(count)
    formal_code = np.where(
        kind < charge_p,
        1,
        np.where(kind < charge_p + caution_p, np.where(rng.random(count) < 0.06, 2, 3), 6),
    )
    roll = rng.random(count)
    informal_before = np.where(roll < 0.70, np.where(cannabis, 7, 8), np.where(roll < 0.88, 8, 21))
    informal_after = np.where(
        roll < 0.85, scheme.outcome_code, np.where(roll < 0.92, np.where(cannabis, 7, 8), 21)
    )
    informal = np.where(diverting, informal_after, informal_before)
    outcome = np.where(formal, formal_code, informal)
    diverted = diverting & ~formal & (roll < 0.85)
    rows_write(
        PossessionOutcome,
        [
            "scheme_id",
            "offence_date",
            "local_authority",
            "offence_code",
            "outcome_code",
            "sex",
            "ethnicity",
            "diverted",
            "batch_id",
            "row_key",
        ],
        (
            (scheme.pk, d, a, "92E" if c else "92D", o, s, e, bool(v), batch.pk, f"g{batch.pk}:{i}")
            for i, (d, a, c, o, s, e, v) in enumerate(
                zip(
                    _days(day).tolist(),
                    la.tolist(),
                    cannabis.tolist(),
                    outcome.tolist(),
                    sex.tolist(),
                    ethnicity.tolist(),
                    diverted.tolist(),
                    strict=True,
                )
            )
        ),
    )
    batch.rows_read = batch.rows_added = count
    batch.save(update_fields=["rows_read", "rows_added"])
    return count


def _searches(
    scheme: Scheme, count: int, rng: np.random.Generator, today: dt.date, batch: ImportBatch
) -> int:
    if count <= 0:
        return 0
    day = np.datetime64(today, "D") - rng.integers(1, 730, size=count).astype("timedelta64[D]")
    authorities = list(scheme.local_authorities.values_list("ons_code", flat=True))
    pick = rng.choice(len(SEARCH_ETHNICITY), size=count, p=_p(SEARCH_ETHNICITY))
    observed_drift = rng.random(count) < 0.1
    sex = rng.choice(["male", "female", "other"], size=count, p=[0.89, 0.10, 0.01])
    rows_write(
        StopSearch,
        [
            "scheme_id",
            "searched_on",
            "local_authority",
            "sex",
            "ethnicity",
            "observed_ethnicity",
            "batch_id",
            "row_key",
        ],
        (
            (
                scheme.pk,
                d,
                a,
                s,
                SEARCH_ETHNICITY[k][0],
                "IC9" if drift else SEARCH_ETHNICITY[k][1],
                batch.pk,
                f"g{batch.pk}:{i}",
            )
            for i, (d, a, s, k, drift) in enumerate(
                zip(
                    _days(day).tolist(),
                    rng.choice(authorities, size=count).tolist(),
                    sex.tolist(),
                    pick.tolist(),
                    observed_drift.tolist(),
                    strict=True,
                )
            )
        ),
    )
    batch.rows_read = batch.rows_added = count
    batch.save(update_fields=["rows_read", "rows_added"])
    return count


def _population(scheme: Scheme) -> int:
    """Census figures for the scheme's areas (and the comparison areas), where none are held."""
    rows = []
    for ons in [*scheme.local_authorities.values_list("ons_code", flat=True), *COMPARISON_AREAS]:
        total = POPULATION.get(ons, 250_000)
        for group, share in GROUP_SHARES.get(ons, GROUP_SHARES["default"]).items():
            for sex, sex_share in (("female", 0.51), ("male", 0.49)):
                rows.append(
                    Population(
                        scheme=scheme,
                        local_authority=ons,
                        sex=sex,
                        ethnic_group=group,
                        population=round(total * share * sex_share),
                    )
                )
    made = Population.objects.bulk_create(rows, ignore_conflicts=True)
    return len(made)


def unit_costs_default(*, scheme: Scheme, valid_from: dt.date) -> int:
    """The illustrative unit costs, where the scheme has none of that name."""
    held = set(UnitCost.objects.filter(scheme=scheme).values_list("name", flat=True))
    new = [
        UnitCost(
            scheme=scheme,
            name=name,
            amount_pounds=Decimal(amount),
            source=source,
            valid_from=valid_from,
        )
        for name, amount, source in UNIT_COSTS
        if name not in held
    ]
    UnitCost.objects.bulk_create(new)
    return len(new)
