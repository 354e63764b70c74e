"""Re-offending cohort years: set one up, and enter each member's convictions per quarter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import Nominal
from ppo_desktop.i18n import _, format_date
from ppo_desktop.services import Changes
from ppo_desktop.services.cohort_years import CohortYear, CohortYears
from ppo_desktop.services.workspace import Made
from ui.context import attempt
from ui.date_field import DateField
from ui.dialog import Dialog
from ui.widgets import add_rows

Index = QModelIndex | QPersistentModelIndex
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


class CohortYearDialog(Dialog):
    """A cohort year as the Home Office set it (003 §2.1): ceiling, stretch, baseline."""

    def __init__(self, years: CohortYears, today: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.years = years
        self.made: Made[CohortYear] | None = None  # the year, once created
        self.setWindowTitle(_("New re-offending cohort year"))
        start_year = today.year if today.month >= 4 else today.year - 1
        self.label = QLineEdit(f"{start_year}/{(start_year + 1) % 100:02d}")
        self.starts = DateField(_("Starts"), required=True)
        self.starts.set_date(dt.date(start_year, 4, 1))
        self.baseline = QSpinBox()
        self.baseline.setRange(0, 1_000_000)
        self.ceiling = QLineEdit()
        self.ceiling.setPlaceholderText(_("e.g. 16"))
        self.stretch = QLineEdit()
        self.stretch.setPlaceholderText(_("optional, e.g. 19"))
        self.months = QLineEdit()
        self.months.setPlaceholderText(_("as the Home Office gave it, e.g. 21.5 (blank: worked out)"))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(QLabel(_("The cohort is everyone on the scheme on the first day; change it later.")))
        add_rows(
            form,
            (
                (_("&Label:"), self.label),
                (_("&First day:"), self.starts),
                (_("&Baseline convictions:"), self.baseline),
                (_("&Ceiling %:"), self.ceiling),
                (_("&Stretch %:"), self.stretch),
                (_("Average &months on scheme:"), self.months),
            ),
        )
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        try:
            starts = self.starts.date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        assert starts is not None
        made = attempt(
            lambda: self.years.create(
                self.label.text(),
                starts,
                baseline=self.baseline.value(),
                ceiling_pct=self.ceiling.text(),
                stretch_pct=self.stretch.text() or None,
                months_on_scheme=self.months.text() or None,
            ),
            self.error,
        )
        if made is None:
            return
        self.made = made.value
        self.accept()


class ConvictionsModel(QAbstractTableModel):
    """Members down the side, Q1–Q4 across; a blank cell is 'not yet entered', 0 is 'none'."""

    def __init__(
        self, members: list[Nominal], counts: dict[int, list[int | None]], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.members = members
        self.counts = {n.id: list(counts.get(n.id, [None] * 4)) for n in members}
        self.original = {k: list(v) for k, v in self.counts.items()}

    def changes(self) -> dict[tuple[int, int], int | None]:
        return {
            (nid, q + 1): values[q]
            for nid, values in self.counts.items()
            for q in range(4)
            if values[q] != self.original[nid][q]
        }

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.members) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Person"), *QUARTERS, _("Year"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if 1 <= index.column() <= 4 and index.row() < len(self.members):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column():
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        row, col = index.row(), index.column()
        if row == len(self.members):  # the totals line
            if col == 0:
                return _("Whole cohort")
            values = [self.counts[n.id][col - 1] for n in self.members] if col <= 4 else None
            if values is None:
                return str(sum(v or 0 for c in self.counts.values() for v in c))
            entered = [v for v in values if v is not None]
            return str(sum(entered)) if entered else ""
        person = self.members[row]
        if col == 0:
            return f"{person.display_name} ({person.ref})"
        if col == 5:
            return str(sum(v or 0 for v in self.counts[person.id]))
        value = self.counts[person.id][col - 1]
        return "" if value is None else str(value)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        text = str(value).strip()
        if text and (not text.isdigit() or int(text) > 10_000):
            return False  # not a count: the cell keeps its value
        self.counts[self.members[index.row()].id][index.column() - 1] = int(text) if text else None
        last = self.index(len(self.members), 5)
        self.dataChanged.emit(self.index(index.row(), 1), self.index(index.row(), 5))
        self.dataChanged.emit(self.index(len(self.members), 1), last)
        return True


class ConvictionsDialog(Dialog):
    """Convictions per person per quarter for one cohort year, saved in one transaction."""

    def __init__(self, years: CohortYears, year_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.years = years
        self.year_id = year_id
        year = years.get(year_id)
        years.consult(year_id)
        self.setWindowTitle(_("Convictions — cohort {label}").format(label=year.label))
        self.model = ConvictionsModel(years.members(year_id), years.counts(year_id), self)
        self.changes_made: Changes | None = None  # what saving changed, once saved
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Convictions per person per quarter"))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.error = QLabel()
        self.error.setObjectName("error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "Quarters from {day}. Type a count; leave blank if not yet known (0 "
                    "means no convictions). Every change is recorded in the audit log."
                ).format(day=format_date(year.starts_on))
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 560)
        if self.model.members:
            self.table.setCurrentIndex(self.model.index(0, 1))

    def save(self) -> None:
        saved = attempt(lambda: self.years.set_counts(self.year_id, self.model.changes()), self.error)
        if saved is None:
            return
        self.changes_made = saved.value
        self.accept()
