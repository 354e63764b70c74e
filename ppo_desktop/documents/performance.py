"""The performance report for the partnership board: the dashboard's figures and charts in print.

Charts are reportlab graphics drawn from the same ``Chart`` data the dashboard draws with QtCharts;
tables are printed as disclosed (small counts suppressed).
"""

from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from ppo_desktop.documents.layout import FONT, DocumentMeta, build, para, table
from ppo_desktop.i18n import N_, _
from ppo_desktop.performance.ceiling import CeilingYear, plain
from ppo_desktop.performance.figures import CAPACITY_TABLES, Report
from ppo_desktop.performance.tables import Chart, Table

WIDTH = 180 * mm
PALETTE = [colors.HexColor(c) for c in ("#1f5f99", "#d9822b", "#3f8f4f", "#8e44ad", "#7f8c8d")]


def performance_report(report: Report, meta: DocumentMeta) -> bytes:
    return build(performance_story(report), meta)


def performance_story(report: Report) -> list[Flowable]:
    story: list[Flowable] = [
        para(_("Scheme performance"), "title"),
        para(_("Period and scope: {filters}.").format(filters=report.filters.describe())),
    ]
    for year in report.years:
        story.append(para(headline(year)))
    charts = {c.key: c for c in report.charts}
    sections = (
        (
            N_("Re-offending against the ceiling"),
            ("reoffending-years", "reoffending-quarters"),
            "reoffending-",
        ),
        (N_("Cohort score trend"), ("score-trend",), "score-trend"),
        (N_("Capacity and balance"), CAPACITY_TABLES, "capacity"),
        (N_("Outcomes for people who left the scheme"), ("outcomes", "iom-progress"), None),
        (N_("Equality monitoring"), ("equality-gender", "equality-ethnicity"), None),
    )
    for heading, keys, chart_prefix in sections:
        story.append(CondPageBreak(60 * mm))
        story.append(para(_(heading), "h2"))
        for chart in (c.shown() for k, c in charts.items() if chart_prefix and k.startswith(chart_prefix)):
            story.append(KeepTogether([para(chart.title, "cellbold"), drawing(chart), Spacer(1, 3 * mm)]))
        for shown in report.present(keys):
            story.extend(table_flowables(shown.disclosed()))
    return story


def headline(year: CeilingYear) -> str:
    """The year in the words of the Stockton report (003 §2.4–2.9)."""
    text = _(
        "Cohort {label}: {members} people; the threshold is {threshold} convictions (a {ceiling} % reduction "
        "on {baseline}), {allowance} a quarter."
    ).format(
        label=year.label, members=year.members, threshold=year.threshold, ceiling=plain(year.ceiling_pct),
        baseline=year.baseline, allowance=plain(year.quarter_allowance),
    )  # fmt: skip
    for q in year.quarter_results():
        if q.convictions is not None:
            text += f" Q{q.quarter}: {q.convictions} ({_(q.wording)})."
    if year.reduction_pct is not None:
        text += " " + _("Year: {convictions} convictions, a {reduction} % reduction on the baseline.").format(
            convictions=year.convictions, reduction=plain(year.reduction_pct)
        )
    return text


def table_flowables(t: Table) -> list[Flowable]:
    t = t.shown()  # in the reader's language
    out: list[Flowable] = [para(t.title, "cellbold")]
    if not t.rows:
        return [*out, para(_("Nothing to show for this period.")), Spacer(1, 3 * mm)]
    header, cells = t.grid()
    rows = [header, *cells]
    n = len(rows[0])
    first = min(60 * mm, WIDTH * 2 / (n + 1))
    widths = [first, *([(WIDTH - first) / (n - 1)] * (n - 1))] if n > 1 else [WIDTH]
    out.append(table(rows, widths=widths))
    if t.note:
        out.append(para(t.note, "small"))
    out.append(Spacer(1, 4 * mm))
    return out


def drawing(chart: Chart, width: float = WIDTH, height: float = 56 * mm) -> Drawing:
    """The chart with its legend underneath (long measure names never run off the page)."""
    d = Drawing(width, height)
    legend_rows = len(chart.series)
    values = [v for _name, series in chart.series for v in series]
    top = nice_max(max([*values, chart.reference[1] if chart.reference else 0, 1]))
    plot = HorizontalLineChart() if chart.kind == "line" else VerticalBarChart()
    bottom = (12 + 4.5 * legend_rows) * mm
    plot.x, plot.y, plot.width, plot.height = 14 * mm, bottom, width - 20 * mm, height - bottom - 4 * mm
    plot.data = [list(series) for _name, series in chart.series]
    plot.categoryAxis.categoryNames = list(chart.categories)
    plot.categoryAxis.labels.fontName = FONT
    plot.categoryAxis.labels.fontSize = 7
    if len(chart.categories) > 8:
        plot.categoryAxis.labels.angle = 30
        plot.categoryAxis.labels.boxAnchor = "ne"
    plot.valueAxis.valueMin, plot.valueAxis.valueMax = 0, top
    plot.valueAxis.labels.fontName = FONT
    plot.valueAxis.labels.fontSize = 7
    for i in range(len(chart.series)):
        colour = PALETTE[i % len(PALETTE)]
        if isinstance(plot, HorizontalLineChart):
            plot.lines[i].strokeColor = colour
            plot.lines[i].strokeWidth = 1.5
        else:
            plot.bars[i].fillColor = colour
    if chart.kind == "stacked" and isinstance(plot, VerticalBarChart):
        plot.categoryAxis.style = "stacked"
    d.add(plot)
    if chart.reference:
        label, value = chart.reference
        y = plot.y + plot.height * value / top
        d.add(Line(plot.x, y, plot.x + plot.width, y, strokeColor=colors.red, strokeDashArray=[3, 2]))
        d.add(
            String(
                plot.x + plot.width,
                y + 2,
                label,
                fontName=FONT,
                fontSize=7,
                fillColor=colors.red,
                textAnchor="end",
            )
        )
    legend = Legend()
    legend.x, legend.y = plot.x, 4.5 * mm * legend_rows
    legend.fontName, legend.fontSize = FONT, 7
    legend.alignment = "right"
    legend.columnMaximum = legend_rows
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], name) for i, (name, _s) in enumerate(chart.series)]
    d.add(legend)
    return d


def nice_max(value: float) -> float:
    """A round axis maximum a little above ``value`` (1, 2 or 5 times a power of ten, in steps)."""
    step = 10.0 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if m * step >= value * 1.05:
            return m * step
    return 10 * step
