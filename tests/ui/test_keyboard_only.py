"""One agenda item from start to finish with the keyboard alone — score, select, an action, next —
counting the keys the chair presses (issue: the meeting room, second pass)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import Strand
from tests.ui.conftest import show_active
from tests.ui.meeting.test_meeting_e2e import planned_meeting
from ui.context import AppContext
from ui.meeting.console import ChairConsole

ALT, CTRL, SHIFT = (
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
)


class Keys:
    """Presses keys on whatever has the focus, as a person would, and counts them."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.count = qtbot, 0

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        target = QApplication.focusWidget() or QApplication.activeWindow()
        assert target is not None
        self.qtbot.keyClick(target, key, modifiers)
        self.count += 1

    def type(self, text: str) -> None:
        target = QApplication.focusWidget()
        assert target is not None
        self.qtbot.keyClicks(target, text)
        self.count += len(text)


def test_one_item_by_keyboard_alone(qtbot: QtBot, ctx: AppContext) -> None:
    nomination = next(
        n for n in ctx.services.nominations.open_nominations() if n.strand is Strand.CATCH_CONVICT
    )
    mid = planned_meeting(ctx)
    ctx.services.meetings.add_item(mid, "Candidate", nominal_id=nomination.nominal_id, reasons=["nominated"])
    ctx.services.meetings.add_item(mid, "Next person", nominal_id=nomination.nominal_id, reasons=["next"])
    console = ChairConsole(ctx, mid)
    show_active(qtbot, console)
    keys = Keys(qtbot)

    keys.press(Qt.Key.Key_S, CTRL | SHIFT)  # score now
    widget = console.scoring.widget
    assert widget.sheet is not None and widget.model is not None
    assert widget.table.hasFocus()  # the sheet opens with the cursor in its first count cell
    keys.type("3")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.breakdown is not None and widget.breakdown.total > 0)
    keys.press(Qt.Key.Key_Return, CTRL)  # finalise
    qtbot.waitUntil(lambda: widget.sheet is not None and widget.sheet.final)

    # Alt+1: select; the dialog opens on the nomination's strand and basis, and Enter records it.
    enter = QTimer(console)
    enter.setInterval(20)

    def enter_in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            enter.stop()
            qtbot.keyClick(dialog, Qt.Key.Key_Return)

    enter.timeout.connect(enter_in_dialog)
    enter.start()
    keys.press(Qt.Key.Key_1, ALT)
    keys.count += 1  # the Enter in the dialog
    qtbot.waitUntil(lambda: bool(console.decisions.for_item(console.current.id)), timeout=3000)  # type: ignore[union-attr]
    taken = console.decisions.for_item(console.current.id)  # type: ignore[union-attr]
    assert [d.kind for d in taken] == ["select"] and taken[0].strand is nomination.strand

    qtbot.waitUntil(console.isActiveWindow)  # the dialog has closed: the keyboard is back with the console
    keys.press(Qt.Key.Key_I, ALT)  # Act&ion
    assert console.action_text.hasFocus()
    keys.type("Drug test")
    keys.press(Qt.Key.Key_G, ALT)  # A&gency
    keys.type("DIP")
    keys.press(Qt.Key.Key_W, ALT)  # O&wner
    keys.type("DIP worker")
    keys.press(Qt.Key.Key_A, CTRL | SHIFT)  # add the action
    assert any(
        a.description == "Drug test" for a in ctx.services.cases.case_file(nomination.nominal_id).actions
    )

    keys.press(Qt.Key.Key_PageDown)
    assert console.index == 1
    assert keys.count <= 40, keys.count  # 33 today: every step reached from the keyboard
    console.close()


def test_a_pd_item_is_scored_by_keyboard_alone(qtbot: QtBot, ctx: AppContext) -> None:
    """P&D is scored on ASSET, a sheet with no count table: the cursor stayed in the agenda list and the
    digits typed for the ASSET score went there (issue 29). Now Ctrl+Shift+S puts the cursor on the
    sheet's first answer, typing fills it, Tab moves on, Ctrl+Enter finalises."""
    person = next(n for n in ctx.services.nominations.open_nominations() if n.strand is Strand.PREVENT_DETER)
    mid = planned_meeting(ctx)
    ctx.services.meetings.add_item(mid, "P&D candidate", nominal_id=person.nominal_id, reasons=["nominated"])
    console = ChairConsole(ctx, mid)
    show_active(qtbot, console)
    keys = Keys(qtbot)

    keys.press(Qt.Key.Key_S, CTRL | SHIFT)
    widget = console.scoring.widget
    assert widget.sheet is not None and widget.model is not None and not widget.model.items  # no count table
    first = next(iter(widget._editors.values()))
    assert QApplication.focusWidget() is first  # the first answer, not the agenda list
    keys.press(Qt.Key.Key_A, CTRL)  # (select what the box holds, as a person would)
    keys.type("26")
    keys.press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not console.agenda_view  # Tab stays in the sheet
    qtbot.waitUntil(lambda: widget.breakdown is not None and widget.breakdown.total == 26)
    keys.press(Qt.Key.Key_Return, CTRL)  # finalise
    qtbot.waitUntil(lambda: widget.sheet is not None and widget.sheet.final)
    assert console.agenda.rowCount() == 1 and keys.count <= 8, keys.count
    console.close()
