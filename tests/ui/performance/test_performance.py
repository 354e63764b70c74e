"""The performance dashboard driven through its widgets on the demo store."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import DecisionKind, RemovalOutcome, Strand
from ppo_desktop.services.cohort_years import CohortYears
from tests.conftest import DEMO_DAY
from tests.ui.conftest import show_active
from ui.context import AppContext
from ui.meeting.decision_dialog import DecisionDialog
from ui.performance.convictions import CohortYearDialog, ConvictionsDialog
from ui.performance.dashboard import PerformanceScreen


def _screen(qtbot: QtBot, ctx: AppContext) -> PerformanceScreen:
    screen = PerformanceScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    return screen


def test_dashboard_shows_charts_and_follows_the_filters(qtbot: QtBot, ctx: AppContext) -> None:
    screen = _screen(qtbot, ctx)
    assert [screen.tabs.tabText(i) for i in range(screen.tabs.count())] == [
        "Re-offending",
        "Score trend",
        "Capacity",
        "Outcomes",
        "Equality",
    ]
    views = screen.findChildren(QChartView)
    assert len(views) == 4  # two cohort years, the score trend, the capacity balance
    year = CohortYears(ctx.ws).all()[0]  # last year: its first quarter is complete on any day
    q1 = ctx.ws.db.execute(
        "SELECT sum(count) FROM convictions WHERE cohort_year_id = ? AND quarter = 1", [year.id]
    ).fetchone()[0]
    chart = next(v for v in views if year.label in v.accessibleName())
    assert f"Q1 {q1}" in chart.accessibleDescription()
    capacity = screen.tables["capacity"]
    cohort_row = next(
        capacity.row_object(r) for r in range(capacity.rowCount()) if capacity.row_object(r)[0] == "Cohort"
    )
    assert all(int(n) > 0 for n in cohort_row[1:])

    screen.strand.setFocus()
    screen.strand.setCurrentIndex(screen.strand.findData(Strand.CATCH_CONVICT.value))
    qtbot.waitUntil(lambda: "Catch & Convict" in screen.status.text())
    capacity = screen.tables["capacity"]
    cohort_row = next(
        capacity.row_object(r) for r in range(capacity.rowCount()) if capacity.row_object(r)[0] == "Cohort"
    )
    assert cohort_row[1] == "0" and int(cohort_row[2]) > 0  # P&D empty, C&C counted

    after_end = screen.end.date() + dt.timedelta(days=1)  # type: ignore[operator]
    screen.start.setFocus()
    screen.start.clear()
    qtbot.keyClicks(screen.start, f"{after_end:%d/%m/%Y}")  # typed as people type dates
    qtbot.keyClick(screen.start, Qt.Key.Key_Return)
    assert "starts after it ends" in screen.status.text()


def test_exported_table_is_suppressed_and_audited(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    screen = _screen(qtbot, ctx)
    target = tmp_path / "gender.csv"
    screen.ask_path = lambda _key: target
    screen.ask_disclosure = lambda _what: ("Partnership board", "Equality monitoring return")
    screen.tabs.setCurrentIndex(4)
    button = next(
        b for b in screen.findChildren(type(screen.report_button)) if "gender" in b.accessibleName()
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "Gender" and rows[-1][0] == "Total"
    cells = [c for r in rows[2:] for c in r[1:]]
    assert "<5" in cells and not any(c in {"1", "2", "3", "4"} for c in cells)
    last = ctx.ws.audit.search(kind="disclosure")[-1]
    assert last.justification == "Equality monitoring return" and str(target) in last.summary + (
        last.after or ""
    )


def test_convictions_are_typed_into_the_grid_and_saved(qtbot: QtBot, ctx: AppContext) -> None:
    years = CohortYears(ctx.ws)
    year = years.all()[-1]
    dialog = ConvictionsDialog(years, year.id)
    show_active(qtbot, dialog)
    person = dialog.model.members[0]
    before = dialog.model.counts[person.id][3]
    assert before is None  # the demo's current year never has its fourth quarter yet
    dialog.table.setCurrentIndex(dialog.model.index(0, 4))
    qtbot.keyClicks(dialog.table, "4")
    qtbot.keyClick(dialog.table.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.model.counts[person.id][3] == 4)
    total_row = dialog.model.rowCount() - 1
    assert dialog.model.data(dialog.model.index(total_row, 4)) == "4"
    assert not dialog.model.setData(dialog.model.index(0, 4), "-2")  # not a count: refused
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert years.counts(year.id)[person.id][3] == 4
    assert years.ceiling(year.id).quarters[3] == 4
    kinds = [e.kind for e in ctx.ws.audit.search(nominal_id=person.id) if e.entity == "convictions"]
    assert kinds[-1] == "collection"


def test_new_cohort_year_dialog_explains_bad_input(qtbot: QtBot, ctx: AppContext) -> None:
    years = CohortYears(ctx.ws)
    dialog = CohortYearDialog(years, DEMO_DAY)
    qtbot.addWidget(dialog)
    start = DEMO_DAY.year + (1 if DEMO_DAY.month >= 4 else 0)  # the year after the demo's two
    dialog.label.setText(f"{start}/{(start + 1) % 100:02d}")
    dialog.baseline.setValue(247)
    dialog.ceiling.setText("sixteen")
    dialog.save()
    assert "not a percentage" in dialog.error.text() and dialog.made is None
    dialog.ceiling.setText("16")
    dialog.save()
    assert dialog.made is not None and years.ceiling(dialog.made.record.id).threshold == 207


def test_deselection_asks_for_outcomes(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = DecisionDialog(DecisionKind.DESELECT, ctx.ws.profile(), None, DEMO_DAY)
    show_active(qtbot, dialog)
    qtbot.mouseClick(dialog.outcomes[RemovalOutcome.DRUG_FREE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.outcomes[RemovalOutcome.EMPLOYED], Qt.MouseButton.LeftButton)
    assert dialog.values()["outcomes"] == (RemovalOutcome.DRUG_FREE, RemovalOutcome.EMPLOYED)
    retain = DecisionDialog(DecisionKind.RETAIN, ctx.ws.profile(), None, DEMO_DAY)
    qtbot.addWidget(retain)
    assert "outcomes" not in retain.values()


def test_board_report_previews_the_same_figures(qtbot: QtBot, ctx: AppContext) -> None:
    screen = _screen(qtbot, ctx)
    qtbot.mouseClick(screen.report_button, Qt.MouseButton.LeftButton)
    dialog = screen.report_dialog
    qtbot.addWidget(dialog)
    from ui.reports.preview import PdfPreview

    preview = dialog.findChild(PdfPreview)
    assert preview is not None and preview.document is not None
    assert preview.pdf.pageCount() >= 3 and preview.document.kind == "performance"
    assert ctx.ws.audit.search(kind="consultation")[-1].summary.startswith("Prepared: Scheme performance")
