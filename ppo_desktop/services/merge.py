"""Merging what arrived in a transfer pack (issue 14): for each record, whether it is new here,
newer than what is here, already here, or changed on both laptops since they last exchanged (a
conflict, put to a person) — worked out a record at a time without writing (``reconcile``), then
written batch by batch with each field's version vector and original author, in the caller's
transaction (``Writing``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlcipher3

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import MeetingState
from ppo_desktop.services.exchange import APPEND_ONLY, DERIVED, LABEL, Exchange
from ppo_desktop.services.workspace import Workspace
from ppo_desktop.transfer import sync
from ppo_desktop.transfer.sync import CREATION, REFERENCES, Author, Order, entity

AUDIT_BATCH = 2000  # combination entries written at a time (a large merge does not hold them all)
PROGRESS_EVERY = 250  # records between two reports of how far a merge has got (each may stop it)


@dataclass(frozen=True)
class Conflict:
    """The same field of the same record changed on both laptops since their last exchange."""

    key: str  # origin|field: how a person's choice names it
    record: str  # e.g. "Membership — FIZZLEWICK, Henrietta"
    field: str
    here: Any
    here_by: Author
    there: Any
    there_by: Author


@dataclass
class Outcome:
    """What merging one record does here."""

    table: str
    uid: str
    local_id: int | None
    create: bool = False
    delete: bool = False
    changes: dict[str, Any] = field(default_factory=dict)  # field → value here (references resolved)
    before: dict[str, Any] = field(default_factory=dict)
    vectors: dict[str, sync.Vector] = field(default_factory=dict)  # field → vector to stamp
    authors: dict[str, Author] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    left_out: str = ""  # why it is not merged (a reference to a record this laptop does not have)
    restored: bool = False  # deleted here, brought back on the other laptop: made again, same id
    in_grave: bool = False  # deleted here: its kept last values are what is merged into

    @property
    def acts(self) -> bool:
        return not self.left_out and (
            self.create or self.delete or self.restored or bool(self.changes) or bool(self.vectors)
        )


class Merge:
    """Reconciling a pack's records with this store, and writing the result."""

    def __init__(self, ws: Workspace, origins: Exchange) -> None:
        self.ws = ws
        self.origins = origins

    def start(self) -> None:
        """Begin reading a pack's records (in the pack's order: a record after those it may refer to)."""
        self._restore: set[tuple[str, int]] = set()
        self._arriving: set[tuple[str, str]] = set()

    def reconcile(
        self,
        record: dict[str, Any],
        people: Mapping[str, int | None],
        resolutions: Mapping[str, str] | None = None,
    ) -> Outcome:
        """What merging ``record`` would do here (nothing is written). ``people`` maps each person's
        origin not yet known here to the local person they are (None: a new person, made at the
        merge). Records are reconciled in the pack's order, each once; ``restoring`` then says
        which records deleted here the ones reconciled since need back."""
        self._arriving.add((record["t"], record["uid"]))
        return self._reconcile_one(record, people, self._arriving, resolutions or {})

    def restoring(self, outcomes: Iterable[Outcome]) -> set[tuple[str, int]]:
        """The records deleted here that ``outcomes`` (reconciled since the last call) depend on, and
        that the pack does not bring back itself: each is brought back before they are written."""
        found = self._restore - {(o.table, o.local_id) for o in outcomes if o.restored}
        self._restore = set()
        return {(t, i) for t, i in found if i is not None}

    def _reconcile_one(
        self,
        record: dict[str, Any],
        people: Mapping[str, int | None],
        arriving: set[tuple[str, str]],
        resolutions: Mapping[str, str],
    ) -> Outcome:
        table, uid = record["t"], record["uid"]
        vectors = {f: dict(v) for f, v in record.get("vv", {}).items()}
        authors = {f: Author.of(a) for f, a in record.get("by", {}).items()}
        local_id = self.origins.local(uid, table)
        if table == "nominals" and local_id is None and uid in people:
            local_id = people[uid]
        out = Outcome(table, uid, local_id)
        here_stamps = self._stamps(table, local_id) if local_id is not None else {}
        row = self._row(table, local_id) if local_id is not None else None
        created_vv = vectors.get(CREATION, {})
        if record.get("deleted"):
            here_created = here_stamps.get(CREATION, ({}, None))[0]
            if row is not None and (why := self._closed_here(table, row)):
                out.left_out = f"not deleted: {why}"
                return out
            if row is not None and sync.compare(here_created, created_vv) is Order.NEWER:
                out.delete, out.before = True, dict(row)
                out.vectors[CREATION] = sync.join(here_created, created_vv)
                out.authors[CREATION] = authors.get(CREATION, Author("", "", ""))
            elif local_id is None and not self._tombstone(uid):
                out.vectors[CREATION] = created_vv  # remembered: an older pack cannot bring it back
            return out
        values = dict(record["v"])
        if row is None and local_id is not None and (grave := self._grave(table, local_id)) is not None:
            # Deleted here; its last values are kept (a grave): changes to it are merged there, and if
            # it was brought back on the other laptop, it comes back here with them.
            row, out.in_grave = grave, True
            here_created = here_stamps.get(CREATION, ({}, None))[0]
            if sync.compare(here_created, created_vv) is not Order.ALREADY_HERE:
                out.restored = True
                out.vectors[CREATION] = sync.join(here_created, created_vv)
                out.authors[CREATION] = authors.get(CREATION, Author("", "", ""))
        if row is None:
            here_created = here_stamps.get(CREATION, ({}, None))[0] if local_id is not None else {}
            tomb = self._tombstone(uid)
            if local_id is not None and sync.compare(here_created, created_vv) is Order.ALREADY_HERE:
                return out  # deleted here, and nothing arrived that brings it back: it stays deleted
            if local_id is None and tomb is not None and sync.includes(tomb, created_vv):
                return out  # its deletion arrived first, and it was not brought back since
            out.restored = local_id is not None  # brought back on the other laptop: back here too
            missing = self._references(table, values, arriving, people)
            if missing:
                out.left_out = missing
                return out
            if why := self._closed_here(table, None, values):
                out.left_out = f"not added: {why}"
                return out
            out.create, out.changes = True, values
            out.vectors = {f: v for f, v in vectors.items()}
            out.authors = authors
            return out
        if table in APPEND_ONLY or (table == "nominals" and uid in people):
            return out  # written once; a person matched here keeps this laptop's details
        closed = self._closed_here(table, row)
        for name, value in values.items():
            here_vv, here_by = here_stamps.get(name, ({}, Author("", "", "")))
            there_vv = vectors.get(name, {})
            order = sync.compare(here_vv, there_vv)
            if order is Order.ALREADY_HERE:
                continue
            here_value = self.origins._outgoing(name, row[name])
            if here_value == value or (order is Order.NEWER and not closed):
                if here_value != value:
                    out.changes[name], out.before[name] = value, here_value
                out.vectors[name] = sync.join(here_vv, there_vv)
                out.authors[name] = authors.get(name, Author("", "", ""))
                continue
            key = f"{uid}|{name}"
            described = self._describe(table, row) + (f" ({closed})" if closed else "")
            conflict = Conflict(key, described, name, here_value, here_by, value,
                                authors.get(name, Author("", "", "")))  # fmt: skip
            choice = resolutions.get(key)
            if choice is None:
                out.conflicts.append(conflict)
                continue
            if choice == "there":
                out.changes[name], out.before[name] = value, here_value
            # the choice is a new change here: -1 stands for this store's tick at the merge
            out.vectors[name] = {**sync.join(here_vv, there_vv), self.origins.store: -1}
            out.authors[name] = Author(self.ws.user.id, self.ws.audit.workstation,
                                       self.ws.now().isoformat(timespec="seconds"))  # fmt: skip
        if out.changes:
            missing = self._references(table, out.changes, arriving, people)
            if missing:
                out.left_out = missing
        return out

    def _closed_here(
        self, table: str, row: Mapping[str, Any] | None, values: Mapping[str, Any] | None = None
    ) -> str:
        """Why a pack may not change this record silently: it is part of a meeting closed here (a
        closed meeting changes only by amendment). A change to it becomes a conflict a person decides;
        an addition to it or a deletion from it is left out. Empty: not closed here."""
        if table == "meetings":
            meeting_id = row["id"] if row is not None else None
        elif table in ("agenda_items", "attendance", "attendance_moves", "decisions"):
            if row is not None:
                meeting_id = row["meeting_id"]
            else:
                ref = (values or {}).get("meeting_id")
                meeting_id = self.origins.local(ref, "meetings") if isinstance(ref, str) else None
        else:
            return ""
        if meeting_id is None:
            return ""
        state = self.ws.db.execute("SELECT state FROM meetings WHERE id = ?", [meeting_id]).fetchone()
        closed = state is not None and state[0] == MeetingState.CLOSED.value
        return "its meeting is closed here: it changes only by amendment" if closed else ""

    def _stamps(self, table: str, local_id: int) -> dict[str, tuple[sync.Vector, Author]]:
        return {
            r["field"]: (sync.parse(r["vv"]), Author(r["user_id"], r["workstation"], r["at"]))
            for r in self.ws.db.query(
                "SELECT field, vv, user_id, workstation, at FROM sync_fields WHERE tbl = ? AND row_id = ?",
                [table, local_id],
            )
        }

    def _row(self, table: str, local_id: int) -> dict[str, Any] | None:
        found = list(self.ws.db.query(f"SELECT * FROM {table} WHERE id = ?", [local_id]))
        return found[0] if found else None

    def _grave(self, table: str, local_id: int) -> dict[str, Any] | None:
        found = self.ws.db.execute(
            "SELECT row FROM sync_graves WHERE tbl = ? AND row_id = ?", [table, local_id]
        ).fetchone()
        return dict(json.loads(found[0])) if found else None

    def _tombstone(self, uid: str) -> sync.Vector | None:
        found = self.ws.db.execute("SELECT vv FROM sync_tombstones WHERE uid = ?", [uid]).fetchone()
        return sync.parse(found[0]) if found else None

    def _references(
        self,
        table: str,
        values: dict[str, Any],
        arriving: set[tuple[str, str]],
        people: Mapping[str, int | None],
    ) -> str:
        """Why ``values`` cannot be written here ("" if they can). A reference this laptop cannot
        follow is dropped where the record may stand without it (a decision whose agenda item was
        taken off the agenda here keeps its meeting); otherwise the record is left out."""
        for name, target in REFERENCES.items():
            ref = values.get(name)
            if ref is None or name not in values:
                continue
            local = self.origins.local(ref, target)
            gone = local is not None and self._row(target, local) is None
            if gone and local is not None and self._grave(target, local):
                self._restore.add((target, local))  # deleted here, needed: it comes back
                continue
            if gone and (target, ref) in arriving:
                continue  # deleted here, brought back by this very pack
            if gone:
                problem = f"it refers to a {LABEL[target].lower()} deleted on this laptop"
            elif local is None and (target, ref) not in arriving and ref not in people:
                problem = f"it refers to a {LABEL[target].lower()} this laptop does not have"
            else:
                continue
            if name not in self.origins.optional[table]:
                return problem
            values[name] = None
        return ""

    def _describe(self, table: str, row: Mapping[str, Any]) -> str:
        """The record as a person recognises it: its kind, and whose or which meeting's it is."""
        label = LABEL[table]
        if table == "nominals":
            return f"{label} — {str(row['family_name']).upper()}, {row['given_names']}"
        if row.get("nominal_id"):
            n = self.ws.row("nominals", row["nominal_id"], "person")
            return f"{label} — {str(n['family_name']).upper()}, {n['given_names']}"
        meeting_id = row["id"] if table == "meetings" else row.get("meeting_id")
        if meeting_id:
            m = self.ws.row("meetings", meeting_id, "meeting")
            return f"{label} — {m['panel']}, {m['held_on']}"
        return label

    def writing(self, sender: str, justification: str) -> Writing:
        """Write what is reconciled, batch by batch, inside the caller's transaction (``Writing``)."""
        return Writing(self, sender, justification)

    def _write(self, o: Outcome, w: Writing) -> None:
        """One outcome written: every written field stamped with its vector and original author."""
        db = self.ws.db
        if not o.acts:
            return
        if o.delete and not self._deletable(o):
            # Records here depend on it: the deletion gives way, and that is a change of ours
            # that travels back, so the other laptop brings it back too.
            assert o.local_id is not None
            self._stamp(o.table, o.local_id, CREATION, {**o.vectors[CREATION], self.origins.store: w.tick},
                        w.tick, w.me)  # fmt: skip
            return
        if o.local_id is None and not o.create:  # a deletion arriving before its record
            db.execute("INSERT OR REPLACE INTO sync_tombstones (uid, vv) VALUES (?, ?)",
                       [o.uid, sync.dump(o.vectors[CREATION])])  # fmt: skip
            return
        if o.in_grave:
            assert o.local_id is not None
            self._merge_into_grave(o)
        elif o.create:
            values = self._local_values(o.table, o.changes)
            if o.restored:
                assert o.local_id is not None
                values["id"] = o.local_id
                self.ws.db.execute("DELETE FROM sync_graves WHERE tbl = ? AND row_id = ?",
                                   [o.table, o.local_id])  # fmt: skip
            if o.table == "nominals":  # each store keeps its own references and times
                from ppo_desktop.services.cases import Cases

                stamp = self.ws.now().isoformat(timespec="seconds")
                values |= {"ref": Cases(self.ws).next_ref(), "created_at": stamp, "updated_at": stamp}
            o.local_id = self._insert(o.table, values)
            if not o.restored:
                self.origins.remember(o.uid, o.table, o.local_id)
        elif o.changes and not o.delete:
            assert o.local_id is not None
            db.table(o.table).update(o.local_id, self._local_values(o.table, o.changes))
        assert o.local_id is not None
        for name, vector in o.vectors.items():
            vector = {s: (w.tick if t == -1 else t) for s, t in vector.items()}
            self._stamp(o.table, o.local_id, name, vector, w.tick, o.authors.get(name, Author("", "", "")))
        if o.create or o.delete or o.restored or o.changes:
            w.written[o.table] = w.written.get(o.table, 0) + 1
            w.entries.append(self._entry(o, w.sender, w.justification))
            if len(w.entries) >= AUDIT_BATCH:  # the entries are not all held at once
                self.ws.audit.record_many(w.entries)
                w.entries = []

    def _stamp(
        self, table: str, row_id: int, name: str, vector: sync.Vector, tick: int, author: Author
    ) -> None:
        self.ws.db.execute(
            "INSERT OR REPLACE INTO sync_fields "
            "(tbl, row_id, field, vv, seq, user_id, workstation, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [table, row_id, name, sync.dump(vector), tick, *author.as_list()],
        )

    def _merge_into_grave(self, o: Outcome) -> None:
        """A record deleted here: what changed on the other laptop is kept with its last values; if
        it was brought back there, it is made again here, with them."""
        assert o.local_id is not None
        grave = self._grave(o.table, o.local_id)
        if grave is None:  # brought back already in this merge (a record here depends on it)
            if o.changes:
                self.ws.db.table(o.table).update(o.local_id, self._local_values(o.table, o.changes))
            return
        grave.update(self._local_values(o.table, o.changes))
        if o.restored:
            self._insert(o.table, grave)
            self.ws.db.execute("DELETE FROM sync_graves WHERE tbl = ? AND row_id = ?", [o.table, o.local_id])
        else:
            self.ws.db.execute(
                "UPDATE sync_graves SET row = ? WHERE tbl = ? AND row_id = ?",
                [json.dumps(grave), o.table, o.local_id],
            )

    def _bring_back(self, table: str, local_id: int, tick: int, me: Author) -> None:
        """A record deleted here that what arrived depends on: made again from its last values; its
        return is a change of ours (it travels, so the other laptop agrees it stands)."""
        row = self._grave(table, local_id)
        assert row is not None
        self._insert(table, row)
        self.ws.db.execute("DELETE FROM sync_graves WHERE tbl = ? AND row_id = ?", [table, local_id])
        here = self._stamps(table, local_id).get(CREATION, ({}, me))[0]
        self._stamp(table, local_id, CREATION, {**here, self.origins.store: tick}, tick, me)
        self.ws.audit.record(
            AuditKind.COMBINATION, entity(table), local_id,
            f"{LABEL[table]} brought back: a record from the other laptop depends on it",
            at=self.ws.now(), nominal_id=row.get("nominal_id"),
        )  # fmt: skip

    def _insert(self, table: str, values: Mapping[str, Any]) -> int:
        """One row, plainly (the values are the store's own types already)."""
        names, marks = ", ".join(values), ", ".join("?" * len(values))
        cursor = self.ws.db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(values.values()))
        return int(cursor.lastrowid or 0)

    def _deletable(self, o: Outcome) -> bool:
        """Whether a record deleted on the other laptop can go here: one that records here still
        refer to (e.g. an undone decision's agenda item) stays, and is said to."""
        assert o.local_id is not None
        self.ws.db.execute("SAVEPOINT deleting")
        try:
            self.ws.db.execute(f"DELETE FROM {o.table} WHERE id = ?", [o.local_id])
        except sqlcipher3.IntegrityError:
            self.ws.db.execute("ROLLBACK TO deleting")
            o.left_out = "records on this laptop still refer to it"
            return False
        finally:
            self.ws.db.execute("RELEASE deleting")
        return True

    def _tick(self) -> int:
        self.ws.db.execute("UPDATE sync_clock SET tick = tick + 1")
        return int(self.ws.db.execute("SELECT tick FROM sync_clock").fetchone()[0])

    def _local_values(self, table: str, values: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for name, value in values.items():
            if name in REFERENCES and value is not None:
                value = self.origins.local(value, REFERENCES[name])
            out[name] = value
        return out

    def _entry(self, o: Outcome, sender: str, justification: str) -> dict[str, Any]:
        verb = (
            "brought back" if o.restored else "created" if o.create else "deleted" if o.delete else "changed"
        )
        latest = max(o.authors.values(), key=lambda a: a.at, default=Author("", "", ""))
        nominal = o.local_id if o.table == "nominals" else self._nominal_of(o)
        fields = "" if o.create or o.delete else f" ({', '.join(sorted(o.changes))})"
        return {
            "kind": AuditKind.COMBINATION,
            "entity": entity(o.table),
            "entity_id": o.local_id,
            # Who did it elsewhere is what the pack says, not what this store saw: said as a claim. The
            # entry itself is this store's (the merging user, this workstation, now).
            "summary": f"Merged from a pack from {sender}: {LABEL[o.table].lower()} {verb}{fields}; "
                       f"the pack says by {latest}",  # fmt: skip
            "at": self.ws.now(),
            "nominal_id": nominal,
            "before": o.before or None,
            "after": {  # a sheet's breakdown is worked out here: its inputs are what the entry keeps
                **{k: v for k, v in o.changes.items() if k not in DERIVED.get(o.table, ())},
                "origin": o.uid,
                "by": {f: str(a) for f, a in o.authors.items()},
            },
            "justification": justification,
        }

    def _nominal_of(self, o: Outcome) -> int | None:
        value = o.changes.get("nominal_id") if o.create else (o.before or {}).get("nominal_id")
        if isinstance(value, str):
            return self.origins.local(value, "nominals")
        if o.local_id is not None and "nominal_id" in self.origins.fields(o.table) and not o.delete:
            found = self.ws.db.execute(
                f"SELECT nominal_id FROM {o.table} WHERE id = ?", [o.local_id]
            ).fetchone()
            return int(found[0]) if found and found[0] is not None else None
        return None


class Writing:
    """A merge being written, a batch of reconciled records at a time (inside the caller's
    transaction, with the change triggers stood aside): records deleted here that a batch needs are
    brought back first; deletions wait for the end, and go dependants first."""

    def __init__(self, merge: Merge, sender: str, justification: str) -> None:
        self.merge, self.sender, self.justification = merge, sender, justification
        ws = merge.ws
        ws.db.execute("UPDATE sync_clock SET applying = 1")
        self.tick = merge._tick()  # one for the whole merge: its records are all "changed here now"
        self.me = Author(ws.user.id, ws.audit.workstation, ws.now().isoformat(timespec="seconds"))
        self.written: dict[str, int] = {}
        self.entries: list[dict[str, Any]] = []
        self.deletions: list[Outcome] = []

    def batch(self, outcomes: list[Outcome], restore: set[tuple[str, int]]) -> None:
        for table, local_id in sorted(restore):  # before what arrived refers to them
            self.merge._bring_back(table, local_id, self.tick, self.me)
        for o in outcomes:
            if o.delete:
                self.deletions.append(o)
            else:
                self.merge._write(o, self)

    def finish(self) -> dict[str, int]:
        """The deletions (a record's dependants before it), the last audit entries; returns how many
        records of each kind were written."""
        for o in reversed(self.deletions):
            self.merge._write(o, self)
        self.merge.ws.db.execute("UPDATE sync_clock SET applying = 0")
        if self.entries:
            self.merge.ws.audit.record_many(self.entries)
        return self.written
