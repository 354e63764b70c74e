"""Typing a count into the scoring sheet: a plain box, so the arrow keys move between cells — the
count typed is kept first ("2, Right, 1" once made 21)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLineEdit,
    QStyledItemDelegate,
    QWidget,
)

STEPS = {Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0), Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1)}


class CountDelegate(QStyledItemDelegate):
    """A count is typed into a plain box (no spin arrows): the arrow keys keep their meaning in the
    sheet — the count typed is kept and the cursor moves to the cell above, below, left or right."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:  # noqa: N802 - Qt's name
        editor = QLineEdit(parent)
        editor.setValidator(QIntValidator(0, 9999, editor))
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor: QWidget, index: Any) -> None:  # noqa: N802 - Qt's name
        assert isinstance(editor, QLineEdit)
        value = index.data(Qt.ItemDataRole.EditRole)
        if not editor.text():
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:  # noqa: N802 - Qt's name
        assert isinstance(editor, QLineEdit)
        if editor.text().strip():
            model.setData(index, int(editor.text()), Qt.ItemDataRole.EditRole)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if isinstance(watched, QLineEdit) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = STEPS.get(Qt.Key(event.key()))
            view = self.parent()
            if step and isinstance(view, QAbstractItemView):
                current = view.currentIndex()
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                target = current.sibling(current.row() + step[0], current.column() + step[1])
                if target.isValid():
                    view.setCurrentIndex(target)
                return True
        return super().eventFilter(watched, event)
