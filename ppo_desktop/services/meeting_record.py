"""Who came (attendance and apologies) and what was amended after a meeting closed: the parts of a
meeting's record beside its agenda. A part of ``Meetings`` (the same service, in a module of its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Attendee, Meeting, MeetingState
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace


class MeetingRecord:
    ws: Workspace

    if TYPE_CHECKING:  # given by Meetings

        def get(self, meeting_id: int) -> Meeting: ...

        def _open_for_editing(self, meeting_id: int) -> Meeting: ...

    def amend(self, meeting_id: int, text: str) -> Changes:
        """After closing, the record changes only by amendment: appended, never a silent edit."""
        if self.get(meeting_id).state is not MeetingState.CLOSED:
            raise ServiceError("Only a closed meeting is amended; until then edit it directly.")
        if not text.strip():
            raise ServiceError("An amendment needs its text.")
        with self.ws.writing() as db:
            db.table("meeting_amendments").insert(
                {
                    "meeting_id": meeting_id,
                    "text": text,
                    "user_id": self.ws.user.id,
                    "at": self.ws.now().isoformat(timespec="seconds"),
                }
            )
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "meeting",
                meeting_id,
                "Minutes amended",
                at=self.ws.now(),
                after={"amendment": text},
            )
        return Changes.of(Topic.MEETINGS)

    def amendments(self, meeting_id: int) -> list[tuple[str, str, str]]:
        return [
            (r["at"], r["user_id"], r["text"])
            for r in self.ws.db.query(
                "SELECT at, user_id, text FROM meeting_amendments WHERE meeting_id = ? ORDER BY id",
                [meeting_id],
            )
        ]

    # -- attendance ------------------------------------------------------------------------
    def add_attendee(
        self, meeting_id: int, name: str, agency: str, role: str = "", *, present: bool = True
    ) -> Changes:
        self._open_for_editing(meeting_id)
        if not name.strip() or not agency.strip():
            raise ServiceError("An attendee needs a name and an agency.")
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
