"""The report's disproportionality section: stop-and-search rates per 1,000 by ethnic group with
the ratio to the White group, and the share of possession outcomes that were formal by ethnic
group and sex, before and after go-live."""

from __future__ import annotations

import pandas as pd

from diversion.evaluation import charts
from diversion.evaluation.inputs import Inputs, Periods, long_date
from diversion.evaluation.models import Population, StopSearch
from diversion.evaluation.sections_police import (
    DISPROPORTIONALITY,
    has_outcomes,
    no_go_live_comparison,
    no_police_data,
    pct,
)
from diversion.evaluation.stats import describe_pp_change, formal_outcome_shares, stop_search_rates
from diversion.evaluation.suppression import SUPPRESSED, suppress_with_protection
from diversion.evaluation.tables import (
    Column,
    PublishedRows,
    Section,
    Table,
    plain_rows,
    published,
    rounded,
    suppress_counts,
)

SEX_LABELS = {"female": "female", "male": "male", "other": "other or not stated"}


# --- Disproportionality --------------------------------------------------------------------------


def disproportionality_section(inputs: Inputs) -> Section:
    title = "Disproportionality"
    tables: list[Table] = []
    summary: list[str] = []
    missing: list[str] = []
    if not StopSearch.objects.filter(scheme_id=inputs.scheme.pk).exists():
        missing.append(no_police_data("stop-and-search records", inputs))
    elif not Population.objects.filter(scheme_id=inputs.scheme.pk).exists():
        missing.append(no_police_data("Census population figures", inputs))
    else:
        table = _stop_search_table(inputs)
        tables.append(table)
        summary.append(table.reading)
    if not has_outcomes(inputs):
        missing.append(no_police_data("possession offence outcomes", inputs))
    elif inputs.periods is None:
        missing.append(
            "The share of outcomes that are formal, by ethnic group and sex, compares the periods "
            "before and after go-live. " + no_go_live_comparison(inputs)
        )
    else:
        table = _formal_by_group_table(inputs, inputs.periods)
        tables.append(table)
        summary.append(table.reading)
    return Section(
        DISPROPORTIONALITY,
        title,
        tables,
        summary=[s for s in summary if s],
        unavailable=" ".join(missing),
    )


def _stop_search_table(inputs: Inputs) -> Table:
    rates = stop_search_rates(
        inputs.stop_searches, inputs.population, start=inputs.start, end=inputs.end
    )
    table = rates.table
    frame = pd.DataFrame(
        {
            "ethnic_group": table["ethnic_group"],
            "searches": table["searches"],
            "population": table["population"],
            "rate": [rounded(v, 2) for v in table["rate_per_1000"]],
            "rate_a_year": [rounded(v, 2) for v in table["rate_per_1000_a_year"]],
            "ratio": [rounded(v, 2) for v in table["ratio_to_reference"]],
            "ratio_ci_low": [rounded(v, 2) for v in table["ratio_ci_low"]],
            "ratio_ci_high": [rounded(v, 2) for v in table["ratio_ci_high"]],
        }
    )
    ratio_columns = ["ratio", "ratio_ci_low", "ratio_ci_high"]
    rows = suppress_counts(
        frame,
        count_columns=["searches"],
        derived={"rate": ["searches"], "rate_a_year": ["searches"]}
        | {c: ["searches"] for c in ratio_columns},
    )
    reference = next((r for r in rows if r["ethnic_group"] == rates.reference_group), None)
    if reference is None or not published(reference["searches"]):
        for row in rows:  # every ratio is worked out from the reference group's searches
            for column in ratio_columns:
                if row[column] is not None:
                    row[column] = SUPPRESSED
    # The ratio's reading comes from the unrounded rates.
    candidates = [
        (float(table["ratio_to_reference"].iloc[i]), row)
        for i, row in enumerate(rows)
        if row["ethnic_group"] != rates.reference_group
        and all(published(row[c]) for c in ratio_columns)
    ]
    reading = ""
    if candidates:
        ratio, row = max(candidates, key=lambda item: item[0])
        reading = (
            f"{row['ethnic_group']} people were searched at {ratio:.2f} times the rate of "
            f"{rates.reference_group} people (95% CI {row['ratio_ci_low']:.2f} to "
            f"{row['ratio_ci_high']:.2f})."
        )
    return Table(
        key="stop_search_rates",
        title="Stop and search per 1,000 people by ethnic group",
        columns=[
            Column("ethnic_group", "Ethnic group (self-defined)"),
            Column("searches", "Searches", True),
            Column("population", "Population (2021 Census)", True),
            Column("rate", "Searches per 1,000 people (period)", True, "2dp"),
            Column("rate_a_year", "Searches per 1,000 people a year", True, "2dp"),
            Column("ratio", f"Ratio to the {rates.reference_group} group", True, "2dp"),
            Column("ratio_ci_low", "95% CI: lower", True, "2dp"),
            Column("ratio_ci_high", "95% CI: upper", True, "2dp"),
        ],
        rows=rows,
        reading=reading,
        notes=[
            f"Searches in {inputs.area_name} from {long_date(inputs.start)} to "
            f"{long_date(inputs.end)} ({rates.days:,} days) by the person's self-defined ethnic "
            "group, per 1,000 residents of that group in the 2021 Census.",
            "Ratios are worked out from the unrounded rates; the interval is the log method for "
            "a ratio of two rates. The Census has no 'not stated' group, so it has no rate.",
        ],
        chart=charts.bar_chart(
            rows=rows,
            category="ethnic_group",
            value="rate_a_year",
            title="Searches per 1,000 people a year",
            category_title="Ethnic group",
            value_title="Searches per 1,000 a year",
        ),
    )


