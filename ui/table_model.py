"""One table model for every list: rows of domain objects, columns declared as data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, QPersistentModelIndex, Qt

from ppo_desktop.i18n import ENGLISH, _, current, format_date

T = TypeVar("T")
SortRole = Qt.ItemDataRole.UserRole
ObjectRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    align_right: bool = False
    tooltip: str = ""


class RecordTableModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows themselves with one key per row (a proxy compares through data(): slow)."""
        if not 0 <= column < len(self.columns):
            return
        col = self.columns[column]
        key = col.sort or col.text
        collator = collation()

        def safe(obj: T) -> tuple[bool, Any]:
            value = key(obj)
            if isinstance(value, str):
                return (False, collator.sortKey(value))
            return (value is None, value if value is not None else 0)

        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=safe, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def row_object(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        obj = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return column.text(obj)
        if role == SortRole:
            key = column.sort(obj) if column.sort else column.text(obj)
            return "" if key is None else key
        if role == ObjectRole:
            return obj
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:  # a title kept as data (N_), in the language in use
                return _(self.columns[section].title)
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tooltip:
                return _(self.columns[section].tooltip)
        return None


def collation() -> QCollator:
    """Text in the reader's alphabetical order, whatever its case: in Welsh, "ch" after "cy", "ll" after
    "lw", "ng" after "g" (Qt's collation, from the ICU it ships); numbers within text by their value."""
    collator = QCollator(QLocale("en_GB" if current() == ENGLISH else current()))
    collator.setNumericMode(True)
    return collator


def fmt_date(value: Any) -> str:
    """A day as the reader writes it (English "07 Dec 2026", Welsh "7 Rhag 2026")."""
    return format_date(value) if value else ""
