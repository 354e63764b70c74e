"""Who attended by agency and role, apologies, the quorum note, and amendments once closed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import Attendee, Meeting, MeetingState
from ppo_desktop.i18n import N_, _
from ppo_desktop.services import Changes
from ui.context import AppContext
from ui.table_model import Column
from ui.widgets import read_only_table, title_label

ATTENDEE_COLUMNS: list[Column[Attendee]] = [
    Column(N_("Agency"), lambda a: a.agency),
    Column(N_("Name"), lambda a: a.name),
    Column(N_("Role"), lambda a: a.role),
    Column(N_("Present"), lambda a: _("present") if a.present else _("apologies")),
]


class AttendancePanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting: Meeting | None = None
        self.view, self.model = read_only_table(ATTENDEE_COLUMNS, _("Attendance"), self)
        self.name, self.agency, self.role = QLineEdit(), QLineEdit(), QLineEdit()
        self.name.setPlaceholderText(_("Name"))
        self.agency.setPlaceholderText(_("Agency"))
        self.role.setPlaceholderText(_("Role"))
        for field, label in (
            (self.name, _("Attendee name")),
            (self.agency, _("Agency")),
            (self.role, _("Role")),
        ):
            field.setAccessibleName(label)
        self.apology = QCheckBox(_("A&pologies"))
        add = QPushButton(_("Add a&ttendee"))
        add.clicked.connect(self.add)
        for field in (self.name, self.agency, self.role):
            field.returnPressed.connect(self.add)  # Enter adds the attendee, from any of the three boxes
        self.quorum = QLineEdit()
        self.quorum.setPlaceholderText(
            _("Quorum note, e.g. 'Quorate: Police, Probation and the Council present'")
        )
        self.quorum.setAccessibleName(_("Quorum note"))
        self.quorum.editingFinished.connect(self._save_quorum)
        self.amend_button = QPushButton(_("A&mend the record…"))
        self.amend_button.clicked.connect(self.amend)
        self.amendments = QLabel()
        self.amendments.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        row = QHBoxLayout()
        for w in (self.name, self.agency, self.role, self.apology, add):
            row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title_label(_("Attendance"), "sectionTitle"))
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.quorum)
        layout.addWidget(self.amend_button)
        layout.addWidget(self.amendments)
        layout.addWidget(self.error)
        ctx.changed.connect(self._on_changed)

    def show_meeting(self, meeting: Meeting | None) -> None:
        self.meeting = meeting
        self.reload()

    def reload(self) -> None:
        m = self.meeting
        self.model.set_rows(self.ctx.services.room.attendance(m.id) if m else [])
        closed = m is not None and m.state is MeetingState.CLOSED
        self.quorum.setText(m.quorum_note if m else "")
        self.quorum.setEnabled(m is not None and not closed)
        self.amend_button.setVisible(closed)
        amendments = self.ctx.services.record.amendments(m.id) if m and closed else []
        self.amendments.setText(
            "\n".join(
                _("Amended {day} by {who}: {text}").format(day=at[:10], who=who, text=text)
                for at, who, text in amendments
            )
        )

    def add(self) -> None:
        m = self.meeting
        if m is None:
            return
        if (
            self.ctx.perform(
                lambda: self.ctx.services.room.add_attendee(
                    m.id,
                    self.name.text(),
                    self.agency.text(),
                    self.role.text(),
                    present=not self.apology.isChecked(),
                ),
                self.error,
            )
            is not None
        ):
            self.name.clear()
            self.role.clear()
            self.name.setFocus()

    def amend(self) -> None:
        m = self.meeting
        if m is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, _("Amend the record"), _("The amendment (appended to the minutes, never replacing them):")
        )
        if ok:
            self.ctx.perform(lambda: self.ctx.services.record.amend(m.id, text), self.error)

    def _save_quorum(self) -> None:
        m = self.meeting
        if m is not None and self.quorum.text() != m.quorum_note:
            meetings = self.ctx.services.meetings
            self.ctx.perform(lambda: meetings.set_quorum_note(m.id, self.quorum.text()), self.error)

    def _on_changed(self, changes: Changes) -> None:
        """The meeting as it now is (an attendee added, the quorum note or an amendment saved)."""
        if self.meeting is not None and changes.topics & {"meetings", "attendance", "meeting_amendments"}:
            self.show_meeting(self.ctx.services.meetings.find(self.meeting.id))  # None: it was deleted
