"""Every hand-written table model against Qt's own model checks (pytest-qt's qtmodeltester: row and
column counts, parents, data for every role, header data, flags), with real data in them."""

from __future__ import annotations

import datetime as dt

from pytestqt.modeltest import ModelTester

from ppo_desktop.domain import AgendaItem, Nominal
from ppo_desktop.scoring import empty_inputs, score, shipped
from ui.choices_model import ChoiceRow, ChoicesModel
from ui.meeting.agenda_model import AgendaModel
from ui.performance.convictions import ConvictionsModel
from ui.scoring.counts_model import CountsModel
from ui.table_model import Column, RecordTableModel


def test_the_scoring_counts_model(qtmodeltester: ModelTester) -> None:
    defn = shipped().get("thurrock-2009-appendix2")
    inputs = empty_inputs(defn)
    inputs["offences"] = {"robbery": {"convicted": 2}}
    model = CountsModel(defn)
    model.set_state(inputs, score(defn, inputs), {"robbery": 5.0})
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() > 10


def test_the_convictions_model(qtmodeltester: ModelTester) -> None:
    members = [Nominal(id=n, ref=f"N{n:05d}", family_name=f"Testperson{n}", given_names="Fictional")
               for n in (1, 2, 3)]  # fmt: skip
    model = ConvictionsModel(members, {1: [0, 1, None, 2]})
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 4 and model.columnCount() >= 4  # three people and the totals


def test_the_agenda_model(qtmodeltester: ModelTester) -> None:
    items = [
        AgendaItem(id=n, meeting_id=1, position=n, title=f"Review {n}", nominal_id=n, minutes=10,
                   reasons=("review due",))
        for n in (1, 2, 3)
    ]  # fmt: skip
    model = AgendaModel(lambda _item, _position: None, lambda: 2)
    model.set_rows(items)
    qtmodeltester.check(model, force_py=True)


def test_the_choices_model(qtmodeltester: ModelTester) -> None:
    model = ChoicesModel(["Row", "Fate", "Why", "Decision"])
    model.set_rows([
        ChoiceRow(("2", "possible-duplicate", "Alike a person on file"), (("Same as 7", 7), ("New", -1)),
                  key=2),
        ChoiceRow(("3", "new", "New person"), key=3),
    ])  # fmt: skip
    qtmodeltester.check(model, force_py=True)
    decision = model.index(0, 3)
    assert model.setData(decision, 7) and model.choices() == {2: 7} and model.undecided() == 0
    assert not model.setData(decision, 99)  # not one of the row's choices
    assert not model.setData(model.index(1, 3), 7)  # nothing to choose on that row: not editable either
    assert model.data(decision) == "Same as 7"


def test_the_record_table_model(qtmodeltester: ModelTester) -> None:
    model: RecordTableModel[tuple[str, dt.date]] = RecordTableModel(
        [Column("Name", lambda r: r[0]), Column("Day", lambda r: f"{r[1]:%d %b %Y}", lambda r: r[1])]
    )
    model.set_rows([("Quillfeather", dt.date(2026, 1, 2)), ("Tumbletoe", dt.date(2025, 3, 4))])
    qtmodeltester.check(model, force_py=True)
