"""Synthetic schemes at any size, from a seed: referrals that every screen can show, and the
police and ONS data the evaluation reads.

    >>> from diversion.synthetic.generate import scheme_generate
    >>> scheme_generate(scheme=scheme, referrals=10_000, police_records=50_000, seed=7)

The mix follows the public descriptions of the West Midlands scheme: nine in ten referred for
cannabis, about 65% completing at least the assessment, 11-13% of the diverted re-offending
within six months, charges and cautions for possession falling by about 71% and 80% after
go-live while recorded possession offences rise by about 30%, and the share of formal outcomes
for Black and mixed White and Black Caribbean men falling from about 46% to 12.5%.

Rows are written with `core.bulk` (COPY on PostgreSQL), with arrays drawn by NumPy, so a
million referrals and five million police records take minutes, and a test's few hundred take
well under a second. The referrals' history goes through `referral_histories_write`, which
checks every step against the lifecycle's table. Names come from a small pool encrypted once;
each person has the exact name-and-birth-date match key (not the fuzzy ones) and no contact
details.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from diversion.accounts.models import User
from diversion.accounts.services import user_create
from diversion.audit.models import AuditAction
from diversion.audit.services import Actor, audit_record
from diversion.core.bulk import ids_reserve, rows_write
from diversion.core.crypto import encrypt, normalise_name
from diversion.core.roles import Role
from diversion.evaluation.imports.base import fast_blind_index
from diversion.people.matching import PURPOSE
from diversion.people.models import MatchKind, Person, PersonMatchKey
from diversion.referrals.drugs import DRUGS
from diversion.referrals.lifecycle import ENGAGED, ReferralStatus
from diversion.referrals.models import DrugFound, Referral
from diversion.referrals.services import REFERENCE_ALPHABET
from diversion.referrals.transitions import referral_histories_write
from diversion.schemes.models import Scheme
from diversion.synthetic.mixes import (
    DAYS_TO_STATUS,
    DRUG_MIX,
    ETHNICITY,
    HOUR_WEIGHTS,
    HOW_FOUND,
    days_to_step,
    status_path,
)
from diversion.synthetic.police import police_data_generate

S = ReferralStatus
CHUNK = 50_000
REPEAT_SHARE = 0.07
# Those booked on a course who never come (not engaged at the course deadline).
COURSE_NO_SHOW = 0.08
ACTOR = Actor(label="command:generate")
Progress = Callable[[str, int, int], None]


@dataclass
class Generated:
    scheme: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        lines = [f"Scheme {self.scheme}:"]
        for name, count in self.counts.items():
            took = self.seconds.get(name)
            rate = f" in {took:.1f} s ({count / took:,.0f} rows/s)" if took else ""
            lines.append(f"  {count:>10,} {name}{rate}")
        return lines


def scheme_generate(
    *,
    scheme: Scheme,
    referrals: int,
    police_records: int,
    seed: int,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Generated:
    """Add `referrals` referrals and about `police_records` police records to the scheme."""
    today = today or timezone.localdate()
    rng = np.random.default_rng(seed)
    result = Generated(scheme=scheme.code)
    with transaction.atomic():
        people = _referrals_generate(scheme, referrals, rng, seed, today, result, progress)
        police_data_generate(
            scheme=scheme,
            people=people,
            police_records=police_records,
            rng=rng,
            today=today,
            result=result,
            progress=progress,
        )
        audit_record(
            actor=ACTOR,
            action=AuditAction.CREATE,
            object_type="synthetic.Generated",
            object_id=f"{scheme.code}-{seed}",
            scheme=scheme,
            reason="Synthetic data generated",
            changes={"seed": seed, **result.counts},
        )
    return result


def referral_period(scheme: Scheme, today: dt.date) -> tuple[dt.date, dt.date]:
    """From go-live (or two years back, if go-live is recent or to come) to two days ago."""
    end = today - dt.timedelta(days=2)
    start = (
        scheme.go_live
        if scheme.go_live < today - dt.timedelta(days=90)
        else today - dt.timedelta(days=730)
    )
    return start, end


def _weights(rows: list[tuple[Any, ...]]) -> np.ndarray:
    weights = np.array([row[-1] for row in rows], dtype=float)
    return weights / weights.sum()


def _utc_text(local: pd.DatetimeIndex) -> np.ndarray:
    """Naive local times in England as naive UTC text, the way Django stores them."""
    aware = local.tz_localize(
        ZoneInfo(settings.TIME_ZONE),
        ambiguous=np.zeros(len(local), dtype=bool),
        nonexistent="shift_forward",
    )
    utc = aware.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[s]")
    return np.char.replace(np.datetime_as_string(utc, unit="s"), "T", " ")


def _officer(scheme: Scheme) -> User:
    officer = (
        User.objects.filter(organisation=scheme.force, role=Role.OFFICER).order_by("pk").first()
    )
    if officer is None:
        officer = user_create(
            actor=ACTOR,
            email=f"generated-officer-{scheme.code.lower()}@generated.diversion.invalid",
            full_name="Generated officer",
            role=Role.OFFICER,
            organisation=scheme.force,
            password=None,
        )
    return officer


def _references(scheme: Scheme, count: int, rng: np.random.Generator) -> list[str]:
    """Unique references in the service's format (WM-7K3Q-92), none already used."""
    taken = set(
        Referral.objects.filter(reference__startswith=f"{scheme.code}-").values_list(
            "reference", flat=True
        )
    )
    space = 32**4 * 8**2
    numbers = rng.choice(space, size=min(space, count + len(taken) + 100), replace=False)
    made: list[str] = []
    for number in numbers.tolist():
        letters = "".join(REFERENCE_ALPHABET[(number >> (5 * i)) & 31] for i in range(4))
        digits = f"{'23456789'[(number >> 20) & 7]}{'23456789'[(number >> 23) & 7]}"
        reference = f"{scheme.code}-{letters}-{digits}"
        if reference not in taken:
            made.append(reference)
            if len(made) == count:
                break
    return made


