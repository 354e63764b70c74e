"""Small shared widgets: read-only tables and section titles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QWidget,
)

from ui.table_model import Column, RecordTableModel, SortRole

T = TypeVar("T")
# Columns sized to their contents measure this many rows, not all of them (a log has thousands).
RESIZE_PRECISION = 60


def title_label(text: str, object_name: str = "screenTitle") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    return label


class SourceSortingProxy(QSortFilterProxyModel):
    """Filters here, but hands sorting to the source model (one Python key per row, not a
    comparison through data() per pair: 10,000 rows sort in milliseconds)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


def read_only_table(
    columns: Sequence[Column[Any]],
    accessible_name: str,
    parent: QWidget | None = None,
    *,
    newest_first: bool = False,
) -> tuple[QTableView, RecordTableModel[Any]]:
    """A sortable, keyboard-navigable table over a RecordTableModel (no editing in place).

    Sorted by the first column: ascending, or descending when ``newest_first`` (dated lists, logs).
    """

    model: RecordTableModel[Any] = RecordTableModel(columns, parent)
    proxy = SourceSortingProxy(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = _read_only_view(proxy, accessible_name, parent)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder if newest_first else Qt.SortOrder.AscendingOrder)
    return view, model


def configure_table(
    model: RecordTableModel[Any], accessible_name: str, parent: QWidget | None = None
) -> QTableView:
    """A read-only view straight on ``model`` (no sorting proxy): for lists whose order is the data."""
    view = _read_only_view(model, accessible_name, parent)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return view


def _read_only_view(model: Any, accessible_name: str, parent: QWidget | None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAccessibleName(accessible_name)
    return view


def wrap_last_column(view: QTableView, stretch: int | None = None) -> None:
    """Long text (reasons, notes) wraps in a stretching column instead of being cut off."""
    header = view.horizontalHeader()
    column = stretch if stretch is not None else view.model().columnCount() - 1
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    view.setWordWrap(True)
    # Row heights follow the wrapped text as the column width changes (short lists only).
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def add_rows(form: QFormLayout, rows: Sequence[tuple[str, QWidget]]) -> None:
    """Form rows whose captions are buddies of their fields (Alt+letter reaches each one); a field
    without an accessible name takes its caption's words."""
    for label, widget in rows:
        caption = QLabel(label)
        caption.setBuddy(widget)
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow(caption, widget)


def sized_by_shown_page(tabs: QTabWidget) -> None:
    """The tabs ask for the room their shown page needs, not the largest of all their pages (a stack
    counts hidden pages too). Each page keeps its own size policy for when it is shown."""
    pages = [page for i in range(tabs.count()) if (page := tabs.widget(i)) is not None]
    own = [page.sizePolicy() for page in pages]
    hidden = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def size(index: int) -> None:
        for i, (page, policy) in enumerate(zip(pages, own, strict=True)):
            page.setSizePolicy(policy if i == index else hidden)
        tabs.updateGeometry()

    tabs.currentChanged.connect(size)
    size(tabs.currentIndex())


def wrapping(label: QLabel) -> QLabel:
    """A label that wraps rather than widening its screen (a long meeting name, a longer language)."""
    label.setWordWrap(True)
    return label


def shrinkable(combo: QComboBox, characters: int = 24) -> None:
    """A drop-down that does not widen the screen to its longest choice (the list still shows it
    whole): at 200 % text the meeting's drop-down alone made the Reports screen 2,043 px wide, the pool's
    'IOM score (…)' the Candidates screen 1,823, the console's pathway list its action form 728 px."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)


class OneLineWhenItFits(QLabel):
    """A label that asks for one line and wraps only when there is not room for it (a wrapped label
    otherwise asks for less than a line, and wrapped the sheet's total at 100 % text)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._hint: tuple[tuple[str, str], QSize] | None = None  # measured once per text and font

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        key = (self.text(), self.font().key())
        if self._hint is not None and self._hint[0] == key:  # (the total is set on every keystroke)
            return self._hint[1]
        one_line = self.heightForWidth(1 << 16)
        width = self.fontMetrics().horizontalAdvance(self.text())
        while self.heightForWidth(width) > one_line and width < (1 << 16):  # the label's own margins
            width += 4
        self._hint = (key, QSize(width, one_line))
        return self._hint[1]
