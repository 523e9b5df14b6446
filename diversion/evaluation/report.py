"""One report for a scheme, period and (optionally) local authority: every published figure, in
one structure that the dashboard, the board report PDF, the CSV downloads and `diversion
evaluate` all use, so they can never disagree.

Every count is published through small-number suppression: a suppressed cell holds
`SUPPRESSED` ("[c]"), and so does every figure derived from it (a percentage, a median). Charts
are drawn from the published rows only.

From a notebook (with Django set up, e.g. `diversion shell`):

    >>> from diversion.evaluation.report import evaluation_report
    >>> report = evaluation_report(scheme=scheme, start=date(2025, 4, 1), end=date(2026, 3, 31))
    >>> report.table("funnel").dataframe()

The sections are functions of what they are given (`Inputs`, and for costs the outcome figures
worked out once here); the report alone keeps things in the cache: the whole report, and the
matched comparison, which a large scheme's dashboard leaves to the background worker.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_q.tasks import async_task

from diversion.evaluation import charts
from diversion.evaluation.columns import REFERRALS
from diversion.evaluation.inputs import Inputs
from diversion.evaluation.methods import anchor_for
from diversion.evaluation.sections_comparison import COSTS, MATCHING, costs_section
from diversion.evaluation.sections_comparison import matching_section as matching_figures
from diversion.evaluation.sections_disproportionality import disproportionality_section
from diversion.evaluation.sections_operational import OPERATIONAL, Labels, operational_section
from diversion.evaluation.sections_police import (
    DISPROPORTIONALITY,
    OUTCOMES,
    REOFFENDING,
    OutcomeFigures,
    outcome_figures,
    outcomes_section,
    reoffending_section,
)
from diversion.evaluation.sections_refusals import REFUSALS, refusals_section
from diversion.evaluation.snapshot import data_version, police_watermarks
from diversion.evaluation.sources import frames_source
from diversion.evaluation.suppression import SUPPRESSED, THRESHOLD
from diversion.evaluation.tables import (
    Column,
    Section,
    Table,
    display_value,
    suppress_counts,
)
from diversion.referrals.selectors import eligibility_watermark
from diversion.schemes.models import Scheme

__all__ = [
    "ALL_SECTIONS",
    "SUPPRESSED",
    "Column",
    "Report",
    "Section",
    "Table",
    "display_value",
    "evaluation_report",
    "suppress_counts",
]

# In the order the report shows them; costs come after outcomes, whose figures they use.
ALL_SECTIONS: tuple[str, ...] = (
    OPERATIONAL,
    REOFFENDING,
    OUTCOMES,
    DISPROPORTIONALITY,
    REFUSALS,
    MATCHING,
    COSTS,
)


@dataclass
class Report:
    scheme_code: str
    scheme_name: str
    start: dt.date
    end: dt.date
    local_authority: str
    local_authority_name: str
    sections: list[Section]
    methods: list[str]

    @property
    def title(self) -> str:
        area = f", {self.local_authority_name}" if self.local_authority else ""
        return f"{self.scheme_name}{area}: {_long_date(self.start)} to {_long_date(self.end)}"

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def __post_init__(self) -> None:
        # The one place every published table passes before the dashboard, a CSV, the PDF or
        # `diversion evaluate` can show it: attacked, and withheld if it gives a count away.
        for section in self.sections:
            section.audit()
        for table in self.tables():
            table.chart = charts.drawable(table.chart)
            table.method = table.method or anchor_for(table.key)

    def table(self, key: str) -> Table:
        for table in self.tables():
            if table.key == key:
                return table
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": {"code": self.scheme_code, "name": self.scheme_name},
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "local_authority": (
                {"code": self.local_authority, "name": self.local_authority_name}
                if self.local_authority
                else None
            ),
            "suppression": f"Counts of 1 to {THRESHOLD - 1}, and any cell that would reveal "
            f"one, are shown as {SUPPRESSED}.",
            "sections": [s.to_dict() for s in self.sections],
            "methods": list(self.methods),
        }


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- Assembling the report ----------------------------------------------------------------------


def empty_referrals() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in REFERRALS})


METHODS: list[str] = [
    "Referrals are counted by the date of the stop. Figures for recent referrals change as "
    "people move through assessment and the course.",
    f"Small numbers are suppressed: counts of 1 to {THRESHOLD - 1} are shown as {SUPPRESSED}, "
    "and so are further counts wherever the totals would otherwise let someone narrow a "
    f"suppressed count to fewer than {THRESHOLD} possible values. Percentages and medians from "
    "a suppressed count are suppressed too. Every table is checked with that attack before it "
    "is shown; a table that fails is withheld.",
    "Age is in whole years on the day of the referral. Ethnic group is the person's "
    "self-defined ethnicity, grouped as in the 2021 Census.",
    "Re-offending counts a person only once their whole window (and, for proven re-offending, "
    "the further six months) has passed; the interval is Wilson's. Time to re-offence is a "
    "Kaplan-Meier estimate with censoring.",
    "Outcomes before and after go-live compare two periods of equal length either side of "
    "the scheme's go-live date, inside the period chosen. Changes in a share are given in "
    "percentage points and, separately, in percent.",
    "Stop-and-search rates are per 1,000 residents of each ethnic group in the 2021 Census; "
    "ratios to the White group come from the unrounded rates.",
    "The matched comparison follows the Justice Data Lab: propensity scores, nearest-neighbour "
    "matching with a caliper, a balance table and a difference with its 95% interval; times "
    "to re-offence are compared with the log-rank test. The full method is on the service's "
    "page 'How the figures are made'.",
    "Costs are unit costs times volumes; every unit cost and its source is listed.",
]


class _Clock:
    """Seconds spent on each step, into `timings` when given (for benchmarks/evaluation.py)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self._now = time.perf_counter
        self.timings = timings
        self.last = self._now()

    def lap(self, name: str) -> None:
        now = self._now()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