def _statuses(rng: np.random.Generator, age_days: np.ndarray) -> list[list[str]]:
    """Each referral's path, by how long ago it was made (as the demo's, with course no-shows)."""
    n = len(age_days)
    roll, onward, no_show = rng.random(n), rng.random(n), rng.random(n)
    return [
        status_path(age, iter(draws).__next__, course_no_show=COURSE_NO_SHOW)
        for age, *draws in zip(
            age_days.tolist(), roll.tolist(), onward.tolist(), no_show.tolist(), strict=True
        )
    ]


def _referrals_generate(
    scheme: Scheme,
    count: int,
    rng: np.random.Generator,
    seed: int,
    today: dt.date,
    result: Generated,
    progress: Progress | None,
) -> pd.DataFrame:
    """Write the people and referrals; return the people (one row each) for the police data."""
    started = time.monotonic()
    start, end = referral_period(scheme, today)
    officer = _officer(scheme)
    authorities = list(scheme.local_authorities.values_list("pk", "ons_code"))
    if not authorities:
        raise ValueError(f"Scheme {scheme.code} has no local authorities.")
    span = max((end - start).days, 1)
    day = np.sort(rng.integers(0, span + 1, size=count))
    hour = rng.choice(
        24,
        size=count,
        p=_weights(list(enumerate(HOUR_WEIGHTS))),
    )
    local = pd.DatetimeIndex(
        np.datetime64(start, "D")
        + day.astype("timedelta64[D]")
        + (hour * 60 + rng.integers(0, 60, size=count)).astype("timedelta64[m]")
    )
    referred_on = local.normalize()
    age_days = (np.datetime64(today, "D") - referred_on.to_numpy(dtype="datetime64[D]")).astype(int)

    # People: most referrals are someone new; a few are someone referred before.
    repeat = rng.random(count) < REPEAT_SHARE
    repeat[0] = False
    new_so_far = np.cumsum(~repeat)
    person_of = np.where(repeat, (rng.random(count) * (new_so_far - 1)).astype(int), new_so_far - 1)
    first = np.flatnonzero(~repeat)
    n_people = len(first)
    sex = rng.choice(["male", "female", "other"], size=n_people, p=[0.84, 0.15, 0.01])
    ethnic = rng.choice(len(ETHNICITY), size=n_people, p=_weights(ETHNICITY))
    band = rng.choice(4, size=n_people, p=[0.07, 0.48, 0.35, 0.10])
    age = np.choose(
        band,
        [
            rng.integers(lo, hi + 1, size=n_people)
            for lo, hi in ((14, 17), (18, 25), (26, 40), (41, 65))
        ],
    )
    first_day = referred_on[first].to_numpy(dtype="datetime64[D]")
    dob = first_day - (age * 365.25 + rng.integers(0, 364, size=n_people)).astype("timedelta64[D]")
    dob_text = np.datetime_as_string(dob, unit="D")
    person_la = rng.integers(0, len(authorities), size=n_people)

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    pools = {
        "male": [fake.first_name_male() for _ in range(200)],
        "female": [fake.first_name_female() for _ in range(200)],
    }
    pools["other"] = pools["female"][:100] + pools["male"][:100]
    families = [fake.last_name() for _ in range(400)]
    sealed = {name: encrypt(name) for names in (*pools.values(), families) for name in names}
    given_pick = rng.integers(0, 200, size=n_people)
    family_pick = rng.integers(0, 400, size=n_people)
    given = [pools[s][g] for s, g in zip(sex.tolist(), given_pick.tolist(), strict=True)]
    family = [families[f] for f in family_pick.tolist()]

    person_start = ids_reserve(Person, n_people)
    person_ids = np.arange(person_start, person_start + n_people)
    stamps = _utc_text(local)
    normal = {name: normalise_name(name) for name in sealed}
    codes = [ETHNICITY[e] for e in ethnic.tolist()]
    rows_write(
        Person,
        [
            "id",
            "scheme_id",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "self_defined_ethnicity_id",
            "observed_ethnicity_id",
            "mobile",
            "email",
            "preferred_language",
            "safe_to_text",
            "safe_to_leave_voicemail",
            "discreet_messages",
            "police_person_id",
            "police_person_id_index",
            "created_at",
            "updated_at",
        ],
        (
            (
                pid,
                scheme.pk,
                sealed[g],
                sealed[f],
                d,
                s,
                code[0],
                code[1],
                "",
                "",
                "en",
                False,
                False,
                True,
                "",
                "",
                stamp,
                stamp,
            )
            for pid, g, f, d, s, code, stamp in zip(
                person_ids.tolist(),
                given,
                family,
                dob_text.tolist(),
                sex.tolist(),
                codes,
                stamps[first].tolist(),
                strict=True,
            )
        ),
    )
    rows_write(
        PersonMatchKey,
        ["person_id", "kind", "key"],
        (
            (
                pid,
                MatchKind.EXACT.value,
                fast_blind_index(
                    f"{MatchKind.EXACT.value}|{normal[g]}|{normal[f]}|{d}", purpose=PURPOSE
                ),
            )
            for pid, g, f, d in zip(
                person_ids.tolist(), given, family, dob_text.tolist(), strict=True
            )
        ),
    )
    result.counts["people"] = n_people
    if progress:
        progress("people", n_people, n_people)

    references = _references(scheme, count, rng)
    paths = _statuses(rng, age_days)
    drug = rng.choice(len(DRUG_MIX), size=count, p=_weights(DRUG_MIX))
    how = rng.choice(len(HOW_FOUND), size=count, p=_weights(HOW_FOUND))
    referral_la = np.where(
        rng.random(count) < 0.9, person_la[person_of], rng.integers(0, len(authorities), size=count)
    )
    referral_start = ids_reserve(Referral, count)
    referral_ids = np.arange(referral_start, referral_start + count)
    utc_base = pd.DatetimeIndex(
        pd.DatetimeIndex(local)
        .tz_localize(
            ZoneInfo(settings.TIME_ZONE),
            ambiguous=np.zeros(count, dtype=bool),
            nonexistent="shift_forward",
        )
        .tz_convert("UTC")
        .tz_localize(None)
    ).to_numpy(dtype="datetime64[s]")
    at = {
        days: np.char.replace(
            np.datetime_as_string(utc_base + np.timedelta64(days, "D"), unit="s"), "T", " "
        )
        for days in sorted(set(DAYS_TO_STATUS))
    }
    young = (referred_on.to_numpy(dtype="datetime64[D]") - dob[person_of]).astype(int) < 18 * 365.25
    adult_name, eligibility = (
        encrypt("Parent (generated)"),
        json.dumps(
            {
                "eligible": True,
                "reasons": [],
                "notes": [],
                "scheme_code": scheme.code,
                "policy_version": scheme.policy_version,
                "rules_version": 1,
            }
        ),
    )
    drug_rows = [(DRUGS[code][0], DRUGS[code][1]) for code, _w in DRUG_MIX]
    for low in range(0, count, CHUNK):
        high = min(low + CHUNK, count)
        part = range(low, high)
        rows_write(
            Referral,
            [
                "id",
                "scheme_id",
                "reference",
                "person_id",
                "officer_id",
                "status",
                "stopped_at",
                "local_authority_id",
                "place",
                "how_found",
                "supply_indicators",
                "other_offences",
                "circumstances",
                "appropriate_adult_name",
                "appropriate_adult_relationship",
                "appropriate_adult_phone",
                "eligibility",
                "policy_version",
                "outcome_code",
                "consent_to_contact",
                "consent_to_share",
                "idempotency_key",
                "created_at",
                "status_changed_at",
            ],
            (
                (
                    int(referral_ids[i]),
                    scheme.pk,
                    references[i],
                    int(person_ids[person_of[i]]),
                    officer.pk,
                    paths[i][-1],
                    at[0][i],
                    authorities[referral_la[i]][0],
                    "",
                    HOW_FOUND[how[i]][0],
                    "[]",
                    "[]",
                    "[]",
                    adult_name if young[i] else "",
                    "Parent" if young[i] else "",
                    "",
                    eligibility,
                    scheme.policy_version,
                    scheme.outcome_code,
                    True,
                    True,
                    f"generated-{referral_ids[i]}",
                    at[0][i],
                    at[days_to_step(len(paths[i]) - 1)][i],
                )
                for i in part
            ),
        )
        rows_write(
            DrugFound,
            ["referral_id", "drug", "drug_class", "quantity"],
            ((int(referral_ids[i]), *drug_rows[drug[i]], "") for i in part),
        )
        referral_histories_write(
            rows=(
                (
                    int(referral_ids[i]),
                    previous,
                    status,
                    at[days_to_step(step)][i],
                    officer.pk if step == 0 else None,
                )
                for i in part
                for step, (previous, status) in enumerate(
                    zip(["", *paths[i]], paths[i], strict=False)
                )
            ),
            actor_label="generated",
        )
        if progress:
            progress("referrals", high, count)
    result.counts["referrals"] = count
    result.seconds["referrals"] = time.monotonic() - started

    statuses = np.array([path[-1] for path in paths])
    # Engaged at least once (the scheme's usual rule), even if they later missed the course.
    engaged = np.isin(statuses, list(ENGAGED)) | np.array([S.ASSESSED in path for path in paths])
    engaged_person = np.zeros(n_people, dtype=bool)
    np.logical_or.at(engaged_person, person_of, engaged)
    return pd.DataFrame(
        {
            "person_id": person_ids,
            "first_referred": first_day,
            "date_of_birth": dob,
            "sex": sex,
            "ethnicity": [code[0] for code in codes],
            "local_authority": [authorities[i][1] for i in person_la.tolist()],
            "engaged": engaged_person,
            "drug": [DRUG_MIX[d][0] for d in drug[first].tolist()],
        }
    )
