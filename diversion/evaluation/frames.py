"""Build the DataFrames of `columns.py` from the database.

Each builder runs a handful of set-based queries (the database driver's rows go straight into
pandas, without model instances) and does the rest with vectorised pandas, so they scale to
millions of rows. Dates are the date in England; `person_key` is `P<person id>` for a person
known to the scheme (referred, or linked from the police data) and `X<police person id>` for
someone only in the police data: pseudonymous and stable, never a name.

    >>> from diversion.evaluation.frames import referrals_frame
    >>> referrals_frame(scheme_ids=[1], start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery, Sum

from diversion.courses.models import Enrolment
from diversion.evaluation.columns import (
    COHORT,
    ETHNIC_GROUPS,
    OFFENCES,
    OUTCOMES,
    POPULATION,
    REFERRALS,
    STOP_SEARCHES,
)
from diversion.evaluation.models import (
    PoliceOffence,
    PolicePerson,
    Population,
    PossessionOutcome,
    StopSearch,
)
from diversion.reference.models import CrimeOutcome, SelfDefinedEthnicity
from diversion.referrals.drugs import DRUGS
from diversion.referrals.lifecycle import ENGAGED, ReferralStatus
from diversion.referrals.models import DrugFound, Referral, StatusChange
from diversion.schemes.models import Scheme

S = ReferralStatus
_CODE_OF_DRUG = {name: code for code, (name, _class) in DRUGS.items()}
_HOW_FOUND = {"stop_and_search": "stop_search", "custody": "custody", "other": "other"}


def ethnic_groups() -> dict[str, str]:
    """Each self-defined code's group as in `columns.ETHNIC_GROUPS`, from the reference list
    ("Asian or Asian British" -> "Asian", "Other ethnic group" -> "Other")."""
    first_words = {group.split()[0]: group for group in ETHNIC_GROUPS}
    groups = {
        code: first_words.get(group.split()[0], "Not stated")
        for code, group in SelfDefinedEthnicity.objects.values_list("code", "group")
    }
    groups["NS"] = "Not stated"
    return groups


def query_frame(queryset: QuerySet[Any], columns: Sequence[str]) -> pd.DataFrame:
    """The queryset's values, straight from the driver into a DataFrame."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchall()
    return pd.DataFrame.from_records(data, columns=list(columns))


def _local_dates(values: pd.Series) -> pd.Series:
    """Stored UTC timestamps as naive dates in England."""
    stamps = pd.to_datetime(values, utc=True, format="mixed")
    return stamps.dt.tz_convert(settings.TIME_ZONE).dt.tz_localize(None).dt.normalize()


def as_dates(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
    return pd.to_datetime(values, format="mixed").astype("datetime64[ns]")


def _sex(values: pd.Series) -> pd.Series:
    """As in `columns.py`: female, male or other (not stated counts as other)."""
    return values.where(values.isin(["female", "male"]), "other")


def _bounds(start: dt.date | None, end: dt.date | None, field: str) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def stopped_between(start: dt.date | None, end: dt.date | None) -> Q:
    zone = ZoneInfo(settings.TIME_ZONE)
    q = Q()
    if start is not None:
        q &= Q(stopped_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone))
    if end is not None:
        q &= Q(
            stopped_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        )
    return q


def empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def referrals_frame(
    *,
    scheme_ids: Sequence[int],
    start: dt.date | None = None,
    end: dt.date | None = None,
    ids: Collection[int] | None = None,
) -> pd.DataFrame:
    """One row per referral stopped from `start` to `end` inclusive (columns.REFERRALS), or only
    the referrals `ids` among them."""
    referrals = Referral.objects.filter(scheme_id__in=list(scheme_ids)).filter(
        stopped_between(start, end)
    )
    if ids is not None:
        referrals = referrals.filter(pk__in=list(ids))
    first_drug = DrugFound.objects.filter(referral=OuterRef("pk")).order_by("pk").values("drug")[:1]
    base = (
        referrals.order_by()
        .values_list(
            "pk",
            "person_id",
            "scheme__code",
            "stopped_at",
            "local_authority__ons_code",
            "how_found",
            "person__date_of_birth",
            "person__sex",
            "person__self_defined_ethnicity_id",
            "status",
        )
        .annotate(drug=Subquery(first_drug))
    )
    frame = query_frame(
        base,
        [
            "referral_id",
            "person_id",
            "scheme",
            "stopped_at",
            "local_authority",
            "how_found",
            "date_of_birth",
            "sex",
            "ethnicity",
            "status",
            "drug",
        ],
    )
    if frame.empty:
        return empty(REFERRALS)
    history = query_frame(
        StatusChange.objects.filter(referral__in=referrals.values("pk"))
        .order_by()
        .values("referral_id")
        .annotate(
            assessed_at=Min("changed_at", filter=Q(to_status=S.ASSESSED)),
            course_booked_at=Min("changed_at", filter=Q(to_status=S.COURSE_BOOKED)),
            completed_at=Min("changed_at", filter=Q(to_status=S.COMPLETED)),
            missed=Count("pk", filter=Q(to_status=S.ASSESSMENT_MISSED)),
        )
        .values_list("referral_id", "assessed_at", "course_booked_at", "completed_at", "missed"),
        ["referral_id", "assessed_at", "course_booked_at", "completed_at", "missed"],
    )
    frame = frame.merge(history, on="referral_id", how="left")
    frame = frame.merge(_course_sessions(referrals), on="referral_id", how="left")
    frame["person_key"] = "P" + frame["person_id"].astype("int64").astype(str)
    frame["referred_on"] = _local_dates(frame["stopped_at"])
    frame["how_found"] = frame["how_found"].map(_HOW_FOUND).fillna("other")
    frame["main_drug"] = frame["drug"].map(_CODE_OF_DRUG).fillna("other")
    born = as_dates(frame["date_of_birth"])
    frame["age"] = _age_on(born, frame["referred_on"])
    frame["sex"] = _sex(frame["sex"])
    frame["ethnic_group"] = frame["ethnicity"].map(ethnic_groups()).fillna("Not stated")
    frame["assessed"] = frame["assessed_at"].notna() | frame["status"].isin(ENGAGED)
    frame["course_booked"] = frame["course_booked_at"].notna() | frame["status"].eq(S.COURSE_BOOKED)
    frame["completed"] = frame["status"].eq(S.COMPLETED)
    frame["not_engaged"] = frame["status"].eq(S.NOT_ENGAGED)
    # Engaged is at least the assessment in every scheme (decision 0016).
    frame["engaged"] = frame["assessed"]
    frame["assessed_on"] = _local_dates(frame["assessed_at"])
    course_on = frame["session_at"].where(frame["session_at"].notna(), frame["completed_at"])
    frame["course_on"] = _local_dates(course_on.where(frame["course_booked"]))
    frame["missed_appointments"] = frame["missed"].fillna(0).astype("int64")
    frame["referral_id"] = frame["referral_id"].astype("int64")
    frame["engaged"] = frame["engaged"].astype(bool)
    return frame[list(REFERRALS)].reset_index(drop=True)


def _course_sessions(referrals: QuerySet[Referral]) -> pd.DataFrame:
    """The start of each referral's latest course session that still holds its seat."""
    rows = query_frame(
        Enrolment.objects.filter(referral__in=referrals.values("pk"))
        .exclude(state__in=["moved", "cancelled"])
        .order_by()
        .values("referral_id")
        .annotate(session=Min("session__starts_at"))
        .values_list("referral_id", "session"),
        ["referral_id", "session_at"],
    )
    return rows


def _age_on(born: pd.Series, on: pd.Series) -> pd.Series:
    """Whole years, counting a birthday on the day itself."""
    years = on.dt.year - born.dt.year
    before_birthday = (on.dt.month < born.dt.month) | (
        (on.dt.month == born.dt.month) & (on.dt.day < born.dt.day)
    )
    return (years - before_birthday.astype(int)).astype("Int64")


def person_keys(frame: pd.DataFrame) -> pd.Series:
    """`P<person id>` where the police person is linked to a person, else `X<police id>`."""
    linked = frame["person_id"].notna().to_numpy()
    ids = np.where(
        linked,
        pd.to_numeric(frame["person_id"]).fillna(0).to_numpy(dtype="int64"),
        frame["police_person_id"].to_numpy(dtype="int64"),
    )
    pairs = zip(linked.tolist(), ids.tolist(), strict=True)
    keys = [("P%d" if yes else "X%d") % i for yes, i in pairs]
    return pd.Series(keys, index=frame.index, dtype=object)


def offences_frame(
    *,
    scheme_ids: Sequence[int],
    start: dt.date | None = None,
    end: dt.date | None = None,
    people_of: tuple[dt.date, dt.date] | None = None,
) -> pd.DataFrame:
    """Police-recorded offences from `start` to `end` inclusive (columns.OFFENCES). Re-offending
    looks after the referral, so pass an `end` late enough for the window, or none.

    `people_of` (first day, last day) keeps only the offences, of any date, of the people the
    evaluation of that period looks at: everyone referred in it and the comparison pool (never
    diverted, a possession offence in it). At scale this is a small part of the table."""
    offences = PoliceOffence.objects.filter(scheme_id__in=list(scheme_ids))
    if people_of is not None:
        first, last = people_of
        referred = Referral.objects.filter(scheme_id__in=list(scheme_ids)).filter(
            stopped_between(first, last)
        )
        pool = PoliceOffence.objects.filter(
            scheme_id__in=list(scheme_ids),
            police_person__person__isnull=True,
            is_possession=True,
            offence_date__gte=first,
            offence_date__lte=last,
        )
        offences = offences.filter(
            Q(police_person__person_id__in=referred.values("person_id"))
            | Q(police_person_id__in=pool.values("police_person_id"))
        )
    return offences_finish(offence_rows(offences.filter(_bounds(start, end, "offence_date"))))


