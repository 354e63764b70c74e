"""A row of controls that wraps onto the next line when the window is too narrow for it (at 200 %
text a screen's buttons no longer fit one line). Qt ships no such layout; this follows its own
"Flow Layout" example (right-aligned like a dialog's buttons, or left)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6, *, align_left: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._left = align_left
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """All on one line."""
        width = sum(i.sizeHint().width() for i in self._items) + self._spacing * max(len(self._items) - 1, 0)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """As narrow as its widest control: the rest wraps."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Lay the controls out in lines (right-aligned unless told); the height they take."""
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._items:
            wide = item.sizeHint().width()
            if lines[-1] and used + self._spacing + wide > rect.width():
                lines.append([])
                used = 0
            used += (self._spacing if lines[-1] else 0) + wide
            lines[-1].append(item)
        y = rect.y()
        for line in lines:
            tall = max((i.sizeHint().height() for i in line), default=0)
            width = sum(i.sizeHint().width() for i in line) + self._spacing * max(len(line) - 1, 0)
            x = rect.x() + (0 if self._left else max(rect.width() - width, 0))
            for item in line:
                if apply:
                    item.setGeometry(QRect(QPoint(x, y), item.sizeHint()))
                x += item.sizeHint().width() + self._spacing
            y += tall + self._spacing
        return max(y - rect.y() - self._spacing, 0)


def flowing(*widgets: QWidget, align_left: bool = False) -> QWidget:
    """Controls in a row that wraps, as one widget for a layout."""
    holder = QWidget()
    holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    layout = FlowLayout(holder, align_left=align_left)
    for widget in widgets:
        layout.addWidget(widget)
    return holder
