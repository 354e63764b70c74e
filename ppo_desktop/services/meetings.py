"""Panel meetings and the decisions recorded in them."""

from __future__ import annotations

import datetime as dt

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Basis, Decision, Meeting, MeetingState, Strand
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, Workspace


class Meetings:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def plan(
        self, panel: str, held_on: dt.date, *, venue: str = "", chair: str = "", deputy: str = ""
    ) -> tuple[Meeting, Changes]:
        values = {
            "panel": panel,
            "held_on": held_on.isoformat(),
            "venue": venue,
            "chair": chair,
            "deputy": deputy,
            "state": MeetingState.PLANNED.value,
        }
        with self.ws.writing() as db:
            db.table("meetings").insert(values)
            new_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "meeting",
                new_id,
                f"Meeting planned: {panel}",
                at=self.ws.now(),
                after=values,
            )
        return self.get(new_id), Changes.of("meetings")

    def set_state(self, meeting_id: int, state: MeetingState) -> Changes:
        current = self.get(meeting_id)
        with self.ws.writing() as db:
            db.table("meetings").update(meeting_id, {"state": state.value})
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "meeting",
                meeting_id,
                f"Meeting {state.value}",
                at=self.ws.now(),
                before={"state": current.state.value},
                after={"state": state.value},
            )
        return Changes.of("meetings")

    def record_decision(
        self,
        meeting_id: int | None,
        nominal_id: int,
        kind: str,
        *,
        on: dt.date,
        strand: Strand | None = None,
        basis: Basis | None = None,
        reason_code: str = "",
        authority: str = "",
        note: str = "",
    ) -> tuple[Decision, Changes]:
        values = {
            "meeting_id": meeting_id,
            "nominal_id": nominal_id,
            "kind": kind,
            "decided_on": on.isoformat(),
            "strand": strand.value if strand else None,
            "basis": basis.value if basis else None,
            "reason_code": reason_code,
            "authority": authority,
            "note": note,
        }
        with self.ws.writing() as db:
            db.table("decisions").insert(values)
            new_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "decision",
                new_id,
                f"Decision: {kind}",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after=values,
                justification=authority,
            )
        return rows.decision(self.ws.row("decisions", new_id, "decision")), Changes.of(
            "decisions", nominal_id=nominal_id
        )

    def get(self, meeting_id: int) -> Meeting:
        return rows.meeting(self.ws.row("meetings", meeting_id, "meeting"))

    def all(self) -> list[Meeting]:
        return [rows.meeting(r) for r in self.ws.db.query("SELECT * FROM meetings ORDER BY held_on DESC")]
