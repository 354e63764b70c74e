"""The count table of a sheet (crime categories and victims) as an editable Qt model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ppo_desktop.i18n import _
from ppo_desktop.scoring import Breakdown, Definition

Index = QModelIndex | QPersistentModelIndex
COL_LABEL, COL_POINTS = 0, 1
CHANGED_BRUSH = QBrush(QColor("#fff1b8"))
HEADER_BRUSH = QBrush(QColor("#dfe7f1"))
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable
CENTRED = int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True)
class Item:
    section: str
    key: str  # row key, or group / section key for headings
    label: str
    points: float | None  # None for headings
    marker: str = ""
    heading: bool = False


def items_of(defn: Definition) -> list[Item]:
    out: list[Item] = []
    for s in defn.sections:
        if s.kind != "counts":
            continue
        out.append(Item(s.key, s.key, s.title, None, heading=True))
        groups = {g.key: g for g in s.groups}
        seen: set[str] = set()
        for r in s.rows:
            if r.group and r.group not in seen:
                seen.add(r.group)
                g = groups[r.group]
                out.append(Item(s.key, g.key, g.label, None, g.marker, heading=True))
            out.append(Item(s.key, r.key, r.label, r.points, r.marker))
    return out


class CountsModel(QAbstractTableModel):
    """Rows: headings and categories; columns: label, points, evidence columns, score, previous, change."""

    counts_edited = Signal(str, str, str, int)  # section, row, column, new count

    def __init__(self, defn: Definition, parent: Any = None) -> None:
        super().__init__(parent)
        self.defn = defn
        self.items = items_of(defn)
        self.columns = [c.key for c in defn.columns]
        self.col_score = 2 + len(self.columns)
        self.col_previous = self.col_score + 1
        self.col_change = self.col_score + 2
        self.inputs: dict[str, Any] = {}
        self.scores: dict[str, float] = {}
        self.previous: dict[str, float] | None = None
        self.read_only = False

    def set_state(
        self, inputs: dict[str, Any], breakdown: Breakdown, previous: dict[str, float] | None
    ) -> None:
        self.beginResetModel()
        self.inputs = inputs
        self.scores = {ln.key: ln.score for ln in breakdown.lines}
        self.previous = previous
        self.endResetModel()

    def update_scores(self, inputs: dict[str, Any], breakdown: Breakdown, edited: str | None = None) -> None:
        """After an edit, repaint only the rows whose counts or score changed (this runs per keystroke)."""
        old = self.scores
        self.inputs = inputs
        self.scores = {ln.key: ln.score for ln in breakdown.lines}
        for row, item in enumerate(self.items):
            if item.key == edited or (not item.heading and old.get(item.key) != self.scores.get(item.key)):
                self.dataChanged.emit(self.index(row, 2), self.index(row, self.col_change))

    def count(self, item: Item, column: str) -> int:
        return int(self.inputs.get(item.section, {}).get(item.key, {}).get(column, 0))

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.col_change + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = [
            _("Crime category"),
            _("Points"),
            *[c.label for c in self.defn.columns],  # the matrix's own words (data)
            _("Score"),
            _("Previous"),
            _("Change"),
        ]
        return names[section] if 0 <= section < len(names) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        column = index.column()
        if 2 <= column < self.col_score and not self.read_only and not self.items[index.row()].heading:
            return EDITABLE
        return READ_ONLY

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, col)
        if role == Qt.ItemDataRole.EditRole and 2 <= col < self.col_score:
            return self.count(item, self.columns[col - 2])
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return CENTRED
        if role == Qt.ItemDataRole.BackgroundRole:
            if item.heading:
                return HEADER_BRUSH
            if self._changed(item) and col in (self.col_score, self.col_change):
                return CHANGED_BRUSH
        if role == Qt.ItemDataRole.FontRole and (item.heading or col == self.col_score):
            return bold_font()
        if role == Qt.ItemDataRole.ToolTipRole and item.marker:
            reading = self.defn.reading_for(item.key)
            return _("Marker {marker}: {reading}").format(
                marker=item.marker, reading=reading.text if reading else _("no reading")
            )
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        try:
            count = int(value)
        except (TypeError, ValueError):
            return False
        if count < 0:
            return False
        item = self.items[index.row()]
        self.counts_edited.emit(item.section, item.key, self.columns[index.column() - 2], count)
        return True

    def _text(self, item: Item, col: int) -> str:
        if col == COL_LABEL:
            return f"{item.label}  {item.marker}".rstrip() if item.marker else item.label
        if item.heading:
            return ""
        if col == COL_POINTS:
            return f"{item.points:g}"
        if col < self.col_score:
            n = self.count(item, self.columns[col - 2])
            return str(n) if n else ""
        score = self.scores.get(item.key, 0.0)
        if col == self.col_score:
            return f"{score:g}" if score or self._changed(item) else ""
        prev = None if self.previous is None else self.previous.get(item.key, 0.0)
        if col == self.col_previous:
            return "" if not prev else f"{prev:g}"
        delta = score - (prev or 0.0)
        return "" if delta == 0 else f"{delta:+g}"

    def _changed(self, item: Item) -> bool:
        if self.previous is None:
            return False
        return self.scores.get(item.key, 0.0) != self.previous.get(item.key, 0.0)


_BOLD: list[QFont] = []


def bold_font() -> QFont:
    """One bold font for every bold cell (made on first use: a QFont needs the application)."""
    if not _BOLD:
        font = QFont()
        font.setBold(True)
        _BOLD.append(font)
    return _BOLD[0]
