"""Re-offending against the performance ceiling (003 §2): each cohort year's convictions against its
threshold, a year at a time and quarter by quarter, as tables and charts."""

from __future__ import annotations

from collections.abc import Iterable

from ppo_desktop.performance.ceiling import CeilingYear, plain
from ppo_desktop.performance.tables import Chart, Table


def reoffending_tables(years: Iterable[CeilingYear]) -> list[Table]:
    years = list(years)
    summary = Table(
        "reoffending-years",
        "Re-offending against the performance ceiling",
        (
            "Cohort year",
            "Cohort",
            "Average months on scheme",
            "Baseline convictions",
            "Ceiling %",
            "Threshold",
            "Stretch %",
            "Stretch threshold",
            "Quarters entered",
            "Convictions so far",
            "Against threshold",
            "Reduction on baseline %",
            "Cohort convicted %",
        ),
        tuple(
            (
                y.label,
                y.members,
                y.months_on_scheme,
                y.baseline,
                y.ceiling_pct,
                y.threshold,
                y.stretch_pct,
                y.stretch_threshold,
                y.entered_quarters,
                y.convictions,
                y.against_threshold,
                y.reduction_pct,
                y.share_convicted_pct,
            )
            for y in years
        ),
        note="Threshold = baseline less the ceiling, rounded down (247 at 16 % → 207). "
        "Reduction is shown once all four quarters are entered.",
    )
    quarters = Table(
        "reoffending-quarters",
        "Convictions per quarter against a quarter of the threshold",
        ("Cohort year", "Quarter", "Convictions", "Predicted (¼ of threshold)", "Difference", "Over / under"),
        tuple(
            (y.label, f"Q{q.quarter}", q.convictions, q.allowance, q.difference, q.wording)
            for y in years
            for q in y.quarter_results()
        ),
    )
    return [summary, quarters]


def reoffending_charts(years: Iterable[CeilingYear]) -> list[Chart]:
    return [
        Chart(
            f"reoffending-{y.label}",
            f"Convictions per quarter, cohort {y.label}",
            "bar",
            ("Q1", "Q2", "Q3", "Q4"),
            (("Convictions", tuple(float(n or 0) for n in y.quarters)),),
            (f"¼ of threshold ({plain(y.quarter_allowance)})", float(y.quarter_allowance)),
        )
        for y in years
    ]
