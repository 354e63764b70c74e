"""The chair console: the agenda with progress and timer, the current person, live scoring, notes,
decisions (undoable until the meeting closes) and actions; it drives the projector window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import AgendaItem, CaseFile, DecisionKind, ItemState, MeetingState, Pathway
from ppo_desktop.projection import project
from ppo_desktop.services import Changes, ServiceError
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.drafts import Drafts
from ppo_desktop.summary import summary_lines
from ui.context import AppContext
from ui.date_field import DateField
from ui.meeting.agenda_model import AgendaModel
from ui.meeting.decision_dialog import DecisionDialog
from ui.meeting.projector import TIMER_COLOURS, ProjectorWindow
from ui.scoring.panel import ScoringPanel
from ui.widgets import add_rows, configure_table, title_label

DecisionForm = Callable[[DecisionKind], "dict[str, Any] | None"]
NOTES_SAVE_MS = 800
DRAFT_KEEP_MS = 250  # typed text reaches the encrypted store this soon, as a draft


AGENDA_MIN_WIDTH = 240


def due_after_meeting(held_on: dt.date) -> dt.date:
    """An action's default due date: a month after the meeting (the next meeting looks at it)."""
    from dateutil.relativedelta import relativedelta

    return held_on + relativedelta(months=1)


AMBER_SECONDS = 120  # the item's last two minutes show amber


