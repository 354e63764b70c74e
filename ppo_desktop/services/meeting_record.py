"""What was amended after a meeting closed: the record's only way to change once it is closed (who
came, and who was in the room for each item, is ``services.room``)."""

from __future__ import annotations

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import MeetingState
from ppo_desktop.i18n import _
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace


class MeetingRecord:
    """A closed meeting's record changes only by amendment, appended and never a silent edit."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def amend(self, meeting_id: int, text: str) -> Changes:
        """After closing, the record changes only by amendment: appended, never a silent edit."""
        if rows.meeting(self.ws.row("meetings", meeting_id, "meeting")).state is not MeetingState.CLOSED:
            raise ServiceError(_("Only a closed meeting is amended; until then edit it directly."))
        if not text.strip():
            raise ServiceError(_("An amendment needs its text."))
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
