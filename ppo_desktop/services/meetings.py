"""Panel meetings: planning, attendance, the agenda, running the meeting, closing and amending it."""

from __future__ import annotations

import datetime as dt
import json

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import AgendaItem, Decision, ItemState, Meeting, MeetingState
from ppo_desktop.i18n import _
from ppo_desktop.rules.agenda import LIST_REVIEW, Proposal, propose, retention_review
from ppo_desktop.services import rows
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.pools import Pools
from ppo_desktop.services.retention import Retention
from ppo_desktop.services.room import Room
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace

NEXT_STATE = {MeetingState.PLANNED: MeetingState.IN_PROGRESS, MeetingState.IN_PROGRESS: MeetingState.CLOSED}


class Meetings:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- the meeting ---------------------------------------------------------------------
    def plan(
        self, panel: str, held_on: dt.date, *, venue: str = "", chair: str = "", deputy: str = ""
    ) -> Made[Meeting]:
        values = {
            "panel": panel,
            "held_on": held_on.isoformat(),
            "venue": venue,
            "chair": chair,
            "deputy": deputy,
            "state": MeetingState.PLANNED.value,
        }
        with self.ws.writing():
            new_id = self.ws.insert("meetings", values)
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "meeting",
                new_id,
                f"Meeting planned: {panel}",
                at=self.ws.now(),
                after=values,
            )
        return Changes.of(Topic.MEETINGS).made(self.get(new_id))

    def update(
        self, meeting_id: int, *, panel: str, held_on: dt.date, venue: str = "", chair: str = "",
        deputy: str = "",
    ) -> Changes:  # fmt: skip
        """Change a meeting's details while it has not started (a date moved, a venue changed)."""
        current = self._not_started(meeting_id, "changed")
        if not panel.strip():
            raise ServiceError(_("A meeting needs the panel's name."))
        before = {"panel": current.panel, "held_on": current.held_on.isoformat(), "venue": current.venue,
                  "chair": current.chair, "deputy": current.deputy}  # fmt: skip
        after = {"panel": panel.strip(), "held_on": held_on.isoformat(), "venue": venue, "chair": chair,
                 "deputy": deputy}  # fmt: skip
        if after == before:
            return Changes()
        with self.ws.writing() as db:
            db.table("meetings").update(meeting_id, after)
            self.ws.audit.record(AuditKind.ALTERATION, "meeting", meeting_id,
                                 f"Meeting changed: {after['panel']}", at=self.ws.now(), before=before,
                                 after=after)  # fmt: skip
        return Changes.of(Topic.MEETINGS)

    def delete(self, meeting_id: int, *, why: str) -> Changes:
        """A meeting that will not take place, deleted before it started (its agenda and attendance
        with it); recorded in the audit log with why. A meeting with any decision is never deleted."""
        current = self._not_started(meeting_id, "deleted")
        if not why.strip():
            raise ServiceError(_("Say why the meeting is deleted (recorded in the audit log)."))
        if self.ws.db.execute("SELECT 1 FROM decisions WHERE meeting_id = ?", [meeting_id]).fetchone():
            raise ServiceError(_("A decision was recorded at this meeting, so it stays in the record."))
        items = self.agenda(meeting_id)
        with self.ws.writing() as db:
            db.execute("DELETE FROM attendance WHERE meeting_id = ?", [meeting_id])
            db.execute("DELETE FROM agenda_items WHERE meeting_id = ?", [meeting_id])
            db.execute("DELETE FROM meetings WHERE id = ?", [meeting_id])
            self.ws.audit.record(
                AuditKind.ALTERATION, "meeting", meeting_id,
                f"Meeting deleted before it started: {current.panel}, {current.held_on:%d %b %Y} "
                f"({len(items)} agenda item(s))",
                at=self.ws.now(), before={"held_on": current.held_on.isoformat(), "panel": current.panel},
                justification=why.strip(),
            )  # fmt: skip
        return Changes.of(Topic.MEETINGS, Topic.AGENDA_ITEMS, Topic.ATTENDANCE)

    def _not_started(self, meeting_id: int, done: str) -> Meeting:
        meeting = self.get(meeting_id)
        if meeting.state is not MeetingState.PLANNED:
            raise ServiceError(
                _("Only a meeting that has not started can be {done}; this one has.").format(done=done)
            )
        return meeting

    def set_state(self, meeting_id: int, state: MeetingState) -> Changes:
        """Planned → in progress → closed, one step at a time."""
        current = self.get(meeting_id)
        if NEXT_STATE.get(current.state) is not state:
            raise ServiceError(
                _("A {value} meeting cannot become {value2}.").format(
                    value=current.state.value, value2=state.value
                )
            )
        stamp = self.ws.now().isoformat(timespec="seconds")
        values = {
            "state": state.value,
            **({"opened_at": stamp} if state is MeetingState.IN_PROGRESS else {"closed_at": stamp}),
        }
        with self.ws.writing() as db:
            db.table("meetings").update(meeting_id, values)
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "meeting",
                meeting_id,
                f"Meeting {state.value}",
                at=self.ws.now(),
                before={"state": current.state.value},
                after=values,
            )
        return Changes.of(Topic.MEETINGS)

    def start(self, meeting_id: int) -> Changes:
        return self.set_state(meeting_id, MeetingState.IN_PROGRESS)

    def close(self, meeting_id: int) -> Changes:
        """Close the meeting: its decisions become final (no more undo); later changes are amendments."""
        return self.set_state(meeting_id, MeetingState.CLOSED)

    def set_quorum_note(self, meeting_id: int, note: str) -> Changes:
        current = self._open_for_editing(meeting_id)
        with self.ws.writing() as db:
            db.table("meetings").update(meeting_id, {"quorum_note": note})
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "meeting",
                meeting_id,
                "Quorum note recorded",
                at=self.ws.now(),
                before={"quorum_note": current.quorum_note},
                after={"quorum_note": note},
            )
        return Changes.of(Topic.MEETINGS)

    # -- the agenda ------------------------------------------------------------------------
    def proposals(self, meeting_id: int) -> list[Proposal]:
        """What the rules say should be discussed, minus what is already on the agenda."""
        meeting = self.get(meeting_id)
        on_agenda = {i.nominal_id for i in self.agenda(meeting_id)}
        cases, pools = Cases(self.ws), Pools(self.ws)
        cohort = cases.cohort()
        found = propose(
            meeting.held_on,
            self.ws.profile(),
            cohort,
            Nominations(self.ws).open_nominations(),
            Actions(self.ws).open_actions(),
            cases.histories(r.nominal for r in cohort),
            pools.asset_readings(),
            cases.latest_sentences(),
            pools.last_scored(),
            self._list_reviewed_on(),
        ) + retention_review(Retention(self.ws).reminder(meeting.held_on))
        titles = {i.title for i in self.agenda(meeting_id) if i.nominal_id is None}
        return [
            p for p in found if (p.nominal_id not in on_agenda if p.nominal_id else p.title not in titles)
        ]

    def _list_reviewed_on(self) -> dt.date | None:
        """When a closed meeting last reached the list review (its item discussed, or notes recorded)."""
        row = self.ws.db.execute(
            "SELECT max(m.held_on) FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id "
            "WHERE a.nominal_id IS NULL AND a.title = ? AND m.state = ? AND (a.state = ? OR a.notes != '')",
            [LIST_REVIEW, MeetingState.CLOSED.value, ItemState.DISCUSSED.value],
        ).fetchone()
        return rows.date_or_none(row[0]) if row else None

    def add_proposals(self, meeting_id: int, proposals: list[Proposal]) -> Changes:
        changes = Changes()
        for p in proposals:
            changes |= self.add_item(
                meeting_id, p.title, nominal_id=p.nominal_id, reasons=p.reasons, free_text=p.free_text
            )
        return changes

    def add_item(
        self,
        meeting_id: int,
        title: str,
        *,
        nominal_id: int | None = None,
        reasons: list[str] | None = None,
        minutes: int = 10,
        free_text: list[str] | None = None,
    ) -> Made[AgendaItem]:
        self._open_for_editing(meeting_id)
        position = 1 + (
            self.ws.db.execute(
                "SELECT max(position) FROM agenda_items WHERE meeting_id = ?", [meeting_id]
            ).fetchone()[0]
            or 0
        )
        values = {
            "meeting_id": meeting_id,
            "position": position,
            "nominal_id": nominal_id,
            "title": title,
            "reasons": json.dumps(reasons or []),
            "free_text": json.dumps(free_text or []),
            "minutes": minutes,
        }
        with self.ws.writing():
            item_id = self.ws.insert("agenda_items", values)
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "agenda_item",
                item_id,
                f"Agenda item added: {title}",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after={"meeting_id": meeting_id},
            )
        return Changes.of(Topic.AGENDA_ITEMS, nominal_id=nominal_id).made(self.item(item_id))

    def remove_item(self, item_id: int) -> Changes:
        item = self.item(item_id)
        self._open_for_editing(item.meeting_id)
        if self.ws.db.execute(
            "SELECT 1 FROM decisions WHERE agenda_item_id = ? AND undone_at IS NULL", [item_id]
        ).fetchone():
            raise ServiceError(_("This item has a decision; undo the decision before removing the item."))
        if self.ws.db.execute("SELECT 1 FROM decisions WHERE agenda_item_id = ?", [item_id]).fetchone():
            raise ServiceError(
                _(
                    "A decision on this item was taken and undone; that stays in the record, so the item "
                    "stays on the agenda (note in it that it was not needed)."
                )
            )
        with self.ws.writing() as db:
            db.execute("DELETE FROM agenda_items WHERE id = ?", [item_id])
            self._renumber(item.meeting_id)
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "agenda_item",
                item_id,
                f"Agenda item removed: {item.title}",
                at=self.ws.now(),
                nominal_id=item.nominal_id,
            )
        return Changes.of(Topic.AGENDA_ITEMS)

    def move_item(self, item_id: int, to_position: int) -> Changes:
        """Put an item at ``to_position`` (1-based); the others close up around it."""
        item = self.item(item_id)
        self._open_for_editing(item.meeting_id)
        order = [i.id for i in self.agenda(item.meeting_id) if i.id != item_id]
        to_position = max(1, min(to_position, len(order) + 1))
        order.insert(to_position - 1, item_id)
        with self.ws.writing() as db:
            for pos, iid in enumerate(order, start=1):
                db.table("agenda_items").update(iid, {"position": pos})
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "agenda_item",
                item_id,
                "Agenda reordered",
                at=self.ws.now(),
                before={"position": item.position},
                after={"position": to_position},
            )
        return Changes.of(Topic.AGENDA_ITEMS)

    def set_minutes(self, item_id: int, minutes: int) -> Changes:
        if not 1 <= minutes <= 120:
            raise ServiceError(_("Allow between 1 and 120 minutes for an item."))
        return self._update_item(item_id, {"minutes": minutes}, "Time allowed changed")

    def set_notes(self, item_id: int, notes: str) -> Changes:
        """The discussion summary for the minutes (saved as the chair types, debounced)."""
        return self._update_item(item_id, {"notes": notes}, "Discussion notes saved", allow_in_meeting=True)

    def record_time(self, item_id: int, seconds: int) -> Changes:
        """Time spent on an item (the console's timer); not audited, it is not personal data."""
        item = self.item(item_id)
        with self.ws.writing() as db:
            db.table("agenda_items").update(item_id, {"seconds_spent": item.seconds_spent + max(0, seconds)})
        return Changes.of(Topic.AGENDA_ITEMS)

    def record_projection(self, item_id: int) -> None:
        """Showing a person to the room is a disclosure: audited before the projector shows it."""
        item = self.item(item_id)
        meeting = self.get(item.meeting_id)
        present = [f"{a.name} ({a.agency})" for a in Room(self.ws).present_for(item_id)]  # the recipients
        with self.ws.transaction():
            self.ws.audit.record(
                AuditKind.DISCLOSURE,
                "agenda_item",
                item_id,
                f"Projected to the room: {item.title}",
                at=self.ws.now(),
                nominal_id=item.nominal_id,
                after={"recipient": f"{meeting.panel} meeting room", "present": present},
                justification=f"Panel meeting {meeting.held_on:%d %b %Y}",
            )

    def agenda(self, meeting_id: int) -> list[AgendaItem]:
        return [
            rows.agenda_item(r)
            for r in self.ws.db.query(
                "SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position", [meeting_id]
            )
        ]

    def item(self, item_id: int) -> AgendaItem:
        return rows.agenda_item(self.ws.row("agenda_items", item_id, "agenda item"))

    def _update_item(
        self, item_id: int, values: dict[str, object], summary: str, allow_in_meeting: bool = True
    ) -> Changes:
        item = self.item(item_id)
        self._open_for_editing(item.meeting_id)
        before = {k: getattr(item, k) for k in values}
        if before == values:
            return Changes()
        with self.ws.writing() as db:
            db.table("agenda_items").update(item_id, values)
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "agenda_item",
                item_id,
                summary,
                at=self.ws.now(),
                nominal_id=item.nominal_id,
                before=before,
                after=values,
            )
        return Changes.of(Topic.AGENDA_ITEMS, nominal_id=item.nominal_id)

    def _renumber(self, meeting_id: int) -> None:
        for pos, item in enumerate(self.agenda(meeting_id), start=1):
            self.ws.db.table("agenda_items").update(item.id, {"position": pos})

    def _open_for_editing(self, meeting_id: int) -> Meeting:
        meeting = self.get(meeting_id)
        if meeting.state is MeetingState.CLOSED:
            raise ServiceError(_("This meeting is closed: record an amendment instead."))
        return meeting

    # -- reading -------------------------------------------------------------------------
    def get(self, meeting_id: int) -> Meeting:
        return rows.meeting(self.ws.row("meetings", meeting_id, "meeting"))

    def find(self, meeting_id: int) -> Meeting | None:
        """The meeting, or None where it is gone (deleted here, or by a pack from the other laptop)."""
        found = list(self.ws.db.query("SELECT * FROM meetings WHERE id = ?", [meeting_id]))
        return rows.meeting(found[0]) if found else None

    def all(self) -> list[Meeting]:
        return [rows.meeting(r) for r in self.ws.db.query("SELECT * FROM meetings ORDER BY held_on DESC")]

    def decisions(self, meeting_id: int) -> list[Decision]:
        return [
            rows.decision(r)
            for r in self.ws.db.query(
                "SELECT * FROM decisions WHERE meeting_id = ? AND undone_at IS NULL ORDER BY id", [meeting_id]
            )
        ]
