"""The chair console: the agenda with progress and timer, the current person, live scoring, notes,
decisions (undoable until the meeting closes) and actions; it drives the projector window."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import AgendaItem, CaseFile, DecisionKind
from ppo_desktop.i18n import _, format_date
from ppo_desktop.services import Changes
from ppo_desktop.services.decisions import Decisions
from ppo_desktop.services.drafts import Drafts
from ui.context import AppContext
from ui.meeting.action_form import ActionForm
from ui.meeting.agenda_model import AgendaModel
from ui.meeting.decision_box import DecisionBox, DecisionForm
from ui.meeting.decision_dialog import DecisionDialog
from ui.meeting.notes_view import NotesPanel
from ui.meeting.presenter import MeetingPresenter, Progress
from ui.meeting.projector import TIMER_COLOURS, ProjectorWindow
from ui.meeting.projector_controls import ProjectorControls
from ui.meeting.room_panel import RoomPanel
from ui.scoring.panel import ScoringPanel
from ui.widgets import configure_table, sized_by_shown_page, title_label

AGENDA_MIN_WIDTH = 240


class ChairKeys(QObject):
    """The chair's keys work wherever the focus is in the console, a text box included: Ctrl+Shift+U
    undoes the item's last decision and Ctrl+Shift+R takes it again, Ctrl+L locks. Ctrl+Z is left to
    the text boxes (it undoes typing there: it once undid a decision from a note, silently)."""

    def __init__(self, console: ChairConsole) -> None:
        super().__init__(console)
        self.console = console

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.console:
            return False
        key = event.keyCombination()  # type: ignore[attr-defined]
        ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
        keys = {
            (ctrl, Qt.Key.Key_L): self.console.request_lock,
            (ctrl | shift, Qt.Key.Key_U): self.console.undo_last,
            (ctrl | shift, Qt.Key.Key_R): self.console.redo_last,
        }
        action = keys.get((key.keyboardModifiers(), key.key()))
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

    def __init__(
        self,
        ctx: AppContext,
        meeting_id: int,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,  # the item timer's seconds (tests move it)
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.presenter = MeetingPresenter(ctx.services, meeting_id, clock=clock)
        ctx.broadcast(self.presenter.start())
        self.projector = ProjectorWindow()
        self.projector.keyboard_owner = self
        self.setWindowTitle(
            _("Chair console — {panel}, {day}").format(
                panel=self.meeting.panel, day=format_date(self.meeting.held_on)
            )
        )

        self.confirm: Callable[[str, str], bool] = self._confirm
        self.offer_minutes: Callable[[], None] = self._offer_minutes
        self.minutes_dialog: QDialog | None = None
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._update_progress)

        # -- left: the agenda and progress
        self.agenda = AgendaModel(self._move, lambda: self.current.id if self.current else None, self)
        self.agenda_view = configure_table(self.agenda, _("Agenda"), self)
        self.agenda_view.activated.connect(lambda index: self.go_to(index.row()))
        self.progress = QLabel()
        self.progress.setWordWrap(True)
        self.progress.setObjectName("sheetFlags")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.room = RoomPanel(ctx, meeting_id, self.error, self)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(title_label(_("Agenda"), "sectionTitle"))
        left_layout.addWidget(self.agenda_view, 2)
        left_layout.addWidget(self.progress)
        left_layout.addWidget(self.room, 1)

        # -- centre: the person, scoring, notes
        self.heading = title_label("")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)
        summary_scroll = QScrollArea()
        summary_scroll.setAccessibleName(_("Summary for the chair"))
        summary_scroll.setWidget(self.summary)
        summary_scroll.setWidgetResizable(True)
        self.scoring = ScoringPanel(ctx, self)
        self.scoring.widget.scored.connect(lambda _b: self._project())
        self.notes_panel = NotesPanel(self.presenter, ctx.perform, self.error, self)
        self.notes_panel.draft_kept.connect(self.draft_kept)
        self.notes, self.offer = self.notes_panel.editor, self.notes_panel.offer
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("The item"))
        self.tabs.addTab(summary_scroll, _("S&ummary"))
        self.tabs.addTab(self.scoring, _("Sc&oring"))
        self.tabs.addTab(self.notes, _("No&tes"))
        # Alt+U / Alt+O / Alt+T: the tab shown and the keyboard in it (Alt+T left the cursor in a box
        # the chair could not see, and the notes went there).
        self.tabs.currentChanged.connect(self._into_tab)
        # Only the tab shown sets the console's width: a sheet open on the hidden Scoring tab (a P&D
        # draft needs 870 px even unseen) made the console 1,408 px wide on a 1,280 screen.
        sized_by_shown_page(self.tabs)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.addWidget(self.heading)
        centre_layout.addWidget(self.offer)
        centre_layout.addWidget(self.tabs, 1)

        # -- right: decisions and actions
        right = QWidget()
        right_layout = QVBoxLayout(right)
        self.decision_box = DecisionBox(ctx, self.presenter, self.error, self)
        right_layout.addWidget(self.decision_box)
        right_layout.addWidget(self._action_box())
        right_layout.addWidget(self.error)
        right_layout.addStretch(1)

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for w in (left, centre, right):
            splitter.addWidget(w)
        splitter.setSizes([300, 760, 300])
        # The agenda keeps its width — at least what its buttons need at the person's text size (at
        # 200 % a fixed 240 px let an open sheet squeeze them cut) —: the centre (scoring, notes) takes
        # what the window gains or loses.
        left.setMinimumWidth(max(AGENDA_MIN_WIDTH, left.minimumSizeHint().width()))
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
        bar = self.addToolBar(_("Meeting"))
        bar.setMovable(False)
        prev_button = QPushButton(_("◀ &Previous  (PgUp)"))
        prev_button.clicked.connect(self.previous_item)
        next_button = QPushButton(_("&Next ▶  (PgDn)"))
        next_button.clicked.connect(self.next_item)
        self.projector_controls = controls = ProjectorControls(
            self, self.projector, self._project, self.presenter.room_sees
        )
        self.projector_button, self.curtain_button = controls.show_button, controls.curtain_button
        self.close_button = QPushButton(_("C&lose meeting…"))
        self.close_button.clicked.connect(self.close_meeting)
        for w in (
            prev_button,
            next_button,
            QLabel(_("  Projector on:")),
            controls.screen_choice,
            self.projector_button,
            self.curtain_button,
            self.close_button,
        ):
            bar.addWidget(w)

    def _action_box(self) -> ActionForm:
        self.action_form = ActionForm(self.presenter.action_due(), self.add_action)
        form = self.action_form
        self.action_text, self.action_agency, self.action_owner = form.text, form.agency, form.owner
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.add_action)
        # Wherever the focus is (a count cell, a choice on the sheet), Ctrl+Shift+N starts an action.
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, lambda: self.action_text.setFocus())
        return form

    # -- what the presenter holds ------------------------------------------------------------------
    @property
    def meeting(self) -> Any:
        return self.presenter.meeting

    @property
    def items(self) -> list[AgendaItem]:
        return self.presenter.items

    @property
    def index(self) -> int:
        return self.presenter.index

    @property
    def case(self) -> CaseFile | None:
        return self.presenter.case

    @property
    def current(self) -> AgendaItem | None:
        return self.presenter.current

    @property
    def decisions(self) -> Decisions:
        return self.presenter.decisions

    @property
    def drafts(self) -> Drafts:
        return self.presenter.drafts

    # -- moving through the agenda ---------------------------------------------------------
    def reload(self) -> None:
        self.presenter.reload()
        self.agenda.set_rows(self.items)
        self._update_progress()

    def go_to(self, index: int) -> None:
        if not self.presenter.can_go_to(index):
            return
        self._leave_item()
        moved = self.presenter.current is None or self.presenter.index != index
        item = self.presenter.go_to(index)
        if moved:
            self.action_form.clear()
        self.agenda_view.selectRow(index)
        self.agenda.set_rows(self.items)
        self.notes_panel.show_item(item.notes)
        self.room.show_item(item)
        if item.nominal_id is not None:
            self.scoring.show_nominal(item.nominal_id)
        else:
            self.scoring.clear()
        self._show_case(item)
        self._project()
        self._update_progress()

    def next_item(self) -> None:
        self.go_to(self.index + 1)

    def previous_item(self) -> None:
        self.go_to(self.index - 1)

    def _leave_item(self) -> None:
        if self.current is None:
            return
        self.save_notes()
        self.scoring.widget.flush()
        self.presenter.record_time()

    def _move(self, item_id: int, position: int) -> None:
        self.ctx.perform(lambda: self.ctx.services.meetings.move_item(item_id, position), self.error)

    # -- what the chair sees -----------------------------------------------------------------
    def _show_case(self, item: AgendaItem) -> None:
        self.heading.setText(_(item.title))
        self.summary.setText("\n".join(self.presenter.summary()))
        self.decision_box.show_item()

    def _update_progress(self) -> None:
        progress: Progress = self.presenter.progress()
        self.progress.setText(progress.text)
        self.progress.setStyleSheet(TIMER_COLOURS.get(progress.state, ""))
        self.projector.set_timer(progress.timer if self.presenter.shows_timer() else "", progress.state)

    # -- the projector -----------------------------------------------------------------------
    def toggle_projector(self) -> None:
        self.projector_controls.toggle()

    def bring_projector_forward(self) -> None:
        self.projector_controls.bring_forward()

    def toggle_curtain(self) -> None:
        self.projector_controls.toggle_curtain()

    @property
    def projector_in_front(self) -> bool:
        return self.projector_controls.in_front

    def _project(self) -> None:
        """Draw the projector; the presenter records any disclosure this reveals first."""
        if self.current is None:
            return
        self.presenter.room_sees(self.projector.isVisible() and not self.projector.curtained)
        widget = self.scoring.widget
        total = widget.breakdown.total if widget.breakdown is not None else None
        self.projector.show_projection(self.presenter.projection(widget.sheet, total, widget.previous_total))

    # -- decisions, actions, notes ---------------------------------------------------------------
    def decide(self, kind: DecisionKind) -> None:
        self.decision_box.decide(kind)

    @property
    def decision_form(self) -> DecisionForm:
        return self.decision_box.form

    @decision_form.setter
    def decision_form(self, form: DecisionForm) -> None:
        self.decision_box.form = form

    @property
    def open_dialog(self) -> DecisionDialog | None:
        return self.decision_box.open_dialog

    def _try_decide(self, kind: DecisionKind, values: dict[str, Any]) -> str | None:
        return self.decision_box.try_decide(kind, values)

    def _score_now(self) -> None:
        self.tabs.setCurrentWidget(self.scoring)
        self.scoring.score_now()

    def request_lock(self) -> None:
        self.lock_requested.emit("lock now from the chair console (Ctrl+L)")

    def _into_tab(self, index: int) -> None:
        page = self.tabs.widget(index)
        target = self.scoring.widget.table if page is self.scoring else page
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def undo_last(self) -> None:
        self.decision_box.undo_last()

    def redo_last(self) -> None:
        self.decision_box.redo_last()

    def add_action(self) -> None:
        item = self.current
        if item is None or item.nominal_id is None:
            return
        try:
            pathway, description, agency, owner, due = self.action_form.values()
        except ValueError as exc:
            self.error.setText(str(exc))
            return

        def add() -> Changes:
            return self.presenter.add_action(pathway, description, agency, owner, due)

        if self.ctx.perform(add, self.error) is not None:
            self.action_text.clear()

    def save_notes(self) -> None:
        self.notes_panel.save()

    def close_meeting(self) -> None:
        """Closing asks about items not reached, then fixes the decisions, stops the item timer and
        offers the minutes at once."""
        self._leave_item()
        if self.confirm(_("Close the meeting"), self.presenter.close_question()):
            self.finish()

    def finish(self) -> None:
        self._leave_item()
        if self.ctx.perform(self.presenter.close, self.error) is not None:
            self.tick.stop()
            self.decision_box.undo_button.setEnabled(False)
            self.close_button.setEnabled(False)
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
        self.minutes_dialog = open_preview(
            self.ctx, self, _("Minutes"), lambda docs: docs.minutes(meeting_id)
        )

    def _on_changed(self, changes: Changes) -> None:
        if not self.presenter.follow(changes):
            return
        self.agenda.set_rows(self.items)
        self._update_progress()
        item = self.current
        if item is not None:
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
