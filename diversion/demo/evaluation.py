"""Demo police and ONS data for the commissioner's dashboards: offences (with re-offending)
linked to the demo referrals' people, possession outcomes before and after go-live in the
scheme's areas and in neighbouring areas without diversion, stop-and-search, population and
illustrative unit costs. Made by the synthetic generator's police half (`synthetic/police.py`),
from a fixed seed."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pandas as pd
from django.utils import timezone

from diversion.evaluation.filters import Filters, default_period
from diversion.evaluation.selectors import report_for
from diversion.evaluation.views import SECTIONS_BY_ROLE
from diversion.referrals.lifecycle import ENGAGED
from diversion.referrals.models import Referral
from diversion.schemes.models import Scheme
from diversion.synthetic.generate import Generated
from diversion.synthetic.police import police_data_generate

# The period the README suggests for West Midlands' figures.
README_START = dt.date(2019, 10, 1)
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


def warm_evaluation_cache(*, today: dt.date | None = None) -> dict[str, float]:
    """Build the dashboards a newcomer opens first into the cache, so the first load is as fast
    as later ones: each demo scheme's default period, as analysts see it (every section) and as
    scheme administrators and provider managers do, and West Midlands from the README's
    1 October 2019. Returns the seconds each took. A cached report stays valid while the data
    and the day are unchanged (`evaluation.report.report_key`)."""
    end = today or timezone.localdate()
    start, _ = default_period(end)
    wanted = [
        (scheme, period_start, sections)
        for scheme in Scheme.objects.filter(code__in=list(POLICE_RECORDS)).order_by("code")
        for period_start in (start, *([README_START] if scheme.code == "WM" else []))
        for sections in dict.fromkeys(SECTIONS_BY_ROLE.values())
    ]
    took: dict[str, float] = {}
    for scheme, period_start, sections in wanted:
        began = time.perf_counter()
        report_for(
            filters=Filters(scheme=scheme, start=period_start, end=end),
            sections=sections,
            dashboard=True,
        )
        label = f"{scheme.code} {period_start} {'all' if sections is None else '+'.join(sections)}"
        took[label] = round(time.perf_counter() - began, 2)
    return took
