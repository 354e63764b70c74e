"""Typing a count into the scoring sheet: a plain box, so Up and Down move between rows."""

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


class CountDelegate(QStyledItemDelegate):
    """A count is typed into a plain box (no spin arrows): Up and Down keep their meaning in the
    sheet — the count typed is kept and the cursor moves to the row above or below."""

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
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            view = self.parent()
            if step and isinstance(view, QAbstractItemView):
                current = view.currentIndex()
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                target = current.sibling(current.row() + step, current.column())
                if target.isValid():
                    view.setCurrentIndex(target)
                return True
        return super().eventFilter(watched, event)