# A report, and a matched comparison, are kept for a day per filter and state of the data: at
# scale the comparison is the one figure that takes seconds (decision 0011).
CACHE_SECONDS = 24 * 60 * 60


def evaluation_report(
    *,
    scheme: Scheme,
    start: dt.date,
    end: dt.date,
    local_authority: str = "",
    sections: Sequence[str] = ALL_SECTIONS,
    as_of: dt.date | None = None,
    timings: dict[str, float] | None = None,
    cached: bool = True,
    snapshot: bool | None = None,
    comparison_in_background: bool = False,
) -> Report:
    """Every figure for the scheme (a `Scheme`) from `start` to `end` inclusive, optionally in
    one local authority (its ONS code). `as_of` is the day re-offending is counted to (today
    unless given): a window counts only once it has passed by then.

    A report is kept in the cache for the same filter while the data is unchanged
    (`snapshot.data_version`), so the dashboard's CSV and PDF downloads, and the
    next analyst asking for the same figures, do not build it again
    (`cached=False` builds it afresh; `timings` collects seconds per step and also rebuilds).

    A large scheme's frames come from its snapshot (`snapshot.py`), with anything newer read
    live; `snapshot=False` reads everything live, `True` uses (or builds) a snapshot. With
    `comparison_in_background` (the dashboard), a large scheme's matched comparison that is not
    yet in the cache is queued for the background worker and shown as pending; such a report
    is not kept in the cache."""
    day = as_of or timezone.localdate()
    key = report_key(
        scheme=scheme, start=start, end=end, local_authority=local_authority, day=day,
        sections=sections,
    )  # fmt: skip
    if cached and timings is None:
        found = cache.get(key)
        if isinstance(found, Report):
            return found
    report = _build_report(
        scheme=scheme,
        start=start,
        end=end,
        local_authority=local_authority,
        sections=sections,
        as_of=day,
        timings=timings,
        snapshot=snapshot,
        comparison_in_background=comparison_in_background,
    )
    if not any(section.pending for section in report.sections):
        cache.set(key, report, CACHE_SECONDS)
    return report


def report_key(
    *,
    scheme: Scheme,
    start: dt.date,
    end: dt.date,
    local_authority: str,
    day: dt.date,
    sections: Sequence[str],
) -> str:
    """The cache key of a report: its filter, the day and the state of the data."""
    return (
        f"evaluation:report:v3:{scheme.pk}:{start}:{end}:{local_authority}:{day}:"
        f"{','.join(sorted(sections))}:{data_version(scheme.pk)}"
        + (f":e{eligibility_watermark(scheme.pk)}" if REFUSALS in sections else "")
    )


