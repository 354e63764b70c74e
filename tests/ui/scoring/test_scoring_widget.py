"""qtbot: score a candidate with the keyboard alone, watch totals repaint, autosave, finalise, re-score."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import Strand
from ppo_desktop.services.cases import NominalDraft
from tests.ui.conftest import app_theme, show_active
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.scoring.widget import ScoringWidget, apply_projector_theme


def new_cc_person(ctx: AppContext) -> int:
    from ppo_desktop.domain import Basis, Status

    nominal = ctx.services.cases.add_nominal(NominalDraft("Zzyzx-Scoretest", "Fictional")).record
    ctx.services.memberships.select(nominal.id, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS)
    return nominal.id


def row_of(widget: ScoringWidget, key: str) -> int:
    assert widget.model is not None
    return next(i for i, item in enumerate(widget.model.items) if item.key == key and not item.heading)


def type_count(qtbot: QtBot, widget: ScoringWidget, key: str, column: int, text: str) -> None:
    assert widget.model is not None
    widget.table.setCurrentIndex(widget.model.index(row_of(widget, key), column))
    qtbot.keyClicks(widget.table, text)  # a digit opens the cell's editor with that digit typed
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not widget.table
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits the editor on a queued call
    qtbot.waitUntil(lambda: widget.table.state() != QAbstractItemView.State.EditingState)


def test_score_finalise_reopen(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    show_active(qtbot, window)
    nid = new_cc_person(ctx)
    window.open_case(nid)
    view = window.case_view
    qtbot.keyClick(
        view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    widget = view.scoring.widget
    assert widget.sheet is not None and not widget.sheet.final
    assert view.tabs.currentWidget() is view.scoring
    assert widget.total.text() == "Total 0"

    widget.table.setFocus()
    type_count(qtbot, widget, "robbery", 2, "2")  # convicted
    assert widget.total.text() == "Total 13"  # 2 × 5 robbery + serial band 2–6 → 3
    assert widget.model is not None
    assert widget.model.index(row_of(widget, "robbery"), widget.model.col_score).data() == "10"

    widget.table.setCurrentIndex(widget.model.index(row_of(widget, "shoplifting"), 4))  # suspected
    qtbot.keyClick(widget.table, Qt.Key.Key_Plus)
    qtbot.keyClick(widget.table, Qt.Key.Key_Plus)
    qtbot.keyClick(widget.table, Qt.Key.Key_Minus)
    assert widget.model.index(row_of(widget, "shoplifting"), 4).data() == "1"
    assert widget.total.text() == "Total 15"

    assert widget.timer.isActive() and widget.status.text() != "Draft saved."  # saved once typing pauses
    widget.timer.timeout.emit()  # the pause
    assert widget.status.text() == "Draft saved."
    stored = ctx.ws.db.execute("SELECT total, state FROM score_sheets WHERE nominal_id = ?", [nid]).fetchall()
    assert stored == [(15.0, "draft")]

    with qtbot.waitSignal(widget.finalised):
        qtbot.keyClick(widget.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert widget.sheet.final and not widget.finalise_button.isEnabled()
    assert widget.status.text().startswith("Final: scored")  # not "Draft saved" any more
    assert not (
        widget.model.flags(widget.model.index(row_of(widget, "robbery"), 2)) & Qt.ItemFlag.ItemIsEditable
    )

    view.scoring.score_now()  # re-score: a new sheet, previous shown beside each line
    assert widget.sheet is not None and not widget.sheet.final
    robbery = row_of(widget, "robbery")
    assert widget.model.index(robbery, widget.model.col_previous).data() == "10"
    type_count(qtbot, widget, "robbery", 2, "1")
    assert widget.model.index(robbery, widget.model.col_change).data() == "-5"
    # robbery 1 × 5; one offence is in no serial band (0)
    assert widget.total.text().startswith("Total 5") and "previous 15 (-10)" in widget.total.text()
    widget.flush()
    assert [s.total for s in view.scoring.sheets.history(nid)] == [5, 15]
    assert view.scoring.history.rowCount() == 2
    apply_projector_theme(widget, True)
    assert widget.property("projector") is True and "30pt" in widget.styleSheet()


def test_other_sections_update_total(qtbot: QtBot, ctx: AppContext) -> None:
    from ppo_desktop.services.score_sheets import ScoreSheets

    sheets = ScoreSheets(ctx.ws)
    sheet = sheets.start(new_cc_person(ctx)).record
    widget = ScoringWidget(sheets)
    qtbot.addWidget(widget)
    widget.load(sheet)
    days = widget._editors["intelligence"]
    days.setValue(20)
    assert widget.total.text() == "Total 5"
    days.setValue(30)
    assert widget.total.text() == "Total 3"
    impact = widget._editors["impact"]
    impact.setCurrentIndex(impact.findData("serious"))
    assert widget.total.text() == "Total 8"
    widget.flush()
    assert sheets.get(sheet.id).inputs["impact"] == "serious"


def test_asset_sheet_has_no_count_table(qtbot: QtBot, ctx: AppContext) -> None:
    from ppo_desktop.domain import Basis, Status
    from ppo_desktop.services.score_sheets import ScoreSheets

    nominal = ctx.services.cases.add_nominal(NominalDraft("Zzyzx-Young", "Fictional")).record
    ctx.services.memberships.select(nominal.id, Strand.PREVENT_DETER, Basis.PRIORITY, Status.AT_RISK)
    sheets = ScoreSheets(ctx.ws)
    sheet = sheets.start(nominal.id).record
    widget = ScoringWidget(sheets)
    qtbot.addWidget(widget)
    widget.load(sheet)
    assert not widget.table.isVisibleTo(widget)
    widget._editors["asset"].setValue(25)
    assert widget.total.text() == "Total 25"
    assert "Meets P&D nomination threshold: yes" in widget.flags.text()


def robbery_count(qtbot: QtBot, ctx: AppContext) -> tuple[Any, int]:
    """A new C&C sheet open in the case view, the cursor on the robbery row's first count cell."""
    window = MainWindow(ctx)
    show_active(qtbot, window)
    window.open_case(new_cc_person(ctx))
    view = window.case_view
    view.scoring.score_now()
    widget = view.scoring.widget
    assert widget.model is not None
    robbery = row_of(widget, "robbery")
    widget.table.setFocus()
    widget.table.setCurrentIndex(widget.model.index(robbery, 2))
    return widget, robbery


