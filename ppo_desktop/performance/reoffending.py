"""Re-offending against the performance ceiling (003 §2): each cohort year's convictions against its
threshold, a year at a time and quarter by quarter, as tables and charts."""

from __future__ import annotations

from collections.abc import Iterable

from ppo_desktop.i18n import N_, _
from ppo_desktop.performance.ceiling import CeilingYear, plain
from ppo_desktop.performance.tables import Chart, Table


def reoffending_tables(years: Iterable[CeilingYear]) -> list[Table]:
    years = list(years)
    summary = Table(
        "reoffending-years",
        N_("Re-offending against the performance ceiling"),
        (
            N_("Cohort year"),
            N_("Cohort"),
            N_("Average months on scheme"),
            N_("Baseline convictions"),
            N_("Ceiling %"),
            N_("Threshold"),
            N_("Stretch %"),
            N_("Stretch threshold"),
            N_("Quarters entered"),
            N_("Convictions so far"),
            N_("Against threshold"),
            N_("Reduction on baseline %"),
            N_("Cohort convicted %"),
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
        note=N_(
            "Threshold = baseline less the ceiling, rounded down (247 at 16 % → 207). "
            "Reduction is shown once all four quarters are entered."
        ),
    )
    quarters = Table(
        "reoffending-quarters",
        N_("Convictions per quarter against a quarter of the threshold"),
        (
            N_("Cohort year"),
            N_("Quarter"),
            N_("Convictions"),
            N_("Predicted (¼ of threshold)"),
            N_("Difference"),
            N_("Over / under"),
        ),
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
            _("Convictions per quarter, cohort {label}").format(label=y.label),
            "bar",
            ("Q1", "Q2", "Q3", "Q4"),
            ((N_("Convictions"), tuple(float(n or 0) for n in y.quarters)),),
            (
                _("¼ of threshold ({allowance})").format(allowance=plain(y.quarter_allowance)),
                float(y.quarter_allowance),
            ),
        )
        for y in years
    ]