def _build_report(
    *,
    scheme: Scheme,
    start: dt.date,
    end: dt.date,
    local_authority: str,
    sections: Sequence[str],
    as_of: dt.date,
    timings: dict[str, float] | None,
    snapshot: bool | None = None,
    comparison_in_background: bool = False,
) -> Report:
    clock = _Clock(timings)
    authorities = {la.ons_code: la.name for la in scheme.local_authorities.all()}
    source = frames_source(scheme, snapshot=snapshot)
    referrals = source.referrals(start, end)
    referred = frozenset(int(k[1:]) for k in referrals["person_key"].unique())
    clock.lap("referrals frame")
    if local_authority:
        referrals = referrals[referrals["local_authority"] == local_authority]
    built: list[Section] = []
    if OPERATIONAL in sections:
        built.append(
            operational_section(
                referrals, start=start, end=end, labels=Labels(local_authorities=authorities)
            )
        )
        clock.lap(OPERATIONAL)
    inputs = Inputs(
        scheme=scheme,
        start=start,
        end=end,
        as_of=as_of,
        local_authority=local_authority,
        authorities=authorities,
        referrals=referrals.reset_index(drop=True),
        source=source,
        referred=referred,
    )
    # Worked out once, when first needed: the outcomes section publishes these figures and
    # costs count the formal outcomes avoided from them.
    outcomes: list[OutcomeFigures | None] = []

    def figures() -> OutcomeFigures | None:
        if not outcomes:
            outcomes.append(outcome_figures(inputs))
        return outcomes[0]

    background = comparison_in_background and source.kind == "snapshot"
    builders: dict[str, Callable[[], Section]] = {
        REOFFENDING: lambda: reoffending_section(inputs),
        OUTCOMES: lambda: outcomes_section(inputs, figures()),
        DISPROPORTIONALITY: lambda: disproportionality_section(inputs),
        REFUSALS: lambda: refusals_section(inputs),
        MATCHING: lambda: matching_section(inputs, background=background),
        COSTS: lambda: costs_section(inputs, figures()),
    }
    for key in ALL_SECTIONS:
        if key in builders and key in sections:
            built.append(builders[key]())
            clock.lap(key)
    return Report(
        scheme_code=scheme.code,
        scheme_name=scheme.name,
        start=start,
        end=end,
        local_authority=local_authority,
        local_authority_name=authorities.get(local_authority, ""),
        sections=built,
        methods=METHODS,
    )


# --- The matched comparison: from the cache, in the request or by the background worker ---------


def comparison_key(inputs: Inputs) -> str:
    """The cache key of the filter's comparison. It changes with the police data and with the
    referrals made in the period, not with status changes: the comparison is of everyone
    referred (whatever they did next), so a working day's changes do not throw it away."""
    referrals = inputs.referrals  # as of now: a snapshot's rows with newer ones read live
    referred = f"{len(referrals)}-{referrals['referral_id'].max() if len(referrals) else 0}"
    police = "-".join(str(v) for v in police_watermarks(inputs.scheme.pk).values())
    return (
        f"evaluation:matching:v3:{inputs.scheme.pk}:{inputs.start}:{inputs.end}:"
        f"{inputs.local_authority}:{inputs.as_of}:{referred}:{police}"
    )


PENDING = (
    "The matched comparison for this filter is being worked out in the background: for a "
    "scheme this size it takes a few seconds to a minute. Reload the page to see it."
)


def matching_section(inputs: Inputs, *, background: bool = False) -> Section:
    """The matched comparison, from the cache when the same filter was asked for on the same
    data (the database cache, shared by every server process). With `background`, one not yet
    in the cache is queued for the background worker and the section says so."""
    key = comparison_key(inputs)
    section = cache.get(key)
    if isinstance(section, Section):
        return section
    if background:
        if cache.add(f"{key}:queued", True, 10 * 60):
            _queue_comparison(inputs)
        return Section(MATCHING, "Matched comparison", [], unavailable=PENDING, pending=True)
    section = matching_figures(inputs)
    cache.set(key, section, CACHE_SECONDS)
    return section


def _queue_comparison(inputs: Inputs) -> None:
    args = (
        inputs.scheme.pk,
        inputs.start.isoformat(),
        inputs.end.isoformat(),
        inputs.local_authority,
        inputs.as_of.isoformat(),
    )
    if getattr(settings, "EVALUATION_COMPARISON_INLINE", False):
        comparison_prepare(*args)
    else:
        async_task(
            comparison_prepare,
            *args,
            task_name=f"comparison {inputs.scheme.code} {args[1]} to {args[2]}",
        )


def comparison_prepare(
    scheme_id: int, start: str, end: str, local_authority: str, as_of: str
) -> None:
    """The background worker's job: work out a filter's comparison into the cache."""
    evaluation_report(
        scheme=Scheme.objects.get(pk=scheme_id),
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
        local_authority=local_authority,
        sections=(MATCHING,),
        as_of=dt.date.fromisoformat(as_of),
        cached=False,
    )