def editing(widget: Any) -> QWidget:
    """The count box being typed into (not the table)."""
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not widget.table
    return editor


def test_down_after_a_digit_keeps_the_count_and_moves_on(qtbot: QtBot, ctx: AppContext) -> None:
    """Typing 3 then Down: the 3 stays in its cell and the next row is current (a spin box took Down
    as "one less")."""
    widget, robbery = robbery_count(qtbot, ctx)
    qtbot.keyClicks(widget.table, "3")
    qtbot.keyClick(editing(widget), Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: widget.table.state() != QAbstractItemView.State.EditingState)
    assert widget.model.index(robbery, 2).data() == "3"
    assert widget.table.currentIndex().row() == robbery + 1


def test_category_names_are_whole_at_1366(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    show_active(qtbot, window)
    window.resize(1366, 768)
    window.open_case(new_cc_person(ctx))
    view = window.case_view
    view.scoring.score_now()
    widget = view.scoring.widget
    assert widget.model is not None
    QApplication.processEvents()
    table = widget.table
    assert table.textElideMode() == Qt.TextElideMode.ElideNone
    for row in range(widget.model.rowCount()):
        assert table.rowHeight(row) >= table.sizeHintForRow(row), widget.model.index(row, 0).data()


def test_the_projector_theme_side_panel_fits_at_1080(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    window.resize(1920, 1080)
    show_active(qtbot, window)
    window.open_case(new_cc_person(ctx))
    view = window.case_view
    view.tabs.setCurrentWidget(view.scoring)
    view.scoring.score_now()
    widget = view.scoring.widget
    apply_projector_theme(widget, True)
    QApplication.processEvents()
    assert widget.width() > 1400, widget.width()
    inner = widget.side_scroll.widget()
    assert inner is not None
    assert inner.minimumSizeHint().width() <= widget.side_scroll.viewport().width()  # nothing cut at the side


def test_right_after_a_digit_keeps_the_count_and_moves_on(qtbot: QtBot, ctx: AppContext) -> None:
    """"2, Right, 1" made 21 (Right moved inside the box): now the 2 is kept in its cell, and the 1 goes
    into the next column's."""
    widget, robbery = robbery_count(qtbot, ctx)
    qtbot.keyClicks(widget.table, "2")
    qtbot.keyClick(editing(widget), Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: widget.table.state() != QAbstractItemView.State.EditingState)
    assert widget.model.index(robbery, 2).data() == "2"
    assert widget.table.currentIndex().column() == 3
    qtbot.keyClicks(widget.table, "1")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: widget.table.state() != QAbstractItemView.State.EditingState)
    assert (widget.model.index(robbery, 2).data(), widget.model.index(robbery, 3).data()) == ("2", "1")


def test_large_type_for_the_room_is_a_key_away(qtbot: QtBot, ctx: AppContext) -> None:
    """The sheet's projector theme was reachable only from the screenshot tool."""
    window = MainWindow(ctx)
    show_active(qtbot, window)
    window.open_case(new_cc_person(ctx))
    view = window.case_view
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_S, keys)
    widget = view.scoring.widget
    assert widget.property("projector") is not True
    qtbot.keyClick(widget.table, Qt.Key.Key_G, keys)
    assert widget.property("projector") is True and view.scoring.large_type.isChecked()
    qtbot.keyClick(widget.table, Qt.Key.Key_G, keys)
    assert widget.property("projector") is False


