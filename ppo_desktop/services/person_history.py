"""A person's history: recording events (checked against the machine in ``rules/history.py``) and
the one projection that writes what is derived from them — strand memberships, nominations,
sentences and case facts — so lists, pools and reports read them quickly. Nothing else writes
those tables."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Basis, CaseFact, Membership, Nomination, Sentence, Status, Strand
from ppo_desktop.i18n import _
from ppo_desktop.rules import history
from ppo_desktop.rules.history import Event, EventKind, PersonState, Refused
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import ServiceError, Workspace

LIVE = "(e.decision_id IS NULL OR e.decision_id IN (SELECT id FROM decisions WHERE undone_at IS NULL))"


# The events that put a person on a list (or nominate them for one): only the scheme's own lists.
ONTO_A_LIST = frozenset({EventKind.NOMINATED, EventKind.SELECTED, EventKind.MOVED, EventKind.PARALLEL})


class PersonHistory:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.last_key = ""  # the key of the last event this recorded

    # -- reading ---------------------------------------------------------------------------
    def events(self, nominal_id: int, *, undone: bool = False) -> list[Event]:
        """The person's events in order (those of undone decisions left out unless ``undone``)."""
        live = "" if undone else f" AND {LIVE}"
        found = self.ws.db.query(
            f"SELECT e.* FROM person_events e WHERE e.nominal_id = ?{live}", [nominal_id]
        )
        return sorted((event(r) for r in found), key=lambda e: e.order)

    def state(self, nominal_id: int) -> PersonState:
        return self._derive(nominal_id, self.events(nominal_id))

    def state_of(self, nominal_id: int, events: Iterable[Event], undone: Iterable[int]) -> PersonState:
        """The state from events already read (all of them), leaving out those of ``undone`` decisions."""
        return self._derive(nominal_id, _live(events, undone))

    def _undone(self, nominal_id: int) -> set[int]:
        found = self.ws.db.execute(
            "SELECT id FROM decisions WHERE nominal_id = ? AND undone_at IS NOT NULL", [nominal_id]
        )
        return {int(r[0]) for r in found}

    def states(self, nominal_ids: Iterable[int] | None = None) -> dict[int, PersonState]:
        """Everyone's state (or these people's), from one read of the events."""
        wanted = None if nominal_ids is None else sorted(set(nominal_ids))
        by_person: dict[int, list[Event]] = {}
        chunks = [None] if wanted is None else [wanted[i : i + 500] for i in range(0, len(wanted), 500)]
        for chunk in chunks:  # these people's events only (a merge of a few in a large store)
            among = "" if chunk is None else f" AND e.nominal_id IN ({','.join('?' * len(chunk))})"
            for r in self.ws.db.query(f"SELECT e.* FROM person_events e WHERE {LIVE}{among}", chunk or []):
                by_person.setdefault(r["nominal_id"], []).append(event(r))
        ids = set(wanted) if wanted is not None else set(by_person)
        rules = self._rules()  # read once for everyone (it was a settings query per person)
        return {nid: history.derive(by_person.get(nid, []), nominal_id=nid, **rules) for nid in ids}

    def _derive(self, nominal_id: int, events: Iterable[Event]) -> PersonState:
        return history.derive(events, nominal_id=nominal_id, **self._rules())

    def _rules(self) -> dict[str, Any]:
        profile = self.ws.profile()
        return {"review_months": profile.review_months,
                "reconsider_months": profile.reconsider_months_before_release}  # fmt: skip

    # -- recording -------------------------------------------------------------------------
    def record(
        self,
        nominal_id: int,
        kind: EventKind,
        on: dt.date,
        *,
        strand: Strand | None = None,
        basis: Basis | None = None,
        status: Status | None = None,
        decision_id: int | None = None,
        summary: str = "",
        justification: str = "",
        **details: Any,
    ) -> PersonState:
        """Record one event (in the caller's transaction, or its own) and derive the person again.
        Refused, with the machine's sentence, if their history does not allow it."""
        if on > self.ws.today() and decision_id is None:  # a decision is dated by its meeting
            raise ServiceError(_("An event in a person's history cannot be in the future."))
        runs = self.ws.profile().strands
        if kind in ONTO_A_LIST and strand is not None and strand not in runs:
            raise ServiceError(
                _("{value} is not a list this scheme runs ({join}).").format(
                    value=strand.value, join=", ".join(s.value for s in runs)
                )
            )
        clean = {k: _plain(v) for k, v in details.items() if v not in (None, "", (), [])}
        known = self.events(nominal_id, undone=True)
        live = _live(known, self._undone(nominal_id))
        key = f"{len(known) + 1:06d}-{uuid.uuid4().hex}"  # recorded in the same second: in this order
        new = Event(
            kind, on, key, self.ws.now().isoformat(timespec="seconds"), self.ws.user.id,
            strand, basis, status, decision_id, clean,
        )  # fmt: skip
        try:
            state = history.check(live, new, nominal_id=nominal_id, **self._rules())
        except Refused as exc:
            raise ServiceError(str(exc)) from None
        values = {
            "nominal_id": nominal_id, "key": new.key, "kind": kind.value, "occurred_on": on.isoformat(),
            "recorded_at": new.recorded_at, "recorded_by": new.recorded_by,
            "strand": strand.value if strand else None, "basis": basis.value if basis else None,
            "status": status.value if status else None, "decision_id": decision_id,
            "details": json.dumps(clean, sort_keys=True),
        }  # fmt: skip
        with self.ws.writing():
            event_id = self.ws.insert("person_events", values)
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "person_event",
                event_id,
                summary or f"{kind.label} ({on:%d %b %Y})",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after={k: v for k, v in values.items() if k not in ("nominal_id", "key")},
                justification=justification,
            )
            self.project(nominal_id, state)
        self.last_key = new.key
        return state

    # -- the projection --------------------------------------------------------------------
    def project(self, nominal_id: int, state: PersonState | None = None) -> None:
        """Write the person's memberships as derived (inside the caller's transaction): the only writer
        of ``memberships``. A membership keeps its id while its strand and start stay the same."""
        state = state or self.state(nominal_id)
        db = self.ws.db
        old = {(r["strand"], r["added_on"]): r for r in db.query(
            "SELECT * FROM memberships WHERE nominal_id = ? ORDER BY id", [nominal_id])}  # fmt: skip
        kept: set[int] = set()
        for s in state.memberships:
            values = _membership_values(s)
            found = old.get((values["strand"], values["added_on"]))
            if found is not None and found["id"] not in kept:
                kept.add(found["id"])
                if any(found[k] != v for k, v in values.items()):
                    db.table("memberships").update(found["id"], values)
            else:
                db.table("memberships").insert({"nominal_id": nominal_id, **values})
        for r in old.values():
            if r["id"] not in kept:
                db.execute("DELETE FROM memberships WHERE id = ?", [r["id"]])
        self._write(
            "nominations", "event_key", nominal_id, {k: _nomination_values(n) for k, n in state.nominations}
        )
        self._write(
            "sentences", "event_key", nominal_id, {k: _sentence_values(v) for k, v in state.sentences}
        )
        self._write("case_facts", "fact", nominal_id, {f.fact: _fact_values(f) for f in state.facts})

    def _write(self, table: str, key: str, nominal_id: int, wanted: Mapping[str, dict[str, Any]]) -> None:
        """``table``'s rows for the person made what ``wanted`` says (by ``key``): a row that is
        already right is left alone, so it keeps its id."""
        db = self.ws.db
        old = {r[key]: r for r in db.query(f"SELECT * FROM {table} WHERE nominal_id = ?", [nominal_id])}
        for k, values in wanted.items():
            found = old.pop(k, None)
            if found is None:
                db.table(table).insert({"nominal_id": nominal_id, key: k, **values})
            elif any(found[c] != v for c, v in values.items()):
                db.execute(
                    f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)} "
                    f"WHERE nominal_id = ? AND {key} = ?",
                    [*values.values(), nominal_id, k],
                )
        for k in old:
            db.execute(f"DELETE FROM {table} WHERE nominal_id = ? AND {key} IS ?", [nominal_id, k])

    def project_many(self, nominal_ids: Iterable[int]) -> None:
        """These people's memberships derived again from one read of their events (a merge)."""
        for nid, state in self.states(nominal_ids).items():
            self.project(nid, state)

    def project_everyone(self) -> int:
        """Derive every person's memberships again (after the schema step, or a merge of many)."""
        states = self.states()
        with self.ws.transaction():
            for nid in {r["nominal_id"] for r in self.ws.db.query("SELECT nominal_id FROM memberships")}:
                states.setdefault(nid, PersonState())
            for nid, state in states.items():
                self.project(nid, state)
        return len(states)

    def derive_pending(self) -> None:
        """The first unlock after the schema step that turned memberships into events derives everything
        from the events once, and says so in the audit log."""
        if self.ws.setting("history.derive", "") != "1":
            return
        with self.ws.transaction() as db:
            count = self.project_everyone()
            db.execute("DELETE FROM settings WHERE key = 'history.derive'")
            self.ws.audit.record(
                AuditKind.ALTERATION, "store", self.ws.vault.store_id,
                f"Strand memberships derived again from {count} people's histories (schema upgrade)",
                at=self.ws.now(),
            )  # fmt: skip


