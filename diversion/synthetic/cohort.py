"""A seeded synthetic COHORT (`evaluation/columns.py`) with a known effect, for the matching
tests and `benchmarks/evaluation_matching.py`. Made in memory; nothing is written.

The diverted are younger, more often male and have fewer prior offences than the pool, and
re-offending rises with prior offences and falls with age, so a naive comparison is biased. The
true effect on the diverted is ``effect`` on the probability scale: each person's chance of
re-offending is ``base(x) + effect`` if diverted, ``base(x)`` if not, with base(x) kept within
[0.05, 0.6] so the sum stays a probability.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEXES = np.array(["female", "male"])
ETHNIC_GROUPS = np.array(["Asian", "Black", "Mixed", "Other", "White"])


def _people(
    rng: np.random.Generator, n: int, *, treated: bool, areas: int
) -> dict[str, np.ndarray]:
    shift = 1.0 if treated else 0.0
    age = np.clip(np.round(rng.gamma(4.0, 6.0 - 1.0 * shift, n) + 16), 16, 80).astype(int)
    sex = SEXES[(rng.random(n) < 0.78 + 0.08 * shift).astype(int)]
    ethnic_p = np.array([0.14, 0.10 + 0.05 * shift, 0.06, 0.03, 0.67 - 0.05 * shift])
    ethnic_group = ETHNIC_GROUPS[rng.choice(5, n, p=ethnic_p / ethnic_p.sum())]
    area_weights = np.linspace(1.0, 2.0 - shift, areas)
    local_authority = np.array([f"E08{i:06d}" for i in range(areas)])[
        rng.choice(areas, n, p=area_weights / area_weights.sum())
    ]
    prior_offences = rng.poisson(2.0 - 1.2 * shift, n)
    prior_possession = rng.binomial(prior_offences, 0.4)
    deprivation = rng.normal(0.3 * shift, 1.0, n)
    return {
        "age": age,
        "sex": sex,
        "ethnic_group": ethnic_group,
        "local_authority": local_authority,
        "prior_offences": prior_offences,
        "prior_possession": prior_possession,
        "deprivation": deprivation,
    }


def synthetic_cohort(
    *, n_treated: int, n_pool: int, effect: float = -0.05, seed: int = 0, areas: int = 7
) -> pd.DataFrame:
    """COHORT columns plus ``deprivation`` (a continuous covariate) and ``base_risk``."""
    rng = np.random.default_rng(seed)
    treated = _people(rng, n_treated, treated=True, areas=areas)
    pool = _people(rng, n_pool, treated=False, areas=areas)
    frame = pd.DataFrame({key: np.concatenate([treated[key], pool[key]]) for key in treated})
    n = n_treated + n_pool
    frame.insert(0, "person_key", [f"P{i:08d}" for i in range(n)])
    frame.insert(1, "treated", np.r_[np.ones(n_treated, bool), np.zeros(n_pool, bool)])
    frame.insert(
        2, "index_date", pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D")
    )
    linear = -1.4 + 0.45 * np.minimum(frame["prior_offences"], 6) - 0.02 * (frame["age"] - 25)
    linear += 0.15 * frame["deprivation"] + 0.2 * (frame["sex"] == "male")
    base = 0.05 + 0.55 / (1 + np.exp(-linear))
    frame["base_risk"] = base
    chance = base + effect * frame["treated"]
    frame["reoffended"] = rng.random(n) < chance
    return frame
