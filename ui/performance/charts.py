"""QtCharts views of the performance figures (the same ``Chart`` data the printed report draws)."""

from __future__ import annotations

from PySide6.QtCharts import (
    QAbstractSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from ppo_desktop.performance.tables import Chart

PALETTE = ("#1f5f99", "#d9822b", "#3f8f4f", "#8e44ad", "#7f8c8d")


def chart_view(chart: Chart) -> QChartView:
    chart = chart.shown()  # in the reader's language
    qchart = QChart()
    qchart.setTitle(chart.title)
    qchart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    qchart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    x_axis = QBarCategoryAxis()
    x_axis.append(list(chart.categories))
    y_axis = QValueAxis()
    y_axis.setLabelFormat("%g")
    qchart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    qchart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    top = max([1.0, *(v for _n, values in chart.series for v in values)])
    if chart.kind == "stacked":
        top = max([1.0, *(sum(col) for col in zip(*(v for _n, v in chart.series), strict=True))])
    if chart.kind == "line":
        for i, (name, values) in enumerate(chart.series):
            line = QLineSeries()
            line.setName(name)
            line.append([QPointF(x, v) for x, v in enumerate(values)])
            line.setPen(QPen(QColor(PALETTE[i % len(PALETTE)]), 2.5))
            line.setPointsVisible(True)
            _attach(qchart, line, x_axis, y_axis)
    else:
        bars = QStackedBarSeries() if chart.kind == "stacked" else QBarSeries()
        for i, (name, values) in enumerate(chart.series):
            bar_set = QBarSet(name)
            bar_set.append(list(values))
            bar_set.setColor(QColor(PALETTE[i % len(PALETTE)]))
            bars.append(bar_set)
        _attach(qchart, bars, x_axis, y_axis)
    if chart.reference:
        label, value = chart.reference
        top = max(top, value)
        level = QLineSeries()
        level.setName(label)
        level.append([QPointF(-0.5, value), QPointF(len(chart.categories) - 0.5, value)])
        level.setPen(QPen(QColor("#c0392b"), 2, Qt.PenStyle.DashLine))
        _attach(qchart, level, x_axis, y_axis)
    y_axis.setRange(0, top * 1.1)
    y_axis.applyNiceNumbers()
    view = QChartView(qchart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(240)
    view.setAccessibleName(chart.title)
    view.setAccessibleDescription(describe(chart))
    view.viewport().setAccessibleName(chart.title)  # where the keyboard lands inside the view
    view.viewport().setAccessibleDescription(describe(chart))
    return view


def describe(chart: Chart) -> str:
    """The chart in words, for a screen reader (and for tests)."""
    parts = [
        f"{name}: " + ", ".join(f"{c} {v:g}" for c, v in zip(chart.categories, values, strict=True))
        for name, values in chart.series
    ]
    if chart.reference:
        parts.append(f"{chart.reference[0]}")
    return "; ".join(parts)


def _attach(chart: QChart, series: QAbstractSeries, x_axis: QBarCategoryAxis, y_axis: QValueAxis) -> None:
    chart.addSeries(series)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