def _formal_by_group_table(inputs: Inputs, periods: Periods) -> Table:
    shares = formal_outcome_shares(
        inputs.outcomes,
        go_live=periods.go_live,
        before=periods.before,
        after=periods.after,
        by=("ethnic_group", "sex"),
    )
    frame = pd.DataFrame(
        {
            "group": [
                f"{g}, {SEX_LABELS.get(s, s)}"
                for g, s in zip(shares["ethnic_group"], shares["sex"], strict=True)
            ],
            "formal_before": shares["formal_before"].astype(int),
            "other_before": (shares["total_before"] - shares["formal_before"]).astype(int),
            "total_before": shares["total_before"].astype(int),
            "share_before": [pct(v) for v in shares["share_before"]],
            "formal_after": shares["formal_after"].astype(int),
            "other_after": (shares["total_after"] - shares["formal_after"]).astype(int),
            "total_after": shares["total_after"].astype(int),
            "share_after": [pct(v) for v in shares["share_after"]],
            "change_pp": [rounded(v, 1) for v in shares["share_change_pp"]],
            "change_percent": [rounded(v, 1) for v in shares["share_change_percent"]],
        }
    )
    # Formal and other add up to the (printed) total in each period, and each column down the
    # groups: the suppression may hide a total too, and the share goes with its counts.
    published_frame = frame.copy()
    protections = []
    masks = {}
    for which in ("before", "after"):
        block = [f"formal_{which}", f"other_{which}", f"total_{which}"]
        part, protection = suppress_with_protection(
            frame[block], count_columns=block[:2], total_columns=block[2:]
        )
        protections.append(protection)
        hidden = part[block].eq(SUPPRESSED).any(axis=1)
        masks[which] = hidden
        for column in block:
            published_frame[column] = part[column]
        published_frame[f"share_{which}"] = (
            frame[f"share_{which}"].astype(object).where(~hidden, SUPPRESSED)
        )
    either = masks["before"] | masks["after"]
    for column in ("change_pp", "change_percent"):
        published_frame[column] = frame[column].astype(object).where(~either, SUPPRESSED)
    # "other" is not printed (it is the total less the formal count) but stays in the rows so
    # that the audit sees the whole of each period's block.
    rows = PublishedRows(plain_rows(published_frame))
    rows.protection = tuple(protections)
    candidates = [
        row for row in rows if published(row["change_pp"]) and published(row["share_before"])
    ]
    reading = ""
    if candidates:
        row = min(candidates, key=lambda r: r["change_pp"])
        reading = (
            f"For {row['group'].replace(', ', ' ')} people the share of possession outcomes "
            "that were formal "
            f"{describe_pp_change(row['share_before'] / 100, row['share_after'] / 100)}."
        )
    return Table(
        key="formal_outcomes_by_group",
        title="Formal outcomes by ethnic group and sex, before and after go-live",
        columns=[
            Column("group", "Ethnic group and sex"),
            Column("formal_before", "Before: formal", True),
            Column("total_before", "Before: all outcomes", True),
            Column("share_before", "Before: formal (%)", True, "1dp"),
            Column("formal_after", "After: formal", True),
            Column("total_after", "After: all outcomes", True),
            Column("share_after", "After: formal (%)", True, "1dp"),
            Column("change_pp", "Change (percentage points)", True, "1dp"),
            Column("change_percent", "Change (%)", True, "1dp"),
        ],
        rows=rows,
        reading=reading,
        notes=[
            "Formal outcomes are charges, cautions and penalty notices: they go on a person's "
            f"record. Before: {periods.label('before')}; after: {periods.label('after')}.",
        ],
        chart=charts.grouped_bar_chart(
            rows=rows,
            category="group",
            series=[("share_before", "Before go-live"), ("share_after", "After go-live")],
            title="Share of outcomes that were formal (%)",
            category_title="Ethnic group and sex",
            value_title="Formal (%)",
        ),
    )


__all__ = ["disproportionality_section"]
