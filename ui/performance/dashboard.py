"""The performance dashboard: the partnership's figures as charts and tables, filtered by strand,
area and period; each table exports as CSV and the whole prints as the board's report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import Strand
from ppo_desktop.i18n import N_, _, format_date
from ppo_desktop.performance.figures import CAPACITY_TABLES, Filters, Report
from ppo_desktop.performance.tables import Table
from ui.context import AppContext, attempt
from ui.date_field import DateField
from ui.exporting import write_disclosed
from ui.performance.charts import chart_view
from ui.performance.convictions import CohortYearDialog, ConvictionsDialog
from ui.refresh import RefreshWhenShown
from ui.reports.preview import Disclosure, ask_disclosure
from ui.reports.preview_dialog import open_preview
from ui.table_model import Column, RecordTableModel
from ui.widgets import configure_table, title_label, wrapping

ALL = N_("All")
TABS = (  # each tab's name (the key of its page), the tables on it, and the chart's tables
    (N_("Re-offending"), ("reoffending-years", "reoffending-quarters"), "reoffending-"),
    (N_("Score trend"), ("score-trend",), "score-trend"),
    (N_("Capacity"), CAPACITY_TABLES, "capacity"),
    (N_("Outcomes"), ("outcomes", "iom-progress"), None),
    (N_("Equality"), ("equality-gender", "equality-ethnicity"), None),
)


class PerformanceScreen(RefreshWhenShown, QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.performance = ctx.services.performance
        self.years = ctx.services.cohort_years
        self.report: Report | None = None
        self.ask_disclosure: Callable[[str], Disclosure | None] = lambda what: ask_disclosure(self, what)
        self.ask_path: Callable[[str], Path | None] = self._ask_path

        defaults = self.performance.default_filters()
        self.strand = QComboBox()
        self.strand.addItem(_(ALL), None)
        for s in ctx.session.profile().strands:
            self.strand.addItem(_(s.long_name), s.value)
        self.area = QComboBox()
        self.start = DateField(_("From"), required=True)
        self.end = DateField(_("To"), required=True)
        self.start.set_date(defaults.start)
        self.end.set_date(defaults.end)
        for widget, name in (
            (self.strand, _("Strand")),
            (self.area, _("Area")),
            (self.start, _("From")),
            (self.end, _("To")),
        ):
            widget.setAccessibleName(name)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.report_button = QPushButton(_("&Report for the board…"))
        self.report_button.clicked.connect(self.open_report)
        self.new_year = QPushButton(_("&New cohort year…"))
        self.new_year.clicked.connect(self.add_year)
        self.year = QComboBox()
        self.year.setAccessibleName(_("Cohort year"))
        self.enter = QPushButton(_("&Enter convictions…"))
        self.enter.clicked.connect(self.enter_convictions)
        self.import_counts = QPushButton(_("&Import convictions…"))
        self.import_counts.clicked.connect(self.import_convictions)

        bar = QHBoxLayout()
        for label, widget in (
            (_("S&trand:"), self.strand),
            (_("&Area:"), self.area),
            (_("&From:"), self.start),
            (_("T&o:"), self.end),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            bar.addWidget(caption)
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.report_button)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(_("Performance figures"))
        self.pages: dict[str, QVBoxLayout] = {}
        self.content: dict[str, QWidget] = {}
        for name, _keys, _chart in TABS:
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setAccessibleName(_(name))
            body = QWidget()
            self.pages[name] = QVBoxLayout(body)
            area.setWidget(body)
            self.tabs.addTab(area, _(name))
        years = QHBoxLayout()
        for part in (QLabel(_("Cohort year:")), self.year, self.enter, self.import_counts, self.new_year):
            years.addWidget(part)
        years.addStretch(1)
        self.pages["Re-offending"].addLayout(years)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(_("Scheme performance")))
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.tables: dict[str, RecordTableModel[list[str]]] = {}
        for signal in (
            self.strand.currentIndexChanged,
            self.area.currentIndexChanged,
            self.start.editingFinished,
            self.end.editingFinished,
        ):
            signal.connect(lambda *_args: self.reload())
        self.watch(
            ctx, ("memberships", "nominals", "nominations", "score_sheets", "cohort_years", "convictions")
        )
        self._fill_areas()
        self.reload()

    # -- figures -------------------------------------------------------------------------------
    def filters(self) -> Filters:
        """The period and scope chosen (ValueError, in words, for a date that is not a date)."""
        strand = self.strand.currentData()
        start, end = self.start.date(), self.end.date()
        assert start is not None and end is not None
        return Filters(start, end, Strand(strand) if strand else None, self.area.currentData())

    def reload(self) -> None:
        try:
            filters = self.filters()
        except ValueError as exc:  # a date typed that is not one
            self.status.setText(str(exc))
            return
        made = attempt(lambda: self.performance.report(filters), self.status)
        if made is None:
            return
        self.report = made.value
        self.status.setText(
            _(
                "{filters}. In the equality and IOM score tables, counts of 1–4 (and the figures of so "
                "few people) print and export as <5."
            ).format(filters=self.report.filters.describe())
        )
        charts = {c.key: c for c in self.report.charts}
        self.tables.clear()
        self._fill_years()
        for name, keys, prefix in TABS:
            if (old := self.content.pop(name, None)) is not None:
                old.setParent(None)
                old.deleteLater()
            self.content[name] = holder = QWidget()
            page = QVBoxLayout(holder)
            page.setContentsMargins(0, 0, 0, 0)
            self.pages[name].addWidget(holder)
            grid = QGridLayout()
            shown = [c for k, c in charts.items() if prefix and k.startswith(prefix)]
            for i, chart in enumerate(shown):
                grid.addWidget(chart_view(chart), i // 2, i % 2)
            page.addLayout(grid)
            for table in self.report.present(keys):
                page.addWidget(self._table_block(table))
            page.addStretch(1)

    def _fill_years(self) -> None:
        current = self.year.currentData()
        self.year.clear()
        for y in self.years.all():
            self.year.addItem(
                _("{label} (from {day})").format(label=y.label, day=format_date(y.starts_on)), y.id
            )
        if current is not None and (i := self.year.findData(current)) >= 0:
            self.year.setCurrentIndex(i)
        elif self.year.count():
            self.year.setCurrentIndex(self.year.count() - 1)
        self.enter.setEnabled(self.year.count() > 0)

    def _table_block(self, table: Table) -> QWidget:
        block = QWidget()
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 6, 0, 6)
        head = QHBoxLayout()
        shown = table.shown()  # in the reader's language (the table itself keeps the English it is built of)
        title = wrapping(QLabel(shown.title))
        title.setObjectName("sectionTitle")
        export = QPushButton(_("Export CSV…"))
        export.setAccessibleName(_("Export {title} as CSV").format(title=shown.title))
        export.clicked.connect(lambda: self.export(table))
        head.addWidget(title, 1)
        head.addWidget(export)
        layout.addLayout(head)
        header, cells = shown.grid()
        columns = [Column[list[str]](name, _cell(i)) for i, name in enumerate(header)]
        model: RecordTableModel[list[str]] = RecordTableModel(columns, block)
        model.set_rows(cells or [[_("Nothing in this period"), *[""] * (len(columns) - 1)]])
        view = configure_table(model, shown.title, block)
        view.setFixedHeight(min(420, 36 + 30 * max(1, len(cells))))
        layout.addWidget(view)
        if shown.note:
            note = QLabel(shown.note)
            note.setWordWrap(True)
            layout.addWidget(note)
        self.tables[table.key] = model
        return block

    def _fill_areas(self) -> None:
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItem(_(ALL), None)
        for a in self.performance.areas():
            self.area.addItem(a, a)
        self.area.blockSignals(False)

    # -- actions ---------------------------------------------------------------------------------
    def export(self, table: Table) -> None:
        path = self.ask_path(table.key)
        if path is None:
            return
        answer = self.ask_disclosure(_("Export: {table}").format(table=_(table.title)))
        if answer is None:
            return
        changes, message = write_disclosed(
            path,
            lambda: self.performance.export_csv(
                table, how=f"saved to {path}", recipient=answer[0], justification=answer[1]
            ),
        )
        self.status.setText(message)
        if changes is not None:
            self.ctx.broadcast(changes)

    def open_report(self) -> None:
        if self.report is None:
            return
        report = self.report
        self.report_dialog = open_preview(
            self.ctx, self, _("Scheme performance report"), lambda documents: documents.performance(report)
        )

    def add_year(self) -> None:
        dialog = CohortYearDialog(self.years, self.ctx.session.today(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.made is not None:
            self.year.addItem("", dialog.made.record.id)
            self.year.setCurrentIndex(self.year.count() - 1)
            self.ctx.broadcast(dialog.made)

    def enter_convictions(self) -> None:
        year_id = self.year.currentData()
        if year_id is None:
            return
        dialog = ConvictionsDialog(self.years, int(year_id), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.changes_made is not None:
            self.ctx.broadcast(dialog.changes_made)

    def import_convictions(self) -> None:
        from ui.imports.import_dialog import ImportDialog

        ImportDialog(self.ctx, "convictions", self).exec()

    def _ask_path(self, key: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Export a table (unencrypted CSV)"), f"{key}.csv", _("CSV (*.csv)")
        )
        return Path(chosen) if chosen else None


def _cell(i: int) -> Callable[[list[str]], str]:
    return lambda row: row[i]