def item_time(planned: int, spent: int) -> tuple[str, str]:
    """The item's time as the room reads it: counting down, then how far over; and its state
    ("", "amber" in the last two minutes, "red" once over) — the words say it too, never colour alone."""
    left = planned - spent
    if left < 0:
        over = -left
        return f"{over // 60}:{over % 60:02d} OVER", "red"
    state = "amber" if left <= min(AMBER_SECONDS, planned // 2) else ""
    return f"{left // 60}:{left % 60:02d} left" + (" — nearly out of time" if state else ""), state


def _draft_key(item: AgendaItem) -> str:
    return f"agenda_item:{item.id}:notes"


class ChairKeys(QObject):
    """The chair's keys work wherever the focus is in the console: Ctrl+Z undoes the item's last
    decision even in a text box (whose own undo would otherwise take it), Ctrl+L locks."""

    def __init__(self, console: ChairConsole) -> None:
        super().__init__(console)
        self.console = console

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.console:
            return False
        key = event.keyCombination()  # type: ignore[attr-defined]
        if key.keyboardModifiers() != Qt.KeyboardModifier.ControlModifier:
            return False
        keys = {Qt.Key.Key_Z: self.console.undo_last, Qt.Key.Key_L: self.console.request_lock}
        action = keys.get(key.key())
        if action is None:
            return False
        event.accept()
        if event.type() == QEvent.Type.KeyPress:
            action()
        return True


class ChairConsole(QMainWindow):
    closed = Signal()
    draft_kept = Signal()
    lock_requested = Signal(str)

    def __init__(self, ctx: AppContext, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.decisions = Decisions(ctx.ws)
        self.meeting = ctx.meetings.get(meeting_id)
        if self.meeting.state is MeetingState.PLANNED:
            ctx.broadcast(ctx.meetings.start(meeting_id))
            self.meeting = ctx.meetings.get(meeting_id)
        self.items: list[AgendaItem] = []
        self.index = -1
        self.case: CaseFile | None = None
        self.projector = ProjectorWindow()
        self.projector.keyboard_owner = self
        self.decision_form: DecisionForm = self._ask_decision
        self.setWindowTitle(f"Chair console — {self.meeting.panel}, {self.meeting.held_on:%d %b %Y}")

        self.item_clock = QElapsedTimer()
        self.timer_state = ""
        self.projector_in_front = False
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.offer_minutes: Callable[[], None] = self._offer_minutes
        self.minutes_dialog: QDialog | None = None
        self.open_dialog: DecisionDialog | None = None  # the decision dialog on screen (tests drive it)
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._update_progress)
        self.notes_timer = QTimer(self)
        self.notes_timer.setSingleShot(True)
        self.notes_timer.setInterval(NOTES_SAVE_MS)
        self.notes_timer.timeout.connect(self.save_notes)
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_KEEP_MS)
        self.draft_timer.timeout.connect(self.keep_draft)
        self.drafts = Drafts(ctx.ws)

        # -- left: the agenda and progress
        self.agenda = AgendaModel(self._move, lambda: self.current.id if self.current else None, self)
        self.agenda_view = configure_table(self.agenda, "Agenda", self)
        self.agenda_view.activated.connect(lambda index: self.go_to(index.row()))
        self.progress = QLabel()
        self.progress.setWordWrap(True)
        self.progress.setObjectName("sheetFlags")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(title_label("Agenda", "sectionTitle"))
        left_layout.addWidget(self.agenda_view, 1)
        left_layout.addWidget(self.progress)

        # -- centre: the person, scoring, notes
        self.heading = title_label("")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)
        summary_scroll = QScrollArea()
        summary_scroll.setWidget(self.summary)
        summary_scroll.setWidgetResizable(True)
        self.scoring = ScoringPanel(ctx, self)
        self.scoring.widget.scored.connect(lambda _b: self._project())
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Discussion notes for the minutes")
        self.notes.setPlaceholderText("Discussion summary for the minutes (saved as you type)")
        self.notes.textChanged.connect(self.notes_timer.start)
        self.notes.textChanged.connect(self.draft_timer.start)
        self.draft_offer = QLabel()
        self.draft_offer.setWordWrap(True)
        self.restore_draft = QPushButton("&Restore those notes")
        self.restore_draft.clicked.connect(self.take_draft)
        self.discard_draft = QPushButton("Discard them")
        self.discard_draft.clicked.connect(self.drop_draft)
        self.offer = QWidget()
        offer_layout = QHBoxLayout(self.offer)
        offer_layout.addWidget(self.draft_offer, 1)
        offer_layout.addWidget(self.restore_draft)
        offer_layout.addWidget(self.discard_draft)
        self.offer.setStyleSheet("background: #fff3bf; color: #3d2e00;")
        self.offer.hide()
        self.tabs = QTabWidget()
        self.tabs.addTab(summary_scroll, "S&ummary")
        self.tabs.addTab(self.scoring, "Sc&oring")
        self.tabs.addTab(self.notes, "No&tes")
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.addWidget(self.heading)
        centre_layout.addWidget(self.offer)
        centre_layout.addWidget(self.tabs, 1)

        # -- right: decisions and actions
        right = QWidget()
        right_layout = QVBoxLayout(right)
        decide_box = QGroupBox("Decision")
        decide_layout = QVBoxLayout(decide_box)
        self.decision_buttons: dict[DecisionKind, QPushButton] = {}
        for n, kind in enumerate(DecisionKind, start=1):
            button = QPushButton(f"&{n}  {kind.label}")
            button.setToolTip(f"Alt+{n}")
            button.clicked.connect(lambda _c=False, k=kind: self.decide(k))
            self.decision_buttons[kind] = button
            decide_layout.addWidget(button)
        self.undo_button = QPushButton("Undo last decision  (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_last)
        decide_layout.addWidget(self.undo_button)
        self.decided = QLabel()
        self.decided.setWordWrap(True)
        decide_layout.addWidget(self.decided)
        right_layout.addWidget(decide_box)
        right_layout.addWidget(self._action_box())
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        right_layout.addWidget(self.error)
        right_layout.addStretch(1)

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for w in (left, centre, right):
            splitter.addWidget(w)
        splitter.setSizes([300, 760, 300])
        # The agenda keeps its width: the centre (scoring, notes) takes what the window gains or loses.
        left.setMinimumWidth(AGENDA_MIN_WIDTH)
        splitter.setCollapsible(0, False)
        for index, stretch in enumerate((0, 1, 0)):
            splitter.setStretchFactor(index, stretch)
        self.setCentralWidget(splitter)
        self._toolbar()
        self.keys = ChairKeys(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.keys)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, self.next_item)
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, self.previous_item)
        QShortcut(QKeySequence("Alt+Right"), self, self.next_item)
        QShortcut(QKeySequence("Alt+Left"), self, self.previous_item)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.toggle_projector)
        QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.toggle_curtain)
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, self.bring_projector_forward)
        QShortcut(QKeySequence(Qt.Key.Key_F7), self, self.projector.page_more)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self._score_now)
        ctx.changed.connect(self._on_changed)
        self.reload()
        if self.items:
            self.go_to(0)
        self.tick.start()

    # -- building ------------------------------------------------------------------------
    def _toolbar(self) -> None:
        bar = self.addToolBar("Meeting")
        bar.setMovable(False)
        prev_button = QPushButton("◀ &Previous  (PgUp)")
        prev_button.clicked.connect(self.previous_item)
        next_button = QPushButton("&Next ▶  (PgDn)")
        next_button.clicked.connect(self.next_item)
        self.screen_choice = QComboBox()
        self.screen_choice.setAccessibleName("Projector screen")
        from PySide6.QtGui import QGuiApplication

        for i, screen in enumerate(QGuiApplication.screens()):
            self.screen_choice.addItem(
                f"Screen {i + 1}: {screen.name()} {screen.size().width()}×{screen.size().height()}", i
            )
        self.screen_choice.setCurrentIndex(self.screen_choice.count() - 1)
        self.projector_button = QPushButton("Show pro&jector  (F5)")
        self.projector_button.clicked.connect(self.toggle_projector)
        self.curtain_button = QPushButton("&Curtain  (F8)")
        self.curtain_button.clicked.connect(self.toggle_curtain)
        self.close_button = QPushButton("C&lose meeting…")
        self.close_button.clicked.connect(self.close_meeting)
        for w in (
            prev_button,
            next_button,
            QLabel("  Projector on:"),
            self.screen_choice,
            self.projector_button,
            self.curtain_button,
            self.close_button,
        ):
            bar.addWidget(w)

    def _action_box(self) -> QGroupBox:
        box = QGroupBox("New action")
        form = QFormLayout(box)
        self.pathway = QComboBox()
        for p in Pathway:
            self.pathway.addItem(p.label, p.value)
        self.action_text = QLineEdit()
        self.action_agency = QLineEdit()
        self.action_owner = QLineEdit()
        self.action_due = DateField("Due")
        self.action_due.set_date(due_after_meeting(self.meeting.held_on))
        add_rows(
            form,
            (
                ("Pat&hway:", self.pathway),
                ("Act&ion:", self.action_text),
                ("A&gency:", self.action_agency),
                ("O&wner:", self.action_owner),
                ("Du&e:", self.action_due),
            ),
        )
        add = QPushButton("&Add action  (Ctrl+Shift+A)")
        add.clicked.connect(self.add_action)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.add_action)
        # Wherever the focus is (a count cell, a choice on the sheet), Ctrl+Shift+N starts an action.
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, lambda: self.action_text.setFocus())
        form.addRow(add)
        return box

    # -- moving through the agenda ---------------------------------------------------------
    @property
    def current(self) -> AgendaItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def reload(self) -> None:
        current_id = self.current.id if self.current else None
        self.items = self.ctx.meetings.agenda(self.meeting.id)
        self.agenda.set_rows(self.items)
        if current_id is not None:
            self.index = next((i for i, it in enumerate(self.items) if it.id == current_id), self.index)
        self._update_progress()

    def go_to(self, index: int) -> None:
        if not 0 <= index < len(self.items) or index == self.index:
            return
        self._leave_item()
        self.index = index
        item = self.items[index]
        self.item_clock.restart()
        self.agenda_view.selectRow(index)
        self.agenda.set_rows(self.items)
        self.notes.blockSignals(True)
        self.notes.setPlainText(item.notes)
        self.notes.blockSignals(False)
        self._offer_draft(item)
        if item.nominal_id is not None:
            self.case = self.ctx.cases.open_case(
                item.nominal_id, purpose=f"Panel meeting {self.meeting.held_on}"
            )
            self.scoring.show_nominal(item.nominal_id)
        else:
            self.case = None
            self.scoring.clear()
        self._show_case(item)
        self._project(record=True)
        self._update_progress()

    def next_item(self) -> None:
        self.go_to(self.index + 1)

    def previous_item(self) -> None:
        self.go_to(self.index - 1)

    def _leave_item(self) -> None:
        item = self.current
        if item is None:
            return
        self.save_notes()
        self.scoring.widget.flush()
        if self.item_clock.isValid():
            self.ctx.meetings.record_time(item.id, self.item_clock.elapsed() // 1000)

    def _move(self, item_id: int, position: int) -> None:
        self.ctx.perform(lambda: self.ctx.meetings.move_item(item_id, position), self.error)

    # -- what the chair sees -----------------------------------------------------------------
    def _show_case(self, item: AgendaItem) -> None:
        self.heading.setText(item.title)
        lines = summary_lines(item, self.case, self.meeting.held_on)
        self.summary.setText("\n".join(lines))
        taken = self.decisions.for_item(item.id)
        self.decided.setText(
            "\n".join(
                f"Decided: {DecisionKind(d.kind).label}" + (f" ({d.reason_code})" if d.reason_code else "")
                for d in taken
            )
        )
        editable = self.meeting.state is MeetingState.IN_PROGRESS and item.nominal_id is not None
        for button in self.decision_buttons.values():
            button.setEnabled(editable)

    def _update_progress(self) -> None:
        done = sum(1 for i in self.items if i.state is ItemState.DISCUSSED)
        planned = sum(i.minutes for i in self.items)
        item = self.current
        spent = (self.item_clock.elapsed() // 1000) if self.item_clock.isValid() else 0
        text = f"Item {self.index + 1} of {len(self.items)} · {done} discussed · planned {planned} min"
        timer, state = ("", "") if item is None else item_time(item.minutes * 60, spent)
        if timer:
            text += f"\nThis item: {timer}"
        self.progress.setText(text)
        self.timer_state = state
        self.progress.setStyleSheet(TIMER_COLOURS.get(state, ""))
        shown = self.ctx.ws.projector_policy().allows("timer")
        self.projector.set_timer(timer if shown else "", state)

    # -- the projector -----------------------------------------------------------------------
    def toggle_projector(self) -> None:
        if self.projector.isVisible():
            self.projector.hide()
            self.projector_button.setText("Show pro&jector  (F5)")
            return
        from PySide6.QtGui import QGuiApplication

        screens = QGuiApplication.screens()
        chosen = screens[self.screen_choice.currentData() or 0] if screens else None
        second = len(screens) > 1 and chosen is not self.screen()
        self.projector.place_on(chosen, full_screen=second, beside=None if second else self)
        self.projector_button.setText("Hide pro&jector  (F5)")
        self.projector.set_curtain(False)
        self._project(record=True)

    def bring_projector_forward(self) -> None:
        """One screen too narrow for both: F6 brings the projector in front, or sends it back behind
        the console (the keyboard stays with the console either way)."""
        if not self.projector.isVisible():
            return
        self.projector_in_front = not self.projector_in_front
        if self.projector_in_front:
            self.projector.raise_()
        else:
            self.projector.lower()
            self.raise_()
        self.activateWindow()

    def toggle_curtain(self) -> None:
        self.projector.set_curtain(not self.projector.curtained)
        self.curtain_button.setText("Lift &curtain  (F8)" if self.projector.curtained else "&Curtain  (F8)")

    def _project(self, record: bool = False) -> None:
        item = self.current
        if item is None:
            return
        if record and self.projector.isVisible() and not self.projector.curtained:
            self.ctx.meetings.record_projection(item.id)  # audited before the room sees it
        widget = self.scoring.widget
        score = None
        if (
            widget.breakdown is not None
            and widget.sheet is not None
            and widget.sheet.nominal_id == item.nominal_id
        ):
            score = (widget.breakdown.total, widget.previous_total)
        taken = self.decisions.for_item(item.id)
        actions = tuple(a for a in self.case.actions if a.state.value == "open") if self.case else ()
        self.projector.show_projection(
            project(
                self.ctx.ws.projector_policy(),
                meeting_title=self.meeting.panel,
                item=item,
                position=self.index + 1,
                count=len(self.items),
                case=self.case,
                day=self.meeting.held_on,
                score=score,
                decision=taken[-1] if taken else None,
                actions=actions,
                reason_labels={r.code.value: r.label for r in self.ctx.ws.profile().removal_reasons},
            )
        )

    # -- decisions, actions, notes ---------------------------------------------------------------
    def decide(self, kind: DecisionKind) -> None:
        item = self.current
        if item is None or item.nominal_id is None:
            return
        values = self.decision_form(kind)
        if values is None:
            return
        self.ctx.perform(lambda: self.decisions.decide(item.id, kind, **values), self.error)

    def _score_now(self) -> None:
        self.tabs.setCurrentWidget(self.scoring)
        self.scoring.score_now()

    def request_lock(self) -> None:
        self.lock_requested.emit("lock now from the chair console (Ctrl+L)")

    def undo_last(self) -> None:
        item = self.current
        taken = self.decisions.for_item(item.id) if item else []
        if taken:
            self.ctx.perform(lambda: self.decisions.undo(taken[-1].id), self.error)

    def add_action(self) -> None:
        item = self.current
        if item is None or item.nominal_id is None:
            return
        nid = item.nominal_id
        try:
            due = self.action_due.date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return

        def add() -> Changes:
            return self.ctx.actions.add(
                nid,
                pathway=Pathway(self.pathway.currentData()),
                description=self.action_text.text(),
                agency=self.action_agency.text(),
                owner=self.action_owner.text(),
                due_on=due,
                meeting_id=self.meeting.id,
            )

        if self.ctx.perform(add, self.error) is not None:
            self.action_text.clear()

    def save_notes(self) -> None:
        self.notes_timer.stop()
        self.draft_timer.stop()
        item = self.current
        if item is None:
            return
        if self.notes.toPlainText() != item.notes:
            if (
                self.ctx.perform(
                    lambda: self.ctx.meetings.set_notes(item.id, self.notes.toPlainText()), self.error
                )
                is None
            ):
                return  # not saved: the text stays in the editor (and in its draft) for a retry
        if self.drafts.get(_draft_key(item)) is not None and not self.offer.isVisible():
            self.drafts.discard(_draft_key(item))

    def keep_draft(self) -> None:
        """What is being typed, into the encrypted store at once (a kill loses at most a moment)."""
        item = self.current
        if item is not None and self.notes.toPlainText() != item.notes:
            try:
                self.drafts.keep(_draft_key(item), self.notes.toPlainText(), item.nominal_id)
            except ServiceError as exc:
                self.error.setText(str(exc))
            else:
                self.draft_kept.emit()

    def _offer_draft(self, item: AgendaItem) -> None:
        draft = self.drafts.get(_draft_key(item))
        if draft is None or draft.text == item.notes:
            self.offer.hide()
            return
        self.draft_offer.setText(
            f"Notes for this item were being typed when PPO Panel last closed unexpectedly "
            f"({draft.saved_at[:16].replace('T', ' ')} UTC) and were kept, encrypted."
        )
        self.offer.show()

    def take_draft(self) -> None:
        item = self.current
        draft = self.drafts.get(_draft_key(item)) if item else None
        self.offer.hide()
        if item is not None and draft is not None:
            self.notes.setPlainText(draft.text)
            self.save_notes()

    def drop_draft(self) -> None:
        item = self.current
        self.offer.hide()
        if item is not None:
            self.drafts.discard(_draft_key(item))

    def close_meeting(self) -> None:
        """Closing asks about items not reached, then fixes the decisions, stops the item timer and
        offers the minutes at once."""
        self._leave_item()
        waiting = [
            i for i in self.items if i.state is not ItemState.DISCUSSED and not self.decisions.for_item(i.id)
        ]
        question = (
            "Close the meeting? Decisions can no longer be undone; later changes are recorded as amendments."
        )
        if waiting:
            names = ", ".join(f"{i.position}. {i.title}" for i in waiting[:6])
            more = " …" if len(waiting) > 6 else ""
            question = (
                f"{len(waiting)} item(s) were not reached: {names}{more}. They will be listed as not reached "
                "in the minutes (and come back on the next agenda if the rules still propose them).\n\n"
                + question
            )
        if self.confirm("Close the meeting", question):
            self.finish()

    def finish(self) -> None:
        self._leave_item()
        if self.ctx.perform(lambda: self.ctx.meetings.close(self.meeting.id), self.error) is not None:
            self.meeting = self.ctx.meetings.get(self.meeting.id)
            self.tick.stop()
            self.item_clock.invalidate()
            self.undo_button.setEnabled(False)
            self.close_button.setEnabled(False)
            self.projector.set_timer("", "")
            self._update_progress()
            if self.current:
                self._show_case(self.current)
            self.offer_minutes()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _offer_minutes(self) -> None:
        """The minutes at once, in a preview to print or save (each an audited disclosure)."""
        from ui.reports.preview_dialog import open_preview

        meeting_id = self.meeting.id
        self.minutes_dialog = open_preview(self.ctx, self, "Minutes", lambda docs: docs.minutes(meeting_id))

    def _ask_decision(self, kind: DecisionKind) -> dict[str, Any] | None:
        """The decision's details in a dialog that starts from what the app knows and records the
        decision itself (a refusal is shown inside it, with everything typed kept). Returns None:
        the decision is taken, or the chair cancelled."""
        item = self.current
        if kind is DecisionKind.DEFER:
            return {}
        if item is None:
            return None
        nominated = [n for n in (self.case.nominations if self.case else ()) if n.state.value == "open"]
        dialog = DecisionDialog(
            kind,
            self.ctx.ws.profile(),
            self.case.current if self.case else None,
            self.meeting.held_on,
            self,
            nomination=nominated[0] if nominated else None,
            submit=lambda values: self._try_decide(item, kind, values),
        )
        self.open_dialog = dialog
        dialog.exec()
        self.activateWindow()  # the keyboard comes back to the console, where the chair left it
        return None

    def _try_decide(self, item: AgendaItem, kind: DecisionKind, values: dict[str, Any]) -> str | None:
        try:
            changes = self.decisions.decide(item.id, kind, **values)
        except ServiceError as exc:
            return str(exc)
        self.error.clear()
        self.ctx.broadcast(changes)
        return None

    def _on_changed(self, changes: Changes) -> None:
        if not changes.tables & {"agenda_items", "decisions", "memberships", "actions", "meetings"}:
            return
        self.reload()
        item = self.current
        if item is not None:
            if item.nominal_id is not None and item.nominal_id in changes.nominal_ids:
                self.case = self.ctx.cases.case_file(item.nominal_id)
            self._show_case(item)
            self._project()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.keys)
        self._leave_item()
        self.tick.stop()
        self.projector.close()
        self.closed.emit()
        super().closeEvent(event)
