"""The agenda as a table model; rows can be dragged to a new place (the service renumbers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from ppo_desktop.domain import AgendaItem, ItemState
from ppo_desktop.i18n import _
from ui.table_model import Column, RecordTableModel

MIME = "application/x-ppo-agenda-item"
Index = QModelIndex | QPersistentModelIndex


def agenda_columns(current: Callable[[], int | None]) -> list[Column[AgendaItem]]:
    return [
        Column(
            "#", lambda i: ("▶ " if current() == i.id else "") + str(i.position), lambda i: i.position, True
        ),
        Column(_("Item"), lambda i: _(i.title)),  # a list-review item's title is said; a name is itself
        Column(_("Why"), lambda i: "; ".join([*i.reasons, *(f"“{t}”" for t in i.free_text)])),
        Column(_("Min"), lambda i: str(i.minutes), lambda i: i.minutes, True),
        Column(_("Done"), lambda i: _("✓ discussed") if i.state is ItemState.DISCUSSED else ""),
    ]


class AgendaModel(RecordTableModel[AgendaItem]):
    def __init__(
        self,
        move: Callable[[int, int], None],
        current: Callable[[], int | None] = lambda: None,
        parent: Any = None,
    ) -> None:
        super().__init__(agenda_columns(current), parent)
        self._move = move

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():  # between rows: an item may be dropped there
            return Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        if indexes:
            data.setData(MIME, QByteArray(str(self.row_object(indexes[0].row()).id).encode()))
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not data.hasFormat(MIME):
            return False
        item_id = int(bytes(data.data(MIME).data()).decode())
        target = row if row >= 0 else (parent.row() if parent.isValid() else self.rowCount())
        source = next(i for i, item in enumerate(self._rows) if item.id == item_id)
        position = target + 1 if target <= source else target
        self._move(item_id, position)
        return False  # the service moved it; the view reloads from the store
