"""Cohort & candidates list: every nominal with their strand, status and review date, searchable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import CohortRow, Status, Strand
from ui.context import AppContext
from ui.refresh import RefreshWhenShown
from ui.table_model import Column, ObjectRole, RecordTableModel, SortRole, fmt_date
from ui.widgets import RESIZE_PRECISION, SourceSortingProxy

ANY = "All"
COL_STATUS = 5
NOT_ON_STRAND = "Not on a strand"
STRANDS = {s.value for s in Strand}
AMBER_LIST = "Amber list"  # out of the active cohort, held until reconsidered (000 §6, 002 item 3)


def strand_text(r: CohortRow, today: dt.date) -> str:
    m = r.membership
    if m is None:
        return "Candidate"
    if m.current:
        return m.strand.value
    return f"{AMBER_LIST} ({m.strand.value})" if m.held_on_amber(today) else f"Former {m.strand.value}"


def cohort_columns(today: dt.date) -> list[Column[CohortRow]]:
    return [
        Column("Ref", lambda r: r.nominal.ref),
        Column("Name", lambda r: r.nominal.display_name),
        Column(
            "Age", lambda r: str(r.nominal.age_on(today) or ""), lambda r: r.nominal.age_on(today) or 0, True
        ),
        Column("Strand", lambda r: strand_text(r, today)),
        Column("Basis", lambda r: r.membership.basis.value if r.membership and r.membership.current else ""),
        Column(
            "Status", lambda r: r.membership.status.label if r.membership and r.membership.current else ""
        ),
        Column("Area", lambda r: r.nominal.area),
        Column(
            "Added",
            lambda r: fmt_date(r.membership.added_on if r.membership else None),
            lambda r: r.membership.added_on.isoformat() if r.membership else "",
        ),
        Column(
            "Next review",
            lambda r: fmt_date(r.membership.next_review_on if r.membership else None),
            lambda r: (
                r.membership.next_review_on.isoformat()
                if r.membership and r.membership.next_review_on
                else "9999"
            ),
        ),
        Column("Open actions", lambda r: str(r.open_actions), lambda r: r.open_actions, True),
        Column(
            "Score",
            lambda r: "" if r.latest_score is None else f"{r.latest_score:g}",
            lambda r: -1 if r.latest_score is None else r.latest_score,
            True,
        ),
    ]


class CohortFilter(SourceSortingProxy):
    """Search (name, alias, ref, PNC, CRO) plus strand, status and area filters."""

    def __init__(self, parent: Any = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.today = today or dt.date.min
        self._haystacks: dict[int, str] = {}
        self.search = ""
        self.strand = ANY
        self.status = ANY
        self.area = ANY
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_criteria(
        self,
        *,
        search: str | None = None,
        strand: str | None = None,
        status: str | None = None,
        area: str | None = None,
    ) -> None:
        self.beginFilterChange()
        if search is not None:
            self.search = search.strip().lower()
        if strand is not None:
            self.strand = strand
        if status is not None:
            self.status = status
        if area is not None:
            self.area = area
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RecordTableModel)
        row: CohortRow = model.row_object(source_row)
        m = row.membership if row.membership and row.membership.current else None
        amber = bool(row.membership and row.membership.held_on_amber(self.today))
        if self.strand == NOT_ON_STRAND and (m is not None or amber):
            return False
        if self.strand == AMBER_LIST and not amber:
            return False
        if self.strand in STRANDS and (m is None or m.strand.value != self.strand):
            return False
        if self.status != ANY and (m is None or m.status.label != self.status):
            return False
        if self.area != ANY and row.nominal.area != self.area:
            return False
        if self.search:
            haystack = self._haystacks.get(row.nominal.id)
            if haystack is None:
                n = row.nominal
                haystack = " ".join(
                    (n.family_name, n.given_names, n.ref, n.pnc_id, n.cro, *n.aliases)
                ).lower()
                self._haystacks[row.nominal.id] = haystack
            return all(word in haystack for word in self.search.split())
        return True


class CohortScreen(RefreshWhenShown, QWidget):
    open_case = Signal(int)  # nominal id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model: RecordTableModel[CohortRow] = RecordTableModel(cohort_columns(ctx.session.today()), self)
        self.proxy = CohortFilter(self, ctx.session.today())
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(placeholderText="Search name, alias, ref, PNC or CRO  (Ctrl+F)")
        self.search.setAccessibleName("Search the cohort")
        self.search.setClearButtonEnabled(True)
        runs = [s.value for s in ctx.session.profile().strands]
        self.strand = self._combo("Strand", [ANY, *runs, AMBER_LIST, NOT_ON_STRAND])
        self.status = self._combo("Status", [ANY, *[s.label for s in Status]])
        self.area = self._combo("Area", [ANY])

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(RESIZE_PRECISION)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Cohort list")
        self.table.doubleClicked.connect(self._activate)
        self.table.activated.connect(self._activate)
        # Down (or Enter) from the search box goes to the results, first row selected.
        QShortcut(
            QKeySequence(Qt.Key.Key_Down), self.search, self._to_results, Qt.ShortcutContext.WidgetShortcut
        )
        self.search.returnPressed.connect(self._to_results)
        self.count = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for label, combo in (("&Strand", self.strand), ("S&tatus", self.status), ("&Area", self.area)):
            caption = QLabel(f"{label}:")
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        title = QLabel("Cohort & candidates")
        title.setObjectName("screenTitle")
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self.search.textChanged.connect(lambda t: self._refilter(search=t))
        self.strand.currentTextChanged.connect(lambda t: self._refilter(strand=t))
        self.status.currentTextChanged.connect(lambda t: self._refilter(status=t))
        self.area.currentTextChanged.connect(lambda t: self._refilter(area=t))
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        # The cohort shows final scores only: a draft saved as someone types changes nothing here.
        self.watch(ctx, {"nominals", "memberships", "actions", "score_sheets"})
        self.reload()

    def _combo(self, name: str, items: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItems(items)
        combo.setAccessibleName(f"Filter by {name.lower()}")
        return combo

    def reload(self) -> None:
        rows = self.ctx.services.cases.cohort()
        self.proxy._haystacks.clear()
        self.model.set_rows(rows)
        areas = sorted({r.nominal.area for r in rows if r.nominal.area})
        current = self.area.currentText()
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItems([ANY, *areas])
        self.area.setCurrentText(current if current in areas else ANY)
        self.area.blockSignals(False)
        self._update_count()

    def _refilter(self, **criteria: str) -> None:
        self.proxy.set_criteria(**criteria)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} people shown")

    def _to_results(self) -> None:
        if self.proxy.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _activate(self, index: QModelIndex) -> None:
        row: CohortRow = index.data(ObjectRole)
        if row is not None:
            self.open_case.emit(row.nominal.id)