OFFENCE_ROWS = [
    "police_person_id",
    "person_id",
    "offence_date",
    "offence_code",
    "is_possession",
    "disposal",
    "disposal_date",
]


def offence_rows(offences: QuerySet[PoliceOffence]) -> pd.DataFrame:
    """The offences as stored (`OFFENCE_ROWS`: the police person's id and the linked person's
    id, not yet a `person_key`)."""
    return query_frame(
        offences.order_by().values_list(
            "police_person_id",
            "police_person__person_id",
            "offence_date",
            "offence_code",
            "is_possession",
            "disposal",
            "disposal_date",
        ),
        OFFENCE_ROWS,
    )


def offences_finish(rows: pd.DataFrame) -> pd.DataFrame:
    """`offence_rows` as columns.OFFENCES."""
    if rows.empty:
        return empty(OFFENCES)
    rows = rows.copy()
    if "person_key" not in rows:  # a snapshot stores it
        rows["person_key"] = person_keys(rows)
    rows["offence_date"] = as_dates(rows["offence_date"])
    rows["disposal_date"] = as_dates(rows["disposal_date"])
    rows["is_possession"] = rows["is_possession"].astype(bool)
    rows["disposal"] = rows["disposal"].fillna("")
    return rows[list(OFFENCES)].reset_index(drop=True)


