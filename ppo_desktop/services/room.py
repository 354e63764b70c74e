"""Who came to a meeting (attendance and apologies), and who was in the room for each item
(issue 27): showing a person to the room is a disclosure, and a disclosure names its recipients
(DPA 2018 s.62). During the meeting the chair records who arrives, who leaves, and who steps out for
one item (an interest declared), each at the item it happens before. Who was in the room for an item
follows from those moves, in agenda order. The confidentiality statement read at the start and
acknowledged by the room (MARAC practice) is recorded with the time, for the minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import AgendaItem, AttendanceMove, Attendee, MeetingState, Move
from ppo_desktop.i18n import _
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace


class Room:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- who came ------------------------------------------------------------------------
    def add_attendee(
        self, meeting_id: int, name: str, agency: str, role: str = "", *, present: bool = True
    ) -> Changes:
        meeting = rows.meeting(self.ws.row("meetings", meeting_id, "meeting"))
        if meeting.state is MeetingState.CLOSED:
            raise ServiceError(_("This meeting is closed: record an amendment instead."))
        if not name.strip() or not agency.strip():
            raise ServiceError(_("An attendee needs a name and an agency."))
        values = {
            "meeting_id": meeting_id,
            "name": name,
            "agency": agency,
            "role": role,
            "present": int(present),
        }
        with self.ws.writing() as db:
            db.table("attendance").insert(values)
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "meeting",
                meeting_id,
                f"{'Attendee' if present else 'Apology'} recorded: {agency}",
                at=self.ws.now(),
                after=values,
            )
        return Changes.of(Topic.MEETINGS)

    def attendance(self, meeting_id: int) -> list[Attendee]:
        return [
            rows.attendee(r)
            for r in self.ws.db.query(
                "SELECT * FROM attendance WHERE meeting_id = ? ORDER BY present DESC, agency, name",
                [meeting_id],
            )
        ]

    # -- who was in the room for each item ----------------------------------------------------
    def record(self, item_id: int, attendee_id: int, move: Move) -> Changes:
        """``attendee_id`` arrives, leaves or steps out at ``item_id`` (a meeting in progress)."""
        item = rows.agenda_item(self.ws.row("agenda_items", item_id, "agenda item"))
        meeting = rows.meeting(self.ws.row("meetings", item.meeting_id, "meeting"))
        if meeting.state is not MeetingState.IN_PROGRESS:
            raise ServiceError(_("Who comes and goes is recorded while the meeting is in progress."))
        attendee = rows.attendee(self.ws.row("attendance", attendee_id, "attendee"))
        if attendee.meeting_id != meeting.id or not attendee.present:
            raise ServiceError(_("Only someone recorded as attending this meeting comes and goes from it."))
        values = {"meeting_id": meeting.id, "attendance_id": attendee_id, "agenda_item_id": item_id,
                  "move": move.value, "recorded_at": self.ws.now().isoformat(timespec="seconds")}  # fmt: skip
        with self.ws.writing() as db:
            db.table("attendance_moves").insert(values)
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "meeting",
                meeting.id,
                f"Attendance: {attendee.agency} — {attendee.name} {move.label} (item {item.position})",
                at=self.ws.now(),
                after=values,
            )
        return Changes.of(Topic.ATTENDANCE_MOVES, Topic.ATTENDANCE)

    def moves(self, meeting_id: int) -> list[AttendanceMove]:
        return [
            AttendanceMove(
                r["id"],
                r["meeting_id"],
                r["attendance_id"],
                r["agenda_item_id"],
                Move(r["move"]),
                r["recorded_at"],
            )  # fmt: skip
            for r in self.ws.db.query(
                "SELECT * FROM attendance_moves WHERE meeting_id = ? ORDER BY id", [meeting_id]
            )
        ]

    def present_for(self, item_id: int) -> list[Attendee]:
        """Who was in the room for the item (the recipients when it was shown to the room)."""
        item = rows.agenda_item(self.ws.row("agenda_items", item_id, "agenda item"))
        return self.in_room(item, self._agenda(item.meeting_id), self._attendees(item.meeting_id),
                            self.moves(item.meeting_id))  # fmt: skip

    def out_of_room(self, meeting_id: int) -> dict[int, list[tuple[Attendee, str]]]:
        """For each item, who attended the meeting but was not in the room for it, and why."""
        agenda, attendees = self._agenda(meeting_id), self._attendees(meeting_id)
        moves = self.moves(meeting_id)
        out: dict[int, list[tuple[Attendee, str]]] = {}
        for item in agenda:
            present = {a.id for a in self.in_room(item, agenda, attendees, moves)}
            away = [a for a in attendees if a.id not in present]
            if away:
                out[item.id] = [(a, _why(a, item, agenda, moves)) for a in away]
        return out

    @staticmethod
    def in_room(
        item: AgendaItem, agenda: Sequence[AgendaItem], attendees: Iterable[Attendee],
        moves: Iterable[AttendanceMove],
    ) -> list[Attendee]:  # fmt: skip
        """Those present at the meeting who were in the room for ``item``: someone whose first move
        is an arrival was out until it; after that each arrival brings them in and each departure
        takes them out, in agenda order up to this item; stepping out keeps them out of this one only."""
        position = {i.id: i.position for i in agenda}
        here = position.get(item.id, item.position)
        by_person: dict[int, list[AttendanceMove]] = {}
        for m in sorted(moves, key=lambda m: (position.get(m.agenda_item_id, 0), m.id)):
            by_person.setdefault(m.attendance_id, []).append(m)
        found = []
        for a in attendees:
            mine = by_person.get(a.id, [])
            comings = [m for m in mine if m.move is not Move.STEPPED_OUT]
            inside = not comings or comings[0].move is not Move.ARRIVED
            for m in comings:
                if position.get(m.agenda_item_id, 0) > here:
                    break
                inside = m.move is Move.ARRIVED
            stepped = any(m.move is Move.STEPPED_OUT and m.agenda_item_id == item.id for m in mine)
            if inside and not stepped:
                found.append(a)
        return found

    def confidentiality_read(self, meeting_id: int) -> Changes:
        """The chair read the confidentiality statement and the room acknowledged it (at the start)."""
        meeting = rows.meeting(self.ws.row("meetings", meeting_id, "meeting"))
        if meeting.state is not MeetingState.IN_PROGRESS:
            raise ServiceError(_("The confidentiality statement is read once the meeting has started."))
        if meeting.confidentiality_read_at:
            raise ServiceError(
                _("The confidentiality statement is already recorded as read for this meeting.")
            )
        stamp = self.ws.now().isoformat(timespec="seconds")
        with self.ws.writing() as db:
            db.table("meetings").update(meeting_id, {"confidentiality_read_at": stamp})
            self.ws.audit.record(AuditKind.ALTERATION, "meeting", meeting_id,
                                 "Confidentiality statement read and acknowledged", at=self.ws.now(),
                                 after={"confidentiality_read_at": stamp})  # fmt: skip
        return Changes.of(Topic.MEETINGS)

    def _agenda(self, meeting_id: int) -> list[AgendaItem]:
        return [rows.agenda_item(r) for r in self.ws.db.query(
            "SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position", [meeting_id])]  # fmt: skip

    def _attendees(self, meeting_id: int) -> list[Attendee]:
        found = self.ws.db.query(
            "SELECT * FROM attendance WHERE meeting_id = ? AND present ORDER BY agency, name", [meeting_id]
        )
        return [rows.attendee(r) for r in found]


def _why(
    who: Attendee, item: AgendaItem, agenda: Sequence[AgendaItem], moves: Iterable[AttendanceMove]
) -> str:
    position = {i.id: i.position for i in agenda}
    mine = [m for m in moves if m.attendance_id == who.id]
    if any(m.move is Move.STEPPED_OUT and m.agenda_item_id == item.id for m in mine):
        return Move.STEPPED_OUT.label
    comings = sorted((m for m in mine if m.move is not Move.STEPPED_OUT),
                     key=lambda m: (position.get(m.agenda_item_id, 0), m.id))  # fmt: skip
    before = [m for m in comings if position.get(m.agenda_item_id, 0) <= item.position]
    return "had left the meeting" if before and before[-1].move is Move.LEFT else "not yet arrived"
