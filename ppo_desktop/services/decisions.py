"""Panel decisions and their consequences, undoable until the meeting closes.

A decision is recorded as events in the person's history (one transaction with the decision
record and its audit entry); undoing it takes its events out of what is derived — the nominations
a selection settled are open again with it. What else a decision did (an action it raised) is kept
in the decision's ``undo``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import (
    ActionState,
    Basis,
    Decision,
    DecisionKind,
    ItemState,
    MeetingState,
    Pathway,
    RemovalOutcome,
    RemovalReason,
    Status,
    Strand,
)
from ppo_desktop.i18n import _
from ppo_desktop.rules.decisions import DEFAULT_AUTHORITY, PLACING, action_due
from ppo_desktop.rules.history import EventKind, PersonState, Stage
from ppo_desktop.services import rows
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.person_history import PersonHistory
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace

# What a decision (and its undo) touches.
DECIDED = (Topic.DECISIONS, Topic.MEMBERSHIPS, Topic.NOMINATIONS, Topic.AGENDA_ITEMS, Topic.ACTIONS)


class Decisions:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
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
        risk_assessment: str = "",
    ) -> Made[Decision]:
        """Take a decision about an agenda item's person. ``dissent``: (agency, view) pairs an agency
        asked to be recorded as disagreeing (MAPPA minutes do the same); the decision stands.
        ``risk_assessment``: who made the full assessment of risk a custody de-selection needs first
        (002 item 3), and when."""
        item = self.meetings.item(item_id)
        meeting = self.meetings.get(item.meeting_id)
        if meeting.state is not MeetingState.IN_PROGRESS:
            raise ServiceError(_("Decisions are taken while the meeting is in progress."))
        if item.nominal_id is None:
            raise ServiceError(_("This agenda item is not about a person; record the outcome in its notes."))
        nid = item.nominal_id
        day = meeting.held_on
        authority = authority.strip() or DEFAULT_AUTHORITY
        details: dict[str, Any] = dict(self._details(kind, strand, move_criteria))
        if any(not a.strip() or not v.strip() for a, v in dissent):
            raise ServiceError(_("A recorded dissent needs the agency and its view."))
        if dissent:
            details["dissent"] = [{"agency": a.strip(), "view": v.strip()} for a, v in dissent]
        if outcomes:
            details["outcomes"] = sorted({RemovalOutcome(o).value for o in outcomes})
        if kind is DecisionKind.AMBER and release_on is not None:
            details["release_on"] = release_on.isoformat()
        state = self.people.state(nid)
        if kind is DecisionKind.DESELECT and self._for_custody(nid, state, reason_code):
            if not risk_assessment.strip():
                raise ServiceError(
                    _(
                        "A de-selection of someone in custody is considered only after a full assessment of "
                        "risk by the partner agencies (002 item 3): record who made it, and when."
                    )
                )
            details["risk_assessment"] = risk_assessment.strip()
        placing = strand or state.lead
        who = self.ws.profile().placed_by.get(placing) if placing and kind in PLACING else None
        if who and placing and authority == DEFAULT_AUTHORITY:
            raise ServiceError(
                _(
                    "On this scheme {who} places a person on the {value} list: record who did (Authority)."
                ).format(who=who, value=placing.value)
            )
        snapshot: dict[str, Any] = {}
        held = state.amber.strand if state.amber else None
        decided_strand = strand or state.lead or held
        decided_basis = basis or state.basis
        with self.ws.writing():
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
            self._apply(
                kind,
                nid,
                day,
                strand,
                basis,
                status,
                reason_code,
                authority,
                note,
                release_on,
                outcomes,
                decision_id,
                state,
            )
            if kind is DecisionKind.DESELECT and reason_code == RemovalReason.MOVED_AWAY.value:
                raised = self._inform_receiving_area(nid, meeting.id, day)
                self.ws.audit.record(
                    AuditKind.COLLECTION, "action", raised, "Action raised by the de-selection: inform the "
                    "receiving area's scheme (002 item 2)", at=self.ws.now(), nominal_id=nid,
                )  # fmt: skip
                self.ws.db.table("decisions").update(
                    decision_id, {"undo": json.dumps({**snapshot, "raised_actions": [raised]})}
                )
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
        touched = DECIDED
        return Changes.of(*touched, nominal_id=nid).made(decision)

    def _details(
        self, kind: DecisionKind, strand: Strand | None, move_criteria: tuple[str, ...]
    ) -> dict[str, list[str]]:
        """What the decision was taken on. Moving onto a strand whose profile lists move criteria
        (Thurrock R&R, 000 §5.3) needs at least one of them ticked; they print in the minutes."""
        listed = self.ws.profile().move_criteria.get(strand) if strand else None
        if kind is not DecisionKind.MOVE_STRAND or not listed:
            if move_criteria:
                raise ServiceError(_("Move criteria belong to a move onto a strand that lists them."))
            return {}
        unknown = [c for c in move_criteria if c not in listed]
        if unknown:
            raise ServiceError(_("Not one of the scheme's move criteria: {value}").format(value=unknown[0]))
        if not move_criteria:
            assert strand is not None
            raise ServiceError(
                _("Moving to {value} needs one or more of its move criteria (000 §5.3).").format(
                    value=strand.value
                )
            )
        return {"move_criteria": [c for c in listed if c in move_criteria]}

    def undo(self, decision_id: int) -> Changes:
        """Put the person back exactly as before the decision; only while the meeting is in progress."""
        raw = self.ws.row("decisions", decision_id, "decision")
        decision = rows.decision(raw)
        if decision.undone:
            raise ServiceError(_("That decision has already been undone."))
        meeting = self.meetings.get(decision.meeting_id) if decision.meeting_id else None
        if meeting is None or meeting.state is not MeetingState.IN_PROGRESS:
            raise ServiceError(
                _("Decisions can be undone only until the meeting closes; after that, amend it.")
            )
        later = self.ws.db.execute(
            "SELECT 1 FROM decisions WHERE nominal_id = ? AND id > ? AND undone_at IS NULL",
            [decision.nominal_id, decision_id],
        ).fetchone()
        if later:
            raise ServiceError(_("A later decision about this person stands; undo that one first."))
        snapshot = json.loads(raw["undo"] or "{}")
        with self.ws.writing() as db:
            db.table("decisions").update(
                decision_id, {"undone_at": self.ws.now().isoformat(timespec="seconds")}
            )
            self._restore(decision.nominal_id, snapshot)
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
        touched = DECIDED
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
        outcomes: tuple[RemovalOutcome, ...],
        decision_id: int,
        state: PersonState,
    ) -> None:
        """The decision's events in the person's history (the machine refuses what does not apply)."""
        profile = self.ws.profile()
        people = self.people
        record = functools.partial(
            people.record, nid, on=day, decision_id=decision_id, justification=authority
        )
        if kind is DecisionKind.SELECT:
            if strand is None or basis is None:
                raise ServiceError(_("Selecting needs the strand and the basis (prolific or priority)."))
            if state.stage is Stage.ON:
                assert state.lead is not None
                raise ServiceError(
                    _("This person is already on the scheme ({value}); to change strand, move them.").format(
                        value=state.lead.value
                    )
                )
            chosen = status or Status.OFFENDING_NOT_CJS
            again = " on reconsideration after the amber list" if state.stage is Stage.AMBER else ""
            record(kind=EventKind.SELECTED, strand=strand, basis=basis, status=chosen,
                   summary=f"Selected onto {strand.value} ({basis.value}){again}")  # fmt: skip
        elif kind is DecisionKind.DEFER:
            record(kind=EventKind.DEFERRED, summary="Deferred to the next meeting")
        elif kind is DecisionKind.RETAIN:
            record(kind=EventKind.RETAINED, status=status, summary="Retained")
        elif kind is DecisionKind.MOVE_STRAND:
            if strand is None or strand is state.lead:
                raise ServiceError(_("Moving needs a different strand."))
            record(kind=EventKind.MOVED, strand=strand, basis=basis, status=status,
                   summary=f"Moved to {strand.value}")  # fmt: skip
        elif kind in (DecisionKind.DESELECT, DecisionKind.IOM_COHORT):
            code = RemovalReason.IOM_COHORT.value if kind is DecisionKind.IOM_COHORT else reason_code
            allowed = {r.code.value for r in profile.removal_reasons} | {RemovalReason.IOM_COHORT.value}
            if code not in allowed:
                raise ServiceError(_("De-selection needs one of the scheme's coded reasons."))
            if authority == DEFAULT_AUTHORITY and kind is DecisionKind.DESELECT:
                raise ServiceError(_("A de-selection must record on whose authority it was made."))
            record(kind=EventKind.DESELECTED, reason=code, authority=authority, note=note,
                   outcomes=sorted({RemovalOutcome(o).value for o in outcomes}),
                   summary=f"De-selected: {code}")  # fmt: skip
        elif kind is DecisionKind.AMBER:
            if release_on is None:
                raise ServiceError(_("The amber list needs the expected release date."))
            if release_on <= day:
                raise ServiceError(_("The amber list needs the expected release date (in the future)."))
            record(kind=EventKind.AMBER, release_on=release_on, authority=authority, note=note,
                   summary="Placed on the amber list")  # fmt: skip

    @property
    def people(self) -> PersonHistory:
        return PersonHistory(self.ws)

    def _restore(self, nid: int, snapshot: dict[str, Any]) -> None:
        for action_id in snapshot.get("raised_actions", []):  # kept, closed: it was on the record
            self.ws.db.table("actions").update(action_id, {
                "state": ActionState.NOT_POSSIBLE.value, "closed_on": self.ws.today().isoformat(),
                "outcome": "Not needed: the de-selection that raised it was undone",
            })  # fmt: skip
        self.people.project(nid)

    def _for_custody(self, nid: int, state: PersonState, reason_code: str) -> bool:
        """A de-selection because of custody: the reason says so, or the person is in custody now."""
        return "custody" in reason_code or state.status is Status.CUSTODY

    def _inform_receiving_area(self, nid: int, meeting_id: int, day: dt.date) -> int:
        """002 item 2: de-selected because they moved away, the receiving area's scheme is informed
        (wherever possible), and considers them under its own selection policy. An action, so that
        it is owned, due and followed up."""
        return self.ws.insert("actions", {
            "nominal_id": nid, "meeting_id": meeting_id, "pathway": Pathway.SCHEME.value,
            "description": "Inform the PPO scheme in the receiving area, where possible; it decides on "
                           "selection under its own policy (002 item 2)",
            "agency": "PPO scheme", "owner": "PPO coordinator", "due_on": action_due(day).isoformat(),
            "state": ActionState.OPEN.value, "created_on": self.ws.today().isoformat(),
        })  # fmt: skip
