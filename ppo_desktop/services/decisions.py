"""Panel decisions and their consequences, undoable until the meeting closes.

A decision changes the nominal's strand membership, status and next review date at once (one
transaction with the decision record and its audit entry). Before it acts, the nominal's
memberships and nominations are snapshotted into the decision, so undo restores them exactly.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import (
    Basis,
    Decision,
    DecisionKind,
    ItemState,
    MeetingState,
    NominationState,
    RemovalOutcome,
    RemovalReason,
    Status,
    Strand,
)
from ppo_desktop.rules.decisions import DEFAULT_AUTHORITY
from ppo_desktop.rules.review import next_review
from ppo_desktop.services import rows
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Workspace


class Decisions:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cases = Cases(ws)
        self.meetings = Meetings(ws)

    def decide(
        self,
        item_id: int,
        kind: DecisionKind,
        *,
        strand: Strand | None = None,
        basis: Basis | None = None,
        status: Status | None = None,
        reason_code: str = "",
        authority: str = "",
        note: str = "",
        release_on: dt.date | None = None,
        outcomes: tuple[RemovalOutcome, ...] = (),
        move_criteria: tuple[str, ...] = (),
        dissent: tuple[tuple[str, str], ...] = (),
    ) -> Made[Decision]:
        """Take a decision about an agenda item's person. ``dissent``: (agency, view) pairs an agency
        asked to be recorded as disagreeing (MAPPA minutes do the same); the decision stands."""
        item = self.meetings.item(item_id)
        meeting = self.meetings.get(item.meeting_id)
        if meeting.state is not MeetingState.IN_PROGRESS:
            raise ServiceError("Decisions are taken while the meeting is in progress.")
        if item.nominal_id is None:
            raise ServiceError("This agenda item is not about a person; record the outcome in its notes.")
        nid = item.nominal_id
        day = meeting.held_on
        authority = authority.strip() or DEFAULT_AUTHORITY
        details: dict[str, Any] = dict(self._details(kind, strand, move_criteria))
        if any(not a.strip() or not v.strip() for a, v in dissent):
            raise ServiceError("A recorded dissent needs the agency and its view.")
        if dissent:
            details["dissent"] = [{"agency": a.strip(), "view": v.strip()} for a, v in dissent]
        if outcomes:
            details["outcomes"] = sorted({RemovalOutcome(o).value for o in outcomes})
        if kind is DecisionKind.AMBER and release_on is not None:
            details["release_on"] = release_on.isoformat()
        snapshot = self._snapshot(nid)
        with self.ws.writing():
            self._apply(
                kind, nid, day, strand, basis, status, reason_code, authority, note, release_on, outcomes
            )
            current = self.cases.current_spell(nid)
            decided_strand = strand or (current.strand if current else None)
            decided_basis = basis or (current.basis if current else None)
            values = {
                "meeting_id": meeting.id,
                "agenda_item_id": item_id,
                "nominal_id": nid,
                "kind": kind.value,
                "decided_on": day.isoformat(),
                "strand": decided_strand.value if decided_strand else None,
                "basis": decided_basis.value if decided_basis else None,
                "reason_code": reason_code,
                "authority": authority,
                "note": note,
                "undo": json.dumps(snapshot),
                "details": json.dumps(details),
            }
            decision_id = self.ws.insert("decisions", values)
            self.ws.db.table("agenda_items").update(item_id, {"state": ItemState.DISCUSSED.value})
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "decision",
                decision_id,
                f"Decision: {kind.label}",
                at=self.ws.now(),
                nominal_id=nid,
                after={k: v for k, v in values.items() if k != "undo"},
                justification=authority,
            )
        decision = rows.decision(self.ws.row("decisions", decision_id, "decision"))
        touched = ("decisions", "memberships", "nominations", "agenda_items")
        return Changes.of(*touched, nominal_id=nid).made(decision)

    def _details(
        self, kind: DecisionKind, strand: Strand | None, move_criteria: tuple[str, ...]
    ) -> dict[str, list[str]]:
        """What the decision was taken on. Moving onto a strand whose profile lists move criteria
        (Thurrock R&R, 000 §5.3) needs at least one of them ticked; they print in the minutes."""
        listed = self.ws.profile().move_criteria.get(strand) if strand else None
        if kind is not DecisionKind.MOVE_STRAND or not listed:
            if move_criteria:
                raise ServiceError("Move criteria belong to a move onto a strand that lists them.")
            return {}
        unknown = [c for c in move_criteria if c not in listed]
        if unknown:
            raise ServiceError(f"Not one of the scheme's move criteria: {unknown[0]}")
        if not move_criteria:
            assert strand is not None
            raise ServiceError(f"Moving to {strand.value} needs one or more of its move criteria (000 §5.3).")
        return {"move_criteria": [c for c in listed if c in move_criteria]}

    def undo(self, decision_id: int) -> Changes:
        """Put the person back exactly as before the decision; only while the meeting is in progress."""
        raw = self.ws.row("decisions", decision_id, "decision")
        decision = rows.decision(raw)
        if decision.undone:
            raise ServiceError("That decision has already been undone.")
        meeting = self.meetings.get(decision.meeting_id) if decision.meeting_id else None
        if meeting is None or meeting.state is not MeetingState.IN_PROGRESS:
            raise ServiceError("Decisions can be undone only until the meeting closes; after that, amend it.")
        later = self.ws.db.execute(
            "SELECT 1 FROM decisions WHERE nominal_id = ? AND id > ? AND undone_at IS NULL",
            [decision.nominal_id, decision_id],
        ).fetchone()
        if later:
            raise ServiceError("A later decision about this person stands; undo that one first.")
        snapshot = json.loads(raw["undo"] or "{}")
        with self.ws.writing() as db:
            self._restore(decision.nominal_id, snapshot)
            db.table("decisions").update(
                decision_id, {"undone_at": self.ws.now().isoformat(timespec="seconds")}
            )
            if decision.agenda_item_id is not None:
                db.table("agenda_items").update(decision.agenda_item_id, {"state": ItemState.PENDING.value})
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "decision",
                decision_id,
                f"Decision undone: {decision.kind}",
                at=self.ws.now(),
                nominal_id=decision.nominal_id,
                before={"undone": False},
                after={"undone": True},
            )
        touched = ("decisions", "memberships", "nominations", "agenda_items")
        return Changes.of(*touched, nominal_id=decision.nominal_id)

    def for_item(self, item_id: int) -> list[Decision]:
        return [
            rows.decision(r)
            for r in self.ws.db.query(
                "SELECT * FROM decisions WHERE agenda_item_id = ? AND undone_at IS NULL ORDER BY id",
                [item_id],
            )
        ]

    # -- consequences ----------------------------------------------------------------------
    def _apply(
        self,
        kind: DecisionKind,
        nid: int,
        day: dt.date,
        strand: Strand | None,
        basis: Basis | None,
        status: Status | None,
        reason_code: str,
        authority: str,
        note: str,
        release_on: dt.date | None,
        outcomes: tuple[RemovalOutcome, ...] = (),
    ) -> None:
        profile = self.ws.profile()
        current = self.cases.current_spell(nid)
        if kind is DecisionKind.SELECT:
            if strand is None or basis is None:
                raise ServiceError("Selecting needs the strand and the basis (prolific or priority).")
            self.cases.select(
                nid, strand, basis, status or Status.OFFENDING_NOT_CJS, on=day, authority=authority
            )
            for r in self.ws.db.query(
                "SELECT id FROM nominations WHERE nominal_id = ? AND state = 'open'", [nid]
            ):
                self.ws.db.table("nominations").update(r["id"], {"state": NominationState.SELECTED.value})
            return
        if kind is DecisionKind.DEFER:
            return
        if current is None:
            raise ServiceError(f"This person is not on a strand, so '{kind.label}' does not apply.")
        if kind is DecisionKind.RETAIN:
            self.ws.db.table("memberships").update(
                current.id,
                {
                    "next_review_on": next_review(current.strand, day, profile.review_months).isoformat(),
                    **({"status": status.value} if status else {}),
                },
            )
        elif kind is DecisionKind.MOVE_STRAND:
            if strand is None or strand is current.strand:
                raise ServiceError("Moving needs a different strand.")
            if current.strand is Strand.PREVENT_DETER:  # escalation: the P&D spell ends, it is not an exit
                self.cases.remove(
                    current.id,
                    RemovalReason.OTHER,
                    authority=authority,
                    on=day,
                    note=f"Moved to {strand.value}",
                )
            self.cases.select(
                nid, strand, basis or current.basis, status or current.status, on=day, authority=authority
            )
        elif kind in (DecisionKind.DESELECT, DecisionKind.IOM_COHORT):
            code = RemovalReason.IOM_COHORT.value if kind is DecisionKind.IOM_COHORT else reason_code
            allowed = {r.code.value for r in profile.removal_reasons} | {RemovalReason.IOM_COHORT.value}
            if code not in allowed:
                raise ServiceError("De-selection needs one of the scheme's coded reasons.")
            if authority == DEFAULT_AUTHORITY and kind is DecisionKind.DESELECT:
                raise ServiceError("A de-selection must record on whose authority it was made.")
            self.cases.remove(
                current.id, RemovalReason(code), authority=authority, note=note, on=day, outcomes=outcomes
            )
        elif kind is DecisionKind.AMBER:
            if release_on is None:
                raise ServiceError("The amber list needs the expected release date.")
            self.cases.place_on_amber_list(current.id, release_on, on=day, authority=authority)

    def _snapshot(self, nid: int) -> dict[str, Any]:
        return {
            "memberships": list(self.ws.db.query("SELECT * FROM memberships WHERE nominal_id = ?", [nid])),
            "nominations": list(
                self.ws.db.query("SELECT id, state FROM nominations WHERE nominal_id = ?", [nid])
            ),
        }

    def _restore(self, nid: int, snapshot: dict[str, Any]) -> None:
        before = {r["id"]: r for r in snapshot.get("memberships", [])}
        for r in self.ws.db.query("SELECT id FROM memberships WHERE nominal_id = ?", [nid]):
            if r["id"] not in before:
                self.ws.db.execute("DELETE FROM memberships WHERE id = ?", [r["id"]])
        for spell_id, values in before.items():
            self.ws.db.table("memberships").update(spell_id, {k: v for k, v in values.items() if k != "id"})
        for r in snapshot.get("nominations", []):
            self.ws.db.table("nominations").update(r["id"], {"state": r["state"]})
