"""Who is in the room for the item on screen (issue 27): the chair records someone stepping out for
this item, leaving, or arriving, and that the confidentiality statement was read at the start. Each
showing to the room then names who saw it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import AgendaItem, Attendee, Move
from ppo_desktop.i18n import N_, _
from ppo_desktop.services import Changes
from ui.context import AppContext, MessageArea
from ui.flow_layout import flowing
from ui.table_model import Column, ObjectRole
from ui.widgets import read_only_table

COLUMNS: list[Column[tuple[Attendee, bool]]] = [
    Column(N_("Agency"), lambda r: r[0].agency),
    Column(N_("Name"), lambda r: r[0].name),
    Column(N_("This item"), lambda r: _("in the room") if r[1] else _("out")),
]


class RoomPanel(QWidget):
    def __init__(
        self, ctx: AppContext, meeting_id: int, error: MessageArea, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.meeting_id, self.error = ctx, meeting_id, error
        self.room = ctx.services.room
        self.item: AgendaItem | None = None
        self.read_button = QPushButton(_("Confidentiality statement read"))
        self.read_button.setToolTip(_("Record that the statement was read and the room acknowledged it"))
        self.read_button.clicked.connect(self.confidentiality_read)
        self.view, self.model = read_only_table(COLUMNS, _("Who is in the room for this item"), self)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self.buttons: dict[Move, QPushButton] = {}
        moves = []
        for move, text in ((Move.STEPPED_OUT, _("Steps out for the item")), (Move.LEFT, _("Leaves")),
                           (Move.ARRIVED, _("Arrives"))):  # fmt: skip
            button = self.buttons[move] = QPushButton(text)
            button.setToolTip(
                _("The selected attendee {label} (before this item)").format(label=_(move.label))
            )
            button.clicked.connect(lambda _checked=False, m=move: self.record(m))
            moves.append(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.read_button)
        layout.addWidget(self.count)
        layout.addWidget(self.view, 1)
        layout.addWidget(flowing(*moves, align_left=True))  # wraps where the words are long
        ctx.changed.connect(self._on_changed)

    def show_item(self, item: AgendaItem | None) -> None:
        self.item = item
        self.reload()

    def reload(self) -> None:
        meeting = self.ctx.services.meetings.get(self.meeting_id)
        self.read_button.setVisible(not meeting.confidentiality_read_at)
        attendees = [a for a in self.ctx.services.room.attendance(self.meeting_id) if a.present]
        here = {a.id for a in self.room.present_for(self.item.id)} if self.item is not None else set()
        self.model.set_rows([(a, a.id in here) for a in attendees])
        self.count.setText(
            _("In the room for this item: {here} of {attending} attending").format(
                here=len(here), attending=len(attendees)
            )
        )

    def record(self, move: Move) -> None:
        rows = self.view.selectionModel().selectedRows()
        if self.item is None or not rows:
            self.error.setText(_("Select who comes or goes first (the list under the agenda)."))
            return
        attendee, _here = self.view.model().index(rows[0].row(), 0).data(ObjectRole)
        item_id = self.item.id
        self.ctx.perform(lambda: self.room.record(item_id, attendee.id, move), self.error)

    def confidentiality_read(self) -> None:
        self.ctx.perform(lambda: self.room.confidentiality_read(self.meeting_id), self.error)

    def _on_changed(self, changes: Changes) -> None:
        if changes.topics & {"attendance", "attendance_moves", "meetings"}:
            self.reload()
