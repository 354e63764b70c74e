"""The shared table model, alone and under Qt's model tester."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt

from ui.table_model import Column, ObjectRole, RecordTableModel, SortRole

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass


@dataclass(frozen=True)
class Item:
    name: str
    size: int


COLUMNS = [Column("Name", lambda i: i.name), Column("Size", lambda i: str(i.size), lambda i: i.size, True)]


def test_model_passes_qt_model_tester(qtmodeltester: object) -> None:
    model: RecordTableModel[Item] = RecordTableModel(COLUMNS)
    model.set_rows([Item("b", 10), Item("a", 9)])
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_roles() -> None:
    model: RecordTableModel[Item] = RecordTableModel(COLUMNS)
    model.set_rows([Item("b", 10)])
    size = model.index(0, 1)
    assert size.data() == "10"
    assert size.data(SortRole) == 10
    assert size.data(ObjectRole) == Item("b", 10)
    assert size.data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    model.clear()
    assert model.rowCount() == 0


def _sorted_names(names: list[str]) -> list[str]:
    model: RecordTableModel[Item] = RecordTableModel(COLUMNS)
    model.set_rows([Item(n, 0) for n in names])
    model.sort(0)
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_text_sorts_in_the_readers_alphabet_whatever_its_case() -> None:
    from ppo_desktop import i18n

    names = ["Thomas", "ap Rhys", "Llwyd", "Chwilen", "Lloyd", "Cyril", "Lewis", "Tudur", "Item 10", "item 2"]
    assert _sorted_names(names) == [
        "ap Rhys", "Chwilen", "Cyril", "item 2", "Item 10", "Lewis", "Lloyd", "Llwyd", "Thomas", "Tudur",
    ]  # fmt: skip
    i18n.use("cy")  # ch after c, ll after l, th after t: letters of their own
    try:
        assert _sorted_names(names) == [
            "ap Rhys", "Cyril", "Chwilen", "item 2", "Item 10", "Lewis", "Lloyd", "Llwyd", "Tudur", "Thomas",
        ]  # fmt: skip
    finally:
        i18n.use(i18n.ENGLISH)
