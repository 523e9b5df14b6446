"""The evaluation's statistics: pure functions on the DataFrames described in
``diversion.evaluation.columns``. No database access, so analysts can call them from a notebook.
Methods, definitions and sources: docs/evaluation-methods.md."""

from ._common import describe_percent_change, describe_pp_change, percent_change, wilson_interval
from .costs import CostSummary, cost_summary
from .disproportionality import StopSearchRates, rate_ratio_interval, stop_search_rates
from .matching import MatchedComparison, matched_comparison
from .outcomes import (
    FORMAL_GROUPS,
    OUTCOME_REPORTING_GROUPS,
    REPORTING_GROUPS,
    formal_outcome_shares,
    formal_outcomes_avoided,
    outcome_shares,
    reporting_group,
)
from .proportions import ProportionComparison, compare_proportions
from .reoffending import DEFINITIONS, ReoffendingRate, reoffending_flags, reoffending_rate
from .survival import kaplan_meier, survival_at, time_to_reoffence
from .survival_tests import LogRank, MedianSurvival, log_rank, median_survival

__all__ = [
    "DEFINITIONS",
    "FORMAL_GROUPS",
    "OUTCOME_REPORTING_GROUPS",
    "REPORTING_GROUPS",
    "CostSummary",
    "LogRank",
    "MatchedComparison",
    "MedianSurvival",
    "ProportionComparison",
    "ReoffendingRate",
    "StopSearchRates",
    "compare_proportions",
    "cost_summary",
    "describe_percent_change",
    "describe_pp_change",
    "formal_outcome_shares",
    "formal_outcomes_avoided",
    "kaplan_meier",
    "log_rank",
    "matched_comparison",
    "median_survival",
    "outcome_shares",
    "percent_change",
    "rate_ratio_interval",
    "reoffending_flags",
    "reoffending_rate",
    "reporting_group",
    "stop_search_rates",
    "survival_at",
    "time_to_reoffence",
    "wilson_interval",
]
