"""Two groups given as counts: so many of a treated group had the outcome (re-offended) against
so many of a comparison group. The Justice Data Lab's question, answered as it answers it.

- the difference in percentage points with Newcombe's hybrid score interval (Newcombe 1998,
  method 10: from the two Wilson intervals), which keeps its coverage for small counts;
- the pooled two-proportion z test (the p-value of "no difference");
- Welch's t test on the people's 0/1 outcomes with its interval: the test the Justice Data Lab
  reports (its sentence "between X and Y fewer people per 100" comes from this interval);
- the risk ratio with the log (Katz) interval.

Checked against statsmodels (`confint_proportions_2indep`, `proportions_ztest`, `ttest_ind`
with `usevar="unequal"`) and scipy in `tests/test_stats_proportions.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from ._common import Z_95, wilson_interval


@dataclass(frozen=True)
class ProportionComparison:
    treated_events: int
    treated_n: int
    comparison_events: int
    comparison_n: int
    treated_rate: float
    comparison_rate: float
    difference_pp: float
    newcombe_low_pp: float
    newcombe_high_pp: float
    z: float
    z_p_value: float
    t: float
    t_df: float
    t_p_value: float
    t_low_pp: float
    t_high_pp: float
    risk_ratio: float | None
    risk_ratio_low: float | None
    risk_ratio_high: float | None

    def sentence(self, outcome: str = "re-offended") -> str:
        """The Justice Data Lab's plain-English reading of Welch's interval, per 100 people."""
        low, high = round(self.t_low_pp), round(self.t_high_pp)
        if math.isnan(self.t_low_pp):
            return (
                f"Nobody or everybody {outcome} in both groups, so there is no difference to test."
            )
        if self.t_high_pp < 0:
            return (
                f"For every 100 people in the treated group, between {-high} and {-low} fewer "
                f"{outcome} than would have without the treatment (95% confidence)."
            )
        if self.t_low_pp > 0:
            return (
                f"For every 100 people in the treated group, between {low} and {high} more "
                f"{outcome} than would have without the treatment (95% confidence)."
            )
        return (
            f"For every 100 people in the treated group, between {abs(low)} fewer and {high} "
            f"more {outcome}: the counts cannot show whether the treatment made a difference "
            "(the 95% interval includes no difference)."
        )


def _check(name: str, events: int, n: int) -> None:
    if isinstance(events, bool) or isinstance(n, bool):
        raise TypeError(f"{name}: counts must be whole numbers")
    if n < 1:
        raise ValueError(f"{name}: the group must have at least one person")
    if not 0 <= events <= n:
        raise ValueError(f"{name}: the number with the outcome must be from 0 to the group size")


def compare_proportions(
    *, treated_events: int, treated_n: int, comparison_events: int, comparison_n: int
) -> ProportionComparison:
    """The two groups compared (see the module)."""
    _check("treated", treated_events, treated_n)
    _check("comparison", comparison_events, comparison_n)
    a, n1, c, n2 = treated_events, treated_n, comparison_events, comparison_n
    p1, p2 = a / n1, c / n2
    difference = p1 - p2
    low1, high1 = wilson_interval(a, n1)
    low2, high2 = wilson_interval(c, n2)
    newcombe_low = difference - math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2)
    newcombe_high = difference + math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2)

    pooled = (a + c) / (n1 + n2)
    z_se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = difference / z_se if z_se > 0 else math.nan
    z_p = 2 * float(stats.norm.sf(abs(z))) if z_se > 0 else math.nan

    # Welch on 0/1 outcomes: each group's sample variance is p(1 - p) n / (n - 1).
    var1 = p1 * (1 - p1) * n1 / (n1 - 1) if n1 > 1 else math.nan
    var2 = p2 * (1 - p2) * n2 / (n2 - 1) if n2 > 1 else math.nan
    part1, part2 = var1 / n1, var2 / n2
    t_se = math.sqrt(part1 + part2)
    if t_se > 0:
        df = (part1 + part2) ** 2 / (part1**2 / (n1 - 1) + part2**2 / (n2 - 1))
        t = difference / t_se
        t_p = 2 * float(stats.t.sf(abs(t), df))
        spread = float(stats.t.ppf(0.975, df)) * t_se
    else:
        df = t = t_p = spread = math.nan

    ratio = ratio_low = ratio_high = None
    if a > 0 and c > 0:
        ratio = p1 / p2
        log_se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
        ratio_low = math.exp(math.log(ratio) - Z_95 * log_se)
        ratio_high = math.exp(math.log(ratio) + Z_95 * log_se)
    return ProportionComparison(
        treated_events=a,
        treated_n=n1,
        comparison_events=c,
        comparison_n=n2,
        treated_rate=p1,
        comparison_rate=p2,
        difference_pp=difference * 100,
        newcombe_low_pp=newcombe_low * 100,
        newcombe_high_pp=newcombe_high * 100,
        z=z,
        z_p_value=z_p,
        t=t,
        t_df=df,
        t_p_value=t_p,
        t_low_pp=(difference - spread) * 100,
        t_high_pp=(difference + spread) * 100,
        risk_ratio=ratio,
        risk_ratio_low=ratio_low,
        risk_ratio_high=ratio_high,
    )