def event(r: Mapping[str, Any]) -> Event:
    return Event(
        kind=EventKind(r["kind"]),
        on=dt.date.fromisoformat(r["occurred_on"]),
        key=r["key"],
        recorded_at=r["recorded_at"],
        recorded_by=r["recorded_by"],
        strand=Strand(r["strand"]) if r["strand"] else None,
        basis=Basis(r["basis"]) if r["basis"] else None,
        status=Status(r["status"]) if r["status"] else None,
        decision_id=r["decision_id"],
        details=json.loads(r["details"] or "{}"),
    )


def _live(events: Iterable[Event], undone: Iterable[int]) -> list[Event]:
    gone = set(undone)
    return [e for e in events if e.decision_id is None or e.decision_id not in gone]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        return sorted(str(v) for v in value)
    return value


def _nomination_values(n: Nomination) -> dict[str, Any]:
    return {"agency": n.agency, "nominator": n.nominator, "nominated_on": n.nominated_on.isoformat(),
            "basis": n.basis.value, "strand": n.strand.value, "reason": n.reason,
            "state": n.state.value}  # fmt: skip


def _sentence_values(s: Sentence) -> dict[str, Any]:
    return {"starts_on": s.starts_on.isoformat(), "length_years": s.length_years,
            "length_months": s.length_months, "length_days": s.length_days, "ends_on": rows.iso(s.ends_on),
            "no_fixed_term": int(s.no_fixed_term),
            "release_on": rows.iso(s.release_on), "secure_hospital": int(s.secure_hospital),
            "recorded_on": rows.iso(s.recorded_on or s.starts_on), "note": s.note}  # fmt: skip


def _fact_values(f: CaseFact) -> dict[str, Any]:
    return {
        "value": json.dumps(f.value),
        "recorded_on": f.recorded_on.isoformat(),
        "recorded_by": f.recorded_by,
    }


def _membership_values(s: Membership) -> dict[str, Any]:
    return {
        "strand": s.strand.value, "basis": s.basis.value, "is_lead": int(s.is_lead), "status": s.status.value,
        "added_on": s.added_on.isoformat(), "next_review_on": rows.iso(s.next_review_on),
        "custody_on": rows.iso(s.custody_on), "release_on": rows.iso(s.release_on), "amber": int(s.amber),
        "amber_on": rows.iso(s.amber_on), "removed_on": rows.iso(s.removed_on),
        "removal_reason": s.removal_reason.value if s.removal_reason else None,
        "removal_note": s.removal_note, "removal_authority": s.removal_authority,
        "removal_outcomes": json.dumps(sorted(o.value for o in s.removal_outcomes)),
        "scheme_since": rows.iso(s.scheme_since), "amber_until": rows.iso(s.amber_until),
    }  # fmt: skip
