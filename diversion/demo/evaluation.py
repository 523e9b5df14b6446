"""Demo police and ONS data for the commissioner's dashboards: offences (with re-offending)
linked to the demo referrals' people, possession outcomes before and after go-live in the
scheme's areas and in neighbouring areas without diversion, stop-and-search, population and
illustrative unit costs. Made by the synthetic generator's police half (`synthetic/police.py`),
from a fixed seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.utils import timezone

from diversion.referrals.lifecycle import ENGAGED
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme
from diversion.synthetic.generate import Generated
from diversion.synthetic.police import police_data_generate

# Police records per scheme (offences, outcomes and searches together).
POLICE_RECORDS = {"WM": 12_000, "WMC": 4_000, "TV": 6_000}


def _referred_people(scheme: Scheme) -> pd.DataFrame:
    rows = pd.DataFrame.from_records(
        Referral.objects.filter(scheme=scheme)
        .order_by("stopped_at", "pk")
        .values_list(
            "person_id",
            "stopped_at",
            "person__date_of_birth",
            "person__sex",
            "person__self_defined_ethnicity_id",
            "local_authority__ons_code",
            "status",
        ),
        columns=[
            "person_id",
            "stopped_at",
            "date_of_birth",
            "sex",
            "ethnicity",
            "local_authority",
            "status",
        ],
    )
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "person_id",
                "first_referred",
                "date_of_birth",
                "sex",
                "ethnicity",
                "local_authority",
                "engaged",
                "drug",
            ]
        )
    rows["engaged"] = rows["status"].isin(ENGAGED)
    engaged = rows.groupby("person_id")["engaged"].any()
    people = rows.drop_duplicates("person_id").copy()
    people["engaged"] = people["person_id"].map(engaged)
    people["first_referred"] = (
        pd.to_datetime(people["stopped_at"], utc=True)
        .dt.tz_localize(None)
        .to_numpy(dtype="datetime64[D]")
    )
    people["date_of_birth"] = pd.to_datetime(people["date_of_birth"]).to_numpy(
        dtype="datetime64[D]"
    )
    people["drug"] = "cannabis"
    # A shuffled order, so the people the police data covers are spread over the period.
    return people.sample(frac=1.0, random_state=2026).reset_index(drop=True)


def create_evaluation_data(*, seed: int = 2026) -> dict[str, int]:
    """Police data for every demo scheme; returns the police records made per scheme."""
    made: dict[str, int] = {}
    today = timezone.localdate()
    for scheme in Scheme.objects.filter(code__in=list(POLICE_RECORDS)).order_by("code"):
        result = Generated(scheme=scheme.code)
        police_data_generate(
            scheme=scheme,
            people=_referred_people(scheme),
            police_records=POLICE_RECORDS[scheme.code],
            rng=np.random.default_rng(seed + scheme.pk),
            today=today,
            result=result,
        )
        made[scheme.code] = sum(
            result.counts.get(name, 0)
            for name in ("offences", "possession outcomes", "stop and searches")
        )
    return made
