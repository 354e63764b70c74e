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

from ppo_desktop.domain import CohortRow, Membership, Status, Strand
from ppo_desktop.i18n import N_, _, ngettext
from ui.context import AppContext
from ui.refresh import RefreshWhenShown
from ui.table_model import Column, ObjectRole, RecordTableModel, SortRole, fmt_date
from ui.widgets import RESIZE_PRECISION, SourceSortingProxy, shrinkable

# The filters' choices are keys (the combos show them translated; their data is the key).
ANY = N_("All")
COL_STATUS = 5
NOT_ON_STRAND = N_("Not on a strand")
STRANDS = {s.value for s in Strand}
AMBER_LIST = N_("Amber list")  # out of the active cohort, held until reconsidered (000 §6, 002 item 3)


def strand_text(r: CohortRow, today: dt.date) -> str:
    m = r.membership
    if m is None:
        return _("Candidate")
    if m.current:
        return m.strand.value
    if m.held_on_amber(today):
        return _("Amber list ({strand})").format(strand=m.strand.value)
    return _("Former {strand}").format(strand=m.strand.value)


BASES = (N_("prolific"), N_("priority"))  # the basis as shown (the records keep the English word)


def _current(r: CohortRow) -> Membership | None:
    return r.membership if r.membership and r.membership.current else None


def cohort_columns(today: dt.date) -> list[Column[CohortRow]]:
    return [
        Column(_("Ref"), lambda r: r.nominal.ref),
        Column(_("Name"), lambda r: r.nominal.display_name),
        Column(_("Age"), lambda r: str(r.nominal.age_on(today) or ""), lambda r: r.nominal.age_on(today) or 0,
               True),  # fmt: skip
        Column(_("Strand"), lambda r: strand_text(r, today)),
        Column(_("Basis"), lambda r: _(m.basis.value) if (m := _current(r)) else ""),
        Column(_("Status"), lambda r: _(m.status.label) if (m := _current(r)) else ""),
        Column(_("Area"), lambda r: r.nominal.area),
        Column(
            _("Added"),
            lambda r: fmt_date(r.membership.added_on if r.membership else None),
            lambda r: r.membership.added_on.isoformat() if r.membership else "",
        ),
        Column(
            _("Next review"),
            lambda r: fmt_date(r.membership.next_review_on if r.membership else None),
            lambda r: (
                r.membership.next_review_on.isoformat()
                if r.membership and r.membership.next_review_on
                else "9999"
            ),
        ),
        Column(_("Open actions"), lambda r: str(r.open_actions), lambda r: r.open_actions, True),
        Column(
            _("Score"),
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

        self.search = QLineEdit(placeholderText=_("Search name, alias, ref, PNC or CRO  (Ctrl+F)"))
        self.search.setAccessibleName(_("Search the cohort"))
        self.search.setClearButtonEnabled(True)
        runs = [(s.value, s.value) for s in ctx.session.profile().strands]
        choices = [(_(ANY), ANY), *runs, (_(AMBER_LIST), AMBER_LIST), (_(NOT_ON_STRAND), NOT_ON_STRAND)]
        self.strand = self._combo(_("Filter by strand"), choices)
        statuses = [(_(ANY), ANY), *[(_(s.label), s.label) for s in Status]]
        self.status = self._combo(_("Filter by status"), statuses)
        self.area = self._combo(_("Filter by area"), [(_(ANY), ANY)])

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
        self.table.setAccessibleName(_("Cohort list"))
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
        captions = ((_("&Strand:"), self.strand), (_("S&tatus:"), self.status), (_("&Area:"), self.area))
        for label, combo in captions:
            shrinkable(combo, 16)  # a long status (in Welsh most of all) does not widen the screen
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        title = QLabel(_("Cohort & candidates"))
        title.setObjectName("screenTitle")
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self.search.textChanged.connect(lambda t: self._refilter(search=t))
        self.strand.currentIndexChanged.connect(lambda _i: self._refilter(strand=self.strand.currentData()))
        self.status.currentIndexChanged.connect(lambda _i: self._refilter(status=self.status.currentData()))
        self.area.currentIndexChanged.connect(lambda _i: self._refilter(area=self.area.currentData()))
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        # The cohort shows final scores only: a draft saved as someone types changes nothing here.
        self.watch(ctx, {"nominals", "memberships", "actions", "score_sheets"})
        self.reload()

    def _combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        """A filter: each choice shown in the reader's language, its key (English) as its data."""
        combo = QComboBox()
        for shown, key in items:
            combo.addItem(shown, key)
        combo.setAccessibleName(name)
        return combo

    def reload(self) -> None:
        rows = self.ctx.services.cases.cohort()
        self.proxy._haystacks.clear()
        self.model.set_rows(rows)
        areas = sorted({r.nominal.area for r in rows if r.nominal.area})
        current = self.area.currentData()
        self.area.blockSignals(True)
        self.area.clear()
        for shown, key in [(_(ANY), ANY), *[(a, a) for a in areas]]:
            self.area.addItem(shown, key)
        self.area.setCurrentIndex(max(0, self.area.findData(current if current in areas else ANY)))
        self.area.blockSignals(False)
        self._update_count()

    def _refilter(self, **criteria: str) -> None:
        self.proxy.set_criteria(**criteria)
        self._update_count()

    def _update_count(self) -> None:
        shown, every = self.proxy.rowCount(), self.model.rowCount()
        said = ngettext("{shown} of {n} person shown", "{shown} of {n} people shown", every)
        self.count.setText(said.format(shown=shown, n=every))

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
