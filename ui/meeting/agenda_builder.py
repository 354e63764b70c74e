"""Agenda builder: the rules' proposals (each says why) beside the agenda, which the coordinator
adds to, trims, reorders (drag, or Ctrl+Up / Ctrl+Down) and times."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import AgendaItem, Meeting, MeetingState
from ppo_desktop.i18n import N_, _, format_long_date, ngettext
from ppo_desktop.rules.agenda import Proposal
from ui.context import AppContext
from ui.flow_layout import flowing
from ui.meeting.agenda_model import AgendaModel
from ui.refresh import RefreshWhenShown
from ui.table_model import Column, RecordTableModel
from ui.widgets import configure_table, title_label, wrap_last_column, wrapping


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!", ")")) else text + "."


PROPOSAL_COLUMNS: list[Column[Proposal]] = [
    Column(N_("Person"), lambda p: _(p.title)),
    Column(
        N_("Why"), lambda p: " ".join([*(_sentence(r) for r in p.reasons), *(f"“{t}”" for t in p.free_text)])
    ),
]


LONG_MEETING_MINUTES = 4 * 60  # local choice: a longer agenda will not be reached in one sitting


class AgendaBuilder(RefreshWhenShown, QWidget):
    open_console = Signal(int)  # meeting id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting: Meeting | None = None
        self.heading = wrapping(title_label("", "sectionTitle"))
        # The rules' order (new nominations first) is the point, so no sorting here.
        self.proposals: RecordTableModel[Proposal] = RecordTableModel(PROPOSAL_COLUMNS, self)
        self.proposals_view = configure_table(self.proposals, _("Proposed agenda items"), self)
        self.proposals_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        wrap_last_column(self.proposals_view)
        self.add_button = QPushButton(_("&Add to agenda  (Ins)"))
        self.add_button.clicked.connect(self.add_selected)
        self.add_all_button = QPushButton(_("Add a&ll"))
        self.add_all_button.clicked.connect(self.add_all)

        self.agenda = AgendaModel(self._move, parent=self)
        self.agenda_view = configure_table(self.agenda, _("Agenda"), self)
        wrap_last_column(self.agenda_view, stretch=2)
        self.agenda_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda_view.setDragEnabled(True)
        self.agenda_view.setAcceptDrops(True)
        self.agenda_view.setDropIndicatorShown(True)
        self.agenda_view.selectionModel().currentRowChanged.connect(lambda *_args: self._show_minutes())
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 120)
        self.minutes.setSuffix(_(" min"))
        self.minutes.setAccessibleName(_("Minutes for the selected item"))
        self.minutes.editingFinished.connect(self._set_minutes)
        up, down, remove = (
            QPushButton(_("Move &up")),
            QPushButton(_("Move &down")),
            QPushButton(_("&Remove  (Del)")),
        )
        up.clicked.connect(lambda: self.move_current(-1))
        down.clicked.connect(lambda: self.move_current(1))
        remove.clicked.connect(self.remove_current)
        self.console_button = QPushButton(_("Open the chair &console"))
        self.console_button.clicked.connect(self.start_console)
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.total = QLabel()
        self.error = QLabel()
        self.error.setObjectName("error")
        QShortcut(QKeySequence("Ctrl+Up"), self.agenda_view, lambda: self.move_current(-1))
        QShortcut(QKeySequence("Ctrl+Down"), self.agenda_view, lambda: self.move_current(1))
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.agenda_view, self.remove_current)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self.proposals_view, self.add_selected)

        left = QVBoxLayout()
        left.addWidget(wrapping(QLabel(_("Proposed by the rules (select, then Add):"))))
        left.addWidget(self.proposals_view, 1)
        left.addWidget(flowing(self.add_button, self.add_all_button, align_left=True))
        right = QVBoxLayout()
        right.addWidget(wrapping(QLabel(_("Agenda (drag or Ctrl+Up/Down to reorder):"))))
        right.addWidget(self.agenda_view, 1)
        right.addWidget(flowing(up, down, remove, self.minutes, align_left=True))  # wraps: long words
        right.addWidget(wrapping(self.total))
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.console_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addLayout(body, 1)
        self.watch(ctx, {"agenda_items", "meetings", "nominations", "memberships", "actions", "decisions"})

    def show_meeting(self, meeting: Meeting | None) -> None:
        self.meeting = meeting
        self.reload()

    def reload(self) -> None:
        if self.meeting is not None:
            self.meeting = self.ctx.services.meetings.find(self.meeting.id)  # None: deleted meanwhile
        if self.meeting is None:
            self.heading.setText(_("Select a meeting to build its agenda."))
            self.proposals.clear()
            self.agenda.clear()
            return
        m = self.meeting
        self.heading.setText(
            _("Agenda — {panel}, {day} ({state})").format(
                panel=m.panel, day=format_long_date(m.held_on), state=_(m.state.value)
            )
        )
        editable = m.state is not MeetingState.CLOSED
        self.proposals.set_rows(self.ctx.services.meetings.proposals(m.id) if editable else [])
        items = self.ctx.services.meetings.agenda(m.id)
        self.agenda.set_rows(items)
        minutes = sum(i.minutes for i in items)
        text = ngettext(
            "{n} item · {hours} h {minutes:02d} min", "{n} items · {hours} h {minutes:02d} min", len(items)
        )
        text = text.format(n=len(items), hours=minutes // 60, minutes=minutes % 60)
        if minutes > LONG_MEETING_MINUTES:
            text += _(" — longer than a meeting ({hours} h): move some to the next one").format(
                hours=LONG_MEETING_MINUTES // 60
            )
        self.total.setText(text)
        self._show_minutes()

    def add_selected(self) -> None:
        rows = sorted({i.row() for i in self.proposals_view.selectionModel().selectedRows()})
        picked = [self.proposals.row_object(r) for r in rows]
        self._add(picked)
        if rows and self.proposals.rowCount():  # the next proposal is ready for the next Ins
            self.proposals_view.selectRow(min(rows[0], self.proposals.rowCount() - 1))

    def add_all(self) -> None:
        self._add([self.proposals.row_object(r) for r in range(self.proposals.rowCount())])

    def _add(self, proposals: list[Proposal]) -> None:
        meeting = self.meeting
        if meeting is None or not proposals:
            return
        self.ctx.perform(lambda: self.ctx.services.meetings.add_proposals(meeting.id, proposals), self.error)

    def current_item(self) -> AgendaItem | None:
        index = self.agenda_view.currentIndex()
        return self.agenda.row_object(index.row()) if index.isValid() else None

    def move_current(self, step: int) -> None:
        item = self.current_item()
        if item is not None:
            self._move(item.id, item.position + step)
            self.agenda_view.setCurrentIndex(self.agenda.index(max(0, item.position - 1 + step), 0))

    def remove_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        who = _("this person") if item.nominal_id is not None else _("this item")
        if not self.confirm(
            _("Remove from the agenda"),
            _("Remove {item} ({who}) from the agenda?").format(item=item.title, who=who),
        ):
            return
        row = item.position - 1
        if (
            self.ctx.perform(lambda: self.ctx.services.meetings.remove_item(item.id), self.error) is not None
            and self.agenda.rowCount()
        ):
            self.agenda_view.selectRow(min(row, self.agenda.rowCount() - 1))  # the next item, for Del again

    def start_console(self) -> None:
        """Open the chair console; a meeting dated in the future asks first (starting it is recorded)."""
        m = self.meeting
        if m is None:
            return
        if (
            m.state is MeetingState.PLANNED
            and m.held_on > self.ctx.session.today()
            and not self.confirm(
                _("Start the meeting early?"),
                _(
                    "This meeting is planned for {day}. Start it now? Starting is recorded, and decisions "
                    "are dated with the meeting's date."
                ).format(day=format_long_date(m.held_on)),
            )
        ):
            return
        self.open_console.emit(m.id)

    def _confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def _move(self, item_id: int, position: int) -> None:
        self.ctx.perform(lambda: self.ctx.services.meetings.move_item(item_id, position), self.error)

    def _set_minutes(self) -> None:
        item = self.current_item()
        if item is not None and item.minutes != self.minutes.value():
            row = item.position - 1
            meetings = self.ctx.services.meetings
            self.ctx.perform(lambda: meetings.set_minutes(item.id, self.minutes.value()), self.error)
            self.agenda_view.setCurrentIndex(self.agenda.index(row, 0))

    def _show_minutes(self) -> None:
        item = self.current_item()
        self.minutes.setEnabled(item is not None)
        if item is not None:
            self.minutes.blockSignals(True)
            self.minutes.setValue(item.minutes)
            self.minutes.blockSignals(False)