def _cut_captions(widget: QWidget) -> list[str]:
    """Labels shown shorter or narrower than their text needs (a wrapped one: shorter than its lines)."""
    cut = []
    for label in widget.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            short = label.heightForWidth(label.width()) > label.height()
        else:
            short = label.sizeHint().width() > label.width() or label.sizeHint().height() > label.height()
        if short:
            cut.append(label.text())
    return cut


@pytest.mark.parametrize(
    ("text", "size"),
    [(1.0, (1366, 768)), (1.0, (1200, 1080)), (2.0, (1920, 1080))],  # laptop, beside a projector, 200 % text
)
def test_every_caption_of_a_pd_sheet_reads_whole_in_the_chair_console(
    qtbot: QtBot, ctx: AppContext, qapp: QApplication, text: float, size: tuple[int, int]
) -> None:
    """The lifestyle answers' captions were wrapped beside their drop-downs and the form gave each row
    the drop-down's height: at 200 % text (and without the theme at any size) 'Family / relationship
    problems' lost its first and last lines."""

    from ui.meeting.console import ChairConsole

    with app_theme(qapp, text=text):  # as the app runs: its theme, from the person's text size
        meeting = next(m for m in ctx.services.meetings.all() if m.state.value == "planned")
        person = next(r.nominal for r in ctx.services.cases.cohort(include_former=False)
                      if r.membership and r.membership.strand.value == "P&D")  # fmt: skip
        ctx.services.meetings.add_item(meeting.id, "Review", nominal_id=person.id, reasons=["review due"])
        console = ChairConsole(ctx, meeting.id)
        qtbot.addWidget(console)
        console.resize(*size)
        console.show()
        console.go_to(0)
        console.tabs.setCurrentWidget(console.scoring)
        console.scoring.score_now()
        assert "Family / relationship problems" in [b.text() for b in console.scoring.findChildren(QLabel)]
        qtbot.waitUntil(lambda: _cut_captions(console.scoring) == [], timeout=3000)  # once laid out