def outcomes_frame(
    *, scheme_ids: Sequence[int], start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Possession offences and their outcomes from `start` to `end` inclusive (columns.OUTCOMES),
    in every area the police data covers, with diversion or without."""
    rows = query_frame(
        PossessionOutcome.objects.filter(scheme_id__in=list(scheme_ids))
        .filter(_bounds(start, end, "offence_date"))
        .order_by()
        .values_list(
            "offence_date",
            "local_authority",
            "offence_code",
            "outcome_code",
            "sex",
            "ethnicity",
            "diverted",
        ),
        [
            "offence_date",
            "local_authority",
            "offence_code",
            "outcome_code",
            "sex",
            "ethnicity",
            "diverted",
        ],
    )
    if rows.empty:
        return empty(OUTCOMES)
    groups = dict(CrimeOutcome.objects.values_list("code", "group"))
    rows["offence_date"] = as_dates(rows["offence_date"])
    rows["outcome_code"] = rows["outcome_code"].astype("int64")
    rows["outcome_group"] = rows["outcome_code"].map(groups)
    rows["sex"] = _sex(rows["sex"])
    rows["ethnic_group"] = rows["ethnicity"].map(ethnic_groups()).fillna("Not stated")
    rows["diverted"] = rows["diverted"].astype(bool)
    return rows[list(OUTCOMES)]


def stop_searches_frame(
    *, scheme_ids: Sequence[int], start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Stop-and-search records from `start` to `end` inclusive (columns.STOP_SEARCHES)."""
    rows = query_frame(
        StopSearch.objects.filter(scheme_id__in=list(scheme_ids))
        .filter(_bounds(start, end, "searched_on"))
        .order_by()
        .values_list("searched_on", "local_authority", "sex", "ethnicity", "observed_ethnicity"),
        ["searched_on", "local_authority", "sex", "ethnicity", "observed_ethnicity"],
    )
    if rows.empty:
        return empty(STOP_SEARCHES)
    rows["searched_on"] = as_dates(rows["searched_on"])
    rows["sex"] = _sex(rows["sex"])
    rows["ethnic_group"] = rows["ethnicity"].map(ethnic_groups()).fillna("Not stated")
    return rows[list(STOP_SEARCHES)]


def population_frame(
    *,
    scheme_ids: Sequence[int],
    start: dt.date | None = None,
    end: dt.date | None = None,
    census_year: int = 2021,
) -> pd.DataFrame:
    """Population by local authority, sex and ethnic group (columns.POPULATION). The period is
    accepted for a uniform signature; the census year chooses the figures."""
    rows = query_frame(
        Population.objects.filter(scheme_id__in=list(scheme_ids), census_year=census_year)
        .order_by()
        .values("local_authority", "sex", "ethnic_group")
        .annotate(total=Sum("population"))
        .values_list("local_authority", "sex", "ethnic_group", "total"),
        list(POPULATION),
    )
    if rows.empty:
        return empty(POPULATION)
    rows["population"] = rows["population"].astype("int64")
    return rows


def cohort_frame(
    *,
    scheme_ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    window_days: int = 182,
    possession_only: bool = False,
) -> pd.DataFrame:
    """The matched comparison's people (columns.COHORT): everyone first referred from `start` to
    `end` (treated, indexed on that referral) and a pool of people in the police data with a
    possession offence in the period who were never diverted (indexed on their first such
    offence). `reoffended` is any police-recorded offence (or possession offence only) in the
    `window_days` after the index date; whether the window has passed is the caller's to check."""
    referrals = referrals_frame(scheme_ids=scheme_ids, start=start, end=end)
    offences = offences_frame(scheme_ids=scheme_ids)
    treated = (
        referrals.sort_values(["referred_on", "referral_id"])
        .drop_duplicates("person_key")
        .rename(columns={"referred_on": "index_date"})
        .assign(treated=True)[
            ["person_key", "treated", "index_date", "age", "sex", "ethnic_group", "local_authority"]
        ]
    )
    pool = pool_frame(scheme_ids=scheme_ids, start=start, end=end)
    pool = pool[~pool["person_key"].isin(treated["person_key"])]
    people = pd.concat([treated, pool], ignore_index=True)
    if people.empty:
        return empty(COHORT)
    people["index_date"] = people["index_date"].astype("datetime64[ns]")
    history = offences[["person_key", "offence_date", "is_possession"]].merge(
        people[["person_key", "index_date"]], on="person_key"
    )
    before = history[history["offence_date"] < history["index_date"]]
    prior = before.groupby("person_key").agg(
        prior_offences=("offence_date", "size"), prior_possession=("is_possession", "sum")
    )
    after = history[
        (history["offence_date"] > history["index_date"])
        & (history["offence_date"] <= history["index_date"] + pd.Timedelta(days=window_days))
    ]
    if possession_only:
        after = after[after["is_possession"]]
    people = people.merge(prior, left_on="person_key", right_index=True, how="left")
    people["prior_offences"] = people["prior_offences"].fillna(0).astype("int64")
    people["prior_possession"] = people["prior_possession"].fillna(0).astype("int64")
    people["reoffended"] = people["person_key"].isin(after["person_key"])
    people["treated"] = people["treated"].astype(bool)
    return people[list(COHORT)].reset_index(drop=True)


def pool_frame(*, scheme_ids: Sequence[int], start: dt.date, end: dt.date) -> pd.DataFrame:
    """People in the police data, never referred, with a possession offence in the period."""
    rows = query_frame(
        PolicePerson.objects.filter(scheme_id__in=list(scheme_ids), person__isnull=True)
        .annotate(
            index_date=Min(
                "offences__offence_date",
                filter=Q(
                    offences__is_possession=True,
                    offences__offence_date__gte=start,
                    offences__offence_date__lte=end,
                ),
            )
        )
        .filter(index_date__isnull=False)
        .order_by()
        .values_list("pk", "index_date", "date_of_birth", "sex", "ethnicity", "local_authority"),
        ["police_person_id", "index_date", "date_of_birth", "sex", "ethnicity", "local_authority"],
    )
    return pool_finish(rows)


POOL = ["person_key", "treated", "index_date", "age", "sex", "ethnic_group", "local_authority"]


def pool_finish(rows: pd.DataFrame) -> pd.DataFrame:
    """Police people (police_person_id, index_date, date_of_birth, sex, ethnicity,
    local_authority) as the comparison pool's columns (`POOL`)."""
    if rows.empty:
        return empty(POOL)
    rows = rows.copy()
    rows["person_key"] = "X" + rows["police_person_id"].astype("int64").astype(str)
    rows["treated"] = False
    rows["index_date"] = as_dates(rows["index_date"])
    rows["age"] = _age_on(as_dates(rows["date_of_birth"]), rows["index_date"])
    rows["sex"] = _sex(rows["sex"])
    rows["ethnic_group"] = rows["ethnicity"].map(ethnic_groups()).fillna("Not stated")
    return rows[POOL].reset_index(drop=True)


def scheme_ids_of(codes: Iterable[str]) -> list[int]:
    return list(Scheme.objects.filter(code__in=list(codes)).values_list("pk", flat=True))


__all__ = [
    "cohort_frame",
    "ethnic_groups",
    "offences_frame",
    "outcomes_frame",
    "pool_frame",
    "population_frame",
    "referrals_frame",
    "stop_searches_frame",
]
