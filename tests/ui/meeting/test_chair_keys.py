"""The chair never reaches for the mouse, and the room's screen never covers the console: keys work
wherever the focus is, decisions start from what the app knows and a refusal keeps what was typed,
the item's time counts down where the room can see it (issue: the meeting room, second pass)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import DecisionKind, RemovalReason, Strand
from tests.ui.conftest import show_active
from tests.ui.meeting.test_meeting_e2e import pick_people, planned_meeting
from ui.context import AppContext
from ui.meeting.console import ChairConsole
from ui.meeting.decision_dialog import DecisionDialog
from ui.meeting.presenter import item_time


def _console(
    qtbot: QtBot, ctx: AppContext, *people: int, minutes: int = 10, clock: Callable[[], float] = lambda: 0.0
) -> ChairConsole:
    mid = planned_meeting(ctx)
    for nid in people:
        name = ctx.services.cases.nominal(nid).display_name
        ctx.services.meetings.add_item(mid, name, nominal_id=nid, reasons=["test"], minutes=minutes)
    console = ChairConsole(ctx, mid, clock=clock)
    show_active(qtbot, console)
    return console


def test_ctrl_z_undoes_typing_and_a_decision_has_its_own_undo_and_redo(qtbot: QtBot, ctx: AppContext) -> None:
    """Ctrl+Z in a note once undid the decision, silently, with no redo: now it undoes the typing;
    Ctrl+Shift+U undoes the decision and says so; Ctrl+Shift+R takes the same decision again."""
    _candidate, member, _other = pick_people(ctx)
    console = _console(qtbot, ctx, member)
    console.decision_form = lambda _kind: {"note": "Engaging with DIP"}
    console.decide(DecisionKind.RETAIN)
    item = console.current.id  # type: ignore[union-attr]
    assert len(console.decisions.for_item(item)) == 1
    console.notes.setFocus()
    qtbot.keyClicks(console.notes, "Retained")
    qtbot.keyClick(console.notes, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(console.decisions.for_item(item)) == 1  # the decision stands
    assert console.notes.toPlainText() != "Retained"  # the typing was undone
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(console.notes, Qt.Key.Key_U, shift_ctrl)
    assert console.decisions.for_item(item) == []
    assert console.error.text() == "Undone: Retain. Ctrl+Shift+R takes it again."
    assert console.decision_box.redo_button.isVisible()
    qtbot.keyClick(console.notes, Qt.Key.Key_R, shift_ctrl)
    [again] = console.decisions.for_item(item)
    assert again.kind == DecisionKind.RETAIN.value and again.note == "Engaging with DIP"  # the same details
    assert not console.decision_box.redo_button.isVisible() and "Taken again: Retain" in console.error.text()
    console.close()


def test_ctrl_l_locks_from_the_console(qtbot: QtBot, ctx: AppContext) -> None:
    _candidate, member, _other = pick_people(ctx)
    console = _console(qtbot, ctx, member)
    console.action_text.setFocus()
    with qtbot.waitSignal(console.lock_requested, timeout=2000):
        qtbot.keyClick(console.action_text, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    console.close()


def test_with_one_screen_the_projector_opens_beside_the_console_or_behind_it() -> None:
    from PySide6.QtCore import QRect

    from ui.meeting.projector import tile

    console, projector = tile(QRect(0, 0, 1920, 1080), 992)
    assert projector is not None and not console.intersects(projector)
    assert console.width() == 1200 and projector.width() == 720  # the console's comfort, not its minimum
    console, projector = tile(QRect(0, 0, 2560, 1440), 992)
    assert projector is not None and projector.width() == 1280  # at most half
    console, projector = tile(QRect(0, 0, 1366, 768), 860)
    assert projector is None  # a 683-px console is not one to chair from: behind, F6 swaps
    console, projector = tile(QRect(0, 0, 1280, 720), 949)
    assert projector is None and console == QRect(0, 0, 1280, 720)  # too narrow: behind, F6 swaps


def test_f6_brings_the_projector_forward_and_back(qtbot: QtBot, ctx: AppContext) -> None:
    _candidate, member, _other = pick_people(ctx)
    console = _console(qtbot, ctx, member)
    qtbot.keyClick(console, Qt.Key.Key_F5)
    qtbot.waitUntil(console.projector.isVisible)
    qtbot.keyClick(console, Qt.Key.Key_F6)
    assert console.projector_in_front and console.isActiveWindow()  # the keyboard stays with the chair
    assert not console.projector.curtained
    qtbot.keyClick(console, Qt.Key.Key_F6)
    # Sent back: curtained where it stands — the room never sees the window that lies behind it.
    assert not console.projector_in_front and console.projector.curtained and console.projector.isVisible()
    assert console.projector.visible_texts() == []
    qtbot.keyClick(console, Qt.Key.Key_F6)
    assert console.projector_in_front and not console.projector.curtained
    console.close()


def test_a_refused_decision_keeps_what_was_typed(qtbot: QtBot, ctx: AppContext) -> None:
    _candidate, member, _other = pick_people(ctx)
    console = _console(qtbot, ctx, member)
    item = console.current
    assert item is not None
    membership = console.case.current if console.case else None
    kind = DecisionKind.DESELECT
    dialog = DecisionDialog(kind, ctx.ws.profile(), membership, console.meeting.held_on, console,
                            submit=lambda values: console._try_decide(kind, values))  # fmt: skip
    show_active(qtbot, dialog)
    dialog.reason.setCurrentIndex(dialog.reason.findData(RemovalReason.MOVED_AWAY.value))
    qtbot.keyClicks(dialog.note, "Moved to Northtown; receiving scheme told")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[union-attr]
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "on whose authority" in dialog.error.text() and dialog.isVisible()
    assert dialog.note.text() == "Moved to Northtown; receiving scheme told"
    qtbot.keyClicks(dialog.authority, "DI Chair with the agencies present")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and [d.kind for d in console.decisions.for_item(item.id)] == ["deselect"]
    console.close()


def test_selecting_starts_from_the_nomination(qtbot: QtBot, ctx: AppContext) -> None:
    nomination = next(
        n for n in ctx.services.nominations.open_nominations() if n.strand is not Strand.CATCH_CONVICT
    )
    dialog = DecisionDialog(
        DecisionKind.SELECT, ctx.ws.profile(), None, ctx.ws.today(), nomination=nomination
    )
    qtbot.addWidget(dialog)
    assert dialog.values()["strand"] is nomination.strand and dialog.values()["basis"] is nomination.basis


def test_the_items_time_counts_down_then_over() -> None:
    assert item_time(600, 0) == ("10:00 left", "")
    assert item_time(600, 480) == ("2:00 left — nearly out of time", "amber")
    assert item_time(600, 479) == ("2:01 left", "")
    assert item_time(600, 600) == ("0:00 left — nearly out of time", "amber")
    assert item_time(600, 661) == ("1:01 OVER", "red")


def test_the_room_sees_the_items_time(qtbot: QtBot, ctx: AppContext) -> None:
    _candidate, member, _other = pick_people(ctx)
    seconds = [100.0]
    console = _console(qtbot, ctx, member, minutes=0, clock=lambda: seconds[0])
    qtbot.keyClick(console, Qt.Key.Key_F5)
    assert console.tick.isActive() and console.tick.interval() == 1000
    seconds[0] += 1  # a second passes, and the timer ticks
    console.tick.timeout.emit()
    assert console.projector.timer.property("state") == "red" and "OVER" in console.progress.text()
    console.close()


def test_enter_adds_an_attendee(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.meeting.attendance import AttendancePanel

    panel = AttendancePanel(ctx)
    show_active(qtbot, panel)
    panel.show_meeting(ctx.services.meetings.get(planned_meeting(ctx)))
    before = panel.model.rowCount()
    qtbot.keyClicks(panel.name, "PO Example")
    qtbot.keyClicks(panel.agency, "Probation")
    qtbot.keyClick(panel.agency, Qt.Key.Key_Return)
    assert panel.model.rowCount() == before + 1 and panel.name.text() == "" and panel.name.hasFocus()


def test_a_dissent_is_typed_with_the_decision(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = DecisionDialog(DecisionKind.RETAIN, ctx.ws.profile(), None, ctx.ws.today())
    show_active(qtbot, dialog)
    qtbot.keyClicks(dialog.dissent, "Probation: would de-select now; YOS: agrees with Probation")
    assert dialog.values()["dissent"] == (
        ("Probation", "would de-select now"),
        ("YOS", "agrees with Probation"),
    )


def test_closing_asks_about_items_not_reached(qtbot: QtBot, ctx: AppContext) -> None:
    _candidate, member, other = pick_people(ctx)
    console = _console(qtbot, ctx, member, other)
    console.decision_form = lambda _kind: {}
    console.decide(DecisionKind.RETAIN)
    questions: list[str] = []
    console.confirm = lambda _title, text: questions.append(text) is None and False  # the chair says no
    console.close_meeting()
    assert "1 item was not reached: 2." in questions[0]
    assert console.meeting.state.value == "in-progress" and console.tick.isActive()
    console.close()


def test_an_agenda_longer_than_a_meeting_is_flagged(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.meeting.agenda_builder import AgendaBuilder

    mid = planned_meeting(ctx)
    for r in ctx.services.cases.cohort(include_former=False)[:30]:
        ctx.services.meetings.add_item(mid, r.nominal.display_name, nominal_id=r.nominal.id, minutes=10)
    builder = AgendaBuilder(ctx)
    qtbot.addWidget(builder)
    builder.show_meeting(ctx.services.meetings.get(mid))
    assert "longer than a meeting" in builder.total.text()


def test_the_agenda_keeps_its_width_when_the_sheet_opens(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.meeting.console import AGENDA_MIN_WIDTH

    _candidate, member, _other = pick_people(ctx)
    console = _console(qtbot, ctx, member)
    console.resize(1366, 768)
    before = console.splitter.sizes()[0]
    console.tabs.setCurrentWidget(console.scoring)
    console.scoring.score_now()
    console.resize(1366, 768)
    assert console.splitter.sizes()[0] >= min(before, AGENDA_MIN_WIDTH)
    assert console.splitter.widget(0).width() >= AGENDA_MIN_WIDTH
    console.close()


def test_the_curtain_never_lets_a_person_reach_the_room_unrecorded(qtbot: QtBot, ctx: AppContext) -> None:
    """Issue 23: curtain down (F8), next item, curtain up: the room sees the second person, so the
    disclosure is recorded — before the curtain lifts, once; hiding and showing the projector too."""
    candidate, member, _other = pick_people(ctx)
    console = _console(qtbot, ctx, candidate, member)

    def shown_to_room(nid: int) -> int:
        return sum(1 for e in ctx.ws.audit.search(kind="disclosure", nominal_id=nid)
                   if e.summary.startswith("Projected to the room"))  # fmt: skip

    qtbot.keyClick(console, Qt.Key.Key_F5)
    qtbot.waitUntil(console.projector.isVisible)
    assert (shown_to_room(candidate), shown_to_room(member)) == (1, 0)
    qtbot.keyClick(console, Qt.Key.Key_F8)  # curtain down
    qtbot.keyClick(console, Qt.Key.Key_PageDown)  # the chair moves on behind the curtain
    assert shown_to_room(member) == 0 and console.projector.visible_texts() == []
    qtbot.keyClick(console, Qt.Key.Key_F8)  # curtain up: the room sees the second person
    assert shown_to_room(member) == 1 and console.projector.visible_texts()
    qtbot.keyClick(console, Qt.Key.Key_F8)
    qtbot.keyClick(console, Qt.Key.Key_F8)  # shown again after a curtain: a new disclosure
    assert shown_to_room(member) == 2
    qtbot.keyClick(console, Qt.Key.Key_F5)  # projector hidden, then shown again
    qtbot.keyClick(console, Qt.Key.Key_F5)
    qtbot.waitUntil(console.projector.isVisible)
    assert shown_to_room(member) == 3
    console.close()


def test_the_decision_says_who_places_a_person_on_the_chosen_list(qtbot: QtBot, ctx: AppContext) -> None:
    from ppo_desktop.domain import Strand
    from ppo_desktop.rules import profiles

    staffs = DecisionDialog(DecisionKind.SELECT, profiles.get("staffordshire-2005"), None, ctx.ws.today())
    show_active(qtbot, staffs)
    assert staffs.authority.text() == ""  # to be filled: "Panel agreement" is refused for it
    staffs.strand.setCurrentIndex(staffs.strand.findData(Strand.PREVENT_DETER.value))
    assert staffs.placed_hint.isVisible() and "Head of the YOS" in staffs.placed_hint.text()
    staffs.strand.setCurrentIndex(staffs.strand.findData(Strand.CATCH_CONVICT.value))
    assert "BCU Commander" in staffs.placed_hint.text()
    thurrock = DecisionDialog(DecisionKind.SELECT, profiles.get("thurrock-2009"), None, ctx.ws.today())
    show_active(qtbot, thurrock)
    assert not thurrock.placed_hint.isVisible() and thurrock.authority.text() == "Panel agreement"


def test_the_next_persons_action_starts_empty_and_decisions_read_in_words(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """The next person's action kept the previous agency and owner (and the minutes printed them);
    the console showed raw codes ("(moved-away)")."""
    _candidate, member, other = pick_people(ctx)
    console = _console(qtbot, ctx, member, other)
    console.action_text.setText("Hostel place")
    console.action_agency.setText("Housing")
    console.action_owner.setText("HO Example")
    qtbot.keyClick(console, Qt.Key.Key_PageDown)
    typed = (console.action_text.text(), console.action_agency.text(), console.action_owner.text())
    assert typed == ("", "", "")
    console.decision_form = lambda _kind: {"reason_code": "moved-away", "authority": "DI Example"}
    console.decide(DecisionKind.DESELECT)
    assert "Decided: De-select (Moved out of Thurrock Borough)" in console.decision_box.decided.text()
    console.close()


def test_alt_t_puts_the_keyboard_in_the_notes(qtbot: QtBot, ctx: AppContext) -> None:
    """Alt+T showed the Notes tab but left the cursor in the Owner box: the notes went there."""
    _candidate, member, _other = pick_people(ctx)
    console = _console(qtbot, ctx, member)
    console.action_owner.setFocus()
    qtbot.waitUntil(console.action_owner.hasFocus)
    qtbot.keyClick(console, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert console.tabs.currentWidget() is console.notes
    qtbot.waitUntil(console.notes.hasFocus)
    qtbot.keyClicks(QApplication.focusWidget(), "Engaging")
    assert console.notes.toPlainText().endswith("Engaging") and console.action_owner.text() == ""
    console.close()
