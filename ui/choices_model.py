"""A table where some rows need a person's choice (a possible duplicate: which person is this?; a
conflict: which value stands?): text columns, and a last column edited with a drop-down. One model
and one delegate for every such grid — no widget per row, so 10,000 rows cost what 10 do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ppo_desktop.i18n import N_, _

Index = QModelIndex | QPersistentModelIndex
UNCHOSEN = N_("— choose —")
NEW_PERSON = -1


def who_is_this(nominal_id: int | None) -> tuple[tuple[str, int], ...]:
    """The choices for a possible duplicate: the person on file it resembles, or a new person."""
    same = (
        ((_("The same person as nominal {id}").format(id=nominal_id), nominal_id),)
        if nominal_id is not None
        else ()
    )
    return (*same, (_("A new person"), NEW_PERSON))


def people_decided(model: ChoicesModel) -> dict[int, int | None]:
    """Each possible duplicate decided: its row → the person on file, or None for a new person."""
    return {int(k): None if v == NEW_PERSON else int(v) for k, v in model.choices().items()}


@dataclass
class ChoiceRow:
    texts: tuple[str, ...]  # the row's columns, before the choice
    choices: tuple[tuple[str, Any], ...] = ()  # (label, value); none: nothing to choose on this row
    chosen: Any = None
    key: Any = None  # what the row stands for (a row number, a conflict's key)
    tooltip: str = field(default="", compare=False)


class ChoicesModel(QAbstractTableModel):
    chosen = Signal()  # a choice was made or changed

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self._rows: list[ChoiceRow] = []

    def set_rows(self, rows: Sequence[ChoiceRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> ChoiceRow:
        return self._rows[number]

    def choices(self) -> dict[Any, Any]:
        """Each row's key → the value chosen, for the rows where a choice was made."""
        return {r.key: r.chosen for r in self._rows if r.choices and r.chosen is not None}

    def undecided(self) -> int:
        return sum(1 for r in self._rows if r.choices and r.chosen is None)

    # -- the model --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None

    def _is_choice(self, index: Index) -> bool:
        return index.column() == len(self.headers) - 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if self._is_choice(index):
            if role == Qt.ItemDataRole.DisplayRole:
                if not row.choices:
                    return ""
                return next((label for label, value in row.choices if value == row.chosen), _(UNCHOSEN))
            if role == Qt.ItemDataRole.EditRole:
                return row.chosen
            return None
        if role == Qt.ItemDataRole.DisplayRole and index.column() < len(row.texts):
            return row.texts[index.column()]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._is_choice(index) and self._rows[index.row()].choices:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self._is_choice(index):
            return False
        row = self._rows[index.row()]
        if value is not None and value not in {v for _label, v in row.choices}:
            return False
        row.chosen = value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.chosen.emit()
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """The drop-down for a row's choice (opened by a click, F2, or typing on the cell)."""

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        model = index.model()
        assert isinstance(model, ChoicesModel)
        row = model.row(index.row())
        combo.addItem(_(UNCHOSEN), None)
        for label, value in row.choices:
            combo.addItem(label, value)
        combo.setAccessibleName(_("{row}: choose").format(row=" ".join(row.texts[:2])))
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def choices_view(model: ChoicesModel, name: str, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setItemDelegateForColumn(len(model.headers) - 1, ChoiceDelegate(view))
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.CurrentChanged
        | QAbstractItemView.EditTrigger.SelectedClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setAccessibleName(name)
    view.verticalHeader().hide()
    view.setWordWrap(True)
    return view
