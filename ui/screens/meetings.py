"""Meetings: the list, planning a new one, building its agenda, and opening the chair console."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import Meeting, MeetingState
from ppo_desktop.i18n import _
from ppo_desktop.services import Changes
from ui.context import AppContext
from ui.date_field import DateField
from ui.dialog import Dialog
from ui.flow_layout import flowing
from ui.imports.transfer_dialogs import TransferActions
from ui.meeting.agenda_builder import AgendaBuilder
from ui.meeting.attendance import AttendancePanel
from ui.table_model import Column, ObjectRole, fmt_date
from ui.widgets import add_rows, read_only_table, title_label


def meeting_columns() -> list[Column[Meeting]]:
    """The meetings list's columns, in the reader's language (made when the screen is)."""
    return [
        Column(_("Date"), lambda m: fmt_date(m.held_on), lambda m: m.held_on.isoformat()),
        Column(_("Panel"), lambda m: m.panel),
        Column(_("State"), lambda m: _(m.state.value)),
        Column(_("Venue"), lambda m: m.venue),
        Column(_("Chair"), lambda m: m.chair),
        Column(_("Deputy"), lambda m: m.deputy),
    ]


class NewMeetingDialog(Dialog):
    def __init__(self, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Plan a meeting"))
        self.panel = QLineEdit("C&C / R&R panel")
        self.day = DateField(_("Date"), required=True)
        self.day.set_date(day)
        self.venue, self.chair, self.deputy = QLineEdit(), QLineEdit(), QLineEdit()
        form = QFormLayout(self)
        add_rows(
            form,
            (
                (_("&Panel:"), self.panel),
                (_("&Date:"), self.day),
                (_("&Venue:"), self.venue),
                (_("&Chair:"), self.chair),
                (_("Dep&uty:"), self.deputy),
            ),
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class MeetingsScreen(QWidget):
    open_console = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view, self.model = read_only_table(meeting_columns(), _("Meetings"), self, newest_first=True)
        self.view.selectionModel().currentRowChanged.connect(self._selected)
        self.builder = AgendaBuilder(ctx, self)
        self.builder.open_console.connect(self.open_console.emit)
        new = QPushButton(_("&New meeting…"))
        new.clicked.connect(self.plan)
        self.edit_button = QPushButton(_("Chan&ge meeting…"))
        self.edit_button.setToolTip(_("Its date, venue, chair or deputy — before it starts"))
        self.edit_button.clicked.connect(self.change)
        self.delete_button = QPushButton(_("Delete meeting…"))
        self.delete_button.setToolTip(_("A meeting that will not take place — before it starts"))
        self.delete_button.clicked.connect(self.delete)
        # Tests answer these in place of the dialogs.
        self.ask_details: Callable[[NewMeetingDialog], bool] = lambda d: bool(d.exec())
        self.ask_why: Callable[[str], str | None] = self._ask_why
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        # Two laptops, one record: the meeting goes to the chair's laptop and its outcome comes back.
        self.transfers = TransferActions(ctx, self, self.error.setText)
        self.send_button = QPushButton(_("Send this meeting to the c&hair's laptop…"))
        self.send_button.clicked.connect(self.send)
        self.bring_button = QPushButton(_("&Bring the meeting's outcome back…"))
        self.bring_button.setToolTip(_("Open a pack from the other laptop: its changes are merged here, "
                                       "conflicts shown side by side first"))  # fmt: skip
        self.bring_button.clicked.connect(self.transfers.receive)
        top = QHBoxLayout()
        top.addWidget(title_label(_("Meetings")))
        top.addWidget(self.error)
        # The buttons wrap onto a second line where the window is too narrow for one (200 % text).
        top.addWidget(
            flowing(self.send_button, self.bring_button, self.edit_button, self.delete_button, new), 1
        )
        self.attendance = AttendancePanel(ctx, self)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        lists = QHBoxLayout()
        lists.addWidget(self.view, 3)
        lists.addWidget(self.attendance, 2)
        upper_layout.addLayout(lists)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.builder)
        splitter.setSizes([260, 440])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        ctx.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        chosen = self.builder.meeting.id if self.builder.meeting else None
        self.model.set_rows(self.ctx.services.meetings.all())
        rows = [self.model.row_object(r) for r in range(self.model.rowCount())]
        if chosen is None:
            upcoming = [m for m in rows if m.state.value != "closed"]
            chosen = min(upcoming, key=lambda m: m.held_on).id if upcoming else None
        self.select(chosen)

    def select(self, meeting_id: int | None) -> None:
        proxy = self.view.model()
        for r in range(proxy.rowCount()):
            meeting: Meeting = proxy.index(r, 0).data(ObjectRole)
            if meeting.id == meeting_id:
                self.view.setCurrentIndex(proxy.index(r, 0))
                self.builder.show_meeting(meeting)
                self.attendance.show_meeting(meeting)
                self._label_send(meeting)
                return
        self.builder.show_meeting(None)
        self.attendance.show_meeting(None)
        self._label_send(None)

    def plan(self) -> None:
        dialog = NewMeetingDialog(self.ctx.session.today() + dt.timedelta(days=28), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            day = dialog.day.date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        assert day is not None
        made = self.ctx.perform(
            lambda: self.ctx.services.meetings.plan(
                dialog.panel.text(), day, venue=dialog.venue.text(), chair=dialog.chair.text(),
                deputy=dialog.deputy.text(),
            ),
            self.error,
        )  # fmt: skip
        if made is not None:
            self.select(made.record.id)

    def change(self) -> None:
        meeting = self.builder.meeting
        if meeting is None:
            self.error.setText(_("Select the meeting to change."))
            return
        dialog = NewMeetingDialog(meeting.held_on, self)
        dialog.setWindowTitle(_("Change the meeting"))
        dialog.panel.setText(meeting.panel)
        for field, value in ((dialog.venue, meeting.venue), (dialog.chair, meeting.chair),
                             (dialog.deputy, meeting.deputy)):  # fmt: skip
            field.setText(value)
        if not self.ask_details(dialog):
            return
        try:
            day = dialog.day.date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        assert day is not None
        self.ctx.perform(
            lambda: self.ctx.services.meetings.update(
                meeting.id, panel=dialog.panel.text(), held_on=day, venue=dialog.venue.text(),
                chair=dialog.chair.text(), deputy=dialog.deputy.text(),
            ),
            self.error,
        )  # fmt: skip

    def delete(self) -> None:
        meeting = self.builder.meeting
        if meeting is None:
            self.error.setText(_("Select the meeting to delete."))
            return
        why = self.ask_why(f"{meeting.panel}, {fmt_date(meeting.held_on)}")
        if why is None:
            return
        meetings = self.ctx.services.meetings
        if self.ctx.perform(lambda: meetings.delete(meeting.id, why=why), self.error) is not None:
            self.select(None)

    def _ask_why(self, what: str) -> str | None:
        question = _("Delete {what}, its agenda and attendance?\nWhy (recorded in the audit log):").format(
            what=what)  # fmt: skip
        text, ok = QInputDialog.getText(self, _("Delete the meeting"), question)
        return text if ok and text.strip() else None

    def send(self) -> None:
        if self.builder.meeting is None:
            self.error.setText(_("Select the meeting to send."))
            return
        self.transfers.send(self.builder.meeting.id)

    def _label_send(self, meeting: Meeting | None) -> None:
        """On the chair's laptop a meeting that came in a pack goes back as its outcome."""
        back = meeting is not None and self.transfers.transfer.partner_of_meeting(meeting.id) is not None
        self.send_button.setText(
            _("Send the outc&ome back…") if back else _("Send this meeting to the c&hair's laptop…")
        )
        self.send_button.setEnabled(meeting is not None)
        planned = meeting is not None and meeting.state is MeetingState.PLANNED  # only before it starts
        self.edit_button.setEnabled(planned)
        self.delete_button.setEnabled(planned)

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        meeting = current.data(ObjectRole)
        if meeting is not None and (self.builder.meeting is None or self.builder.meeting.id != meeting.id):
            self.builder.show_meeting(meeting)
            self.attendance.show_meeting(meeting)
            self._label_send(meeting)

    def _on_changed(self, changes: Changes) -> None:
        if "meetings" in changes.topics:
            self.model.set_rows(self.ctx.services.meetings.all())
