"""What one store sends a partner, and how what arrives is merged (issue 14: changes travel).

Records are named across stores by their origin (``store:entity:id``, kept in ``transfer_origins``).
A record travels whole: each field's value with its version vector and last author (see
``transfer.sync``), foreign keys as origins. Reading a pack's records against this store gives,
record by record, an ``Outcome``: what would be created, changed or deleted, and the conflicts
(the same field changed on both laptops since they last exchanged) — nothing is written until a
person has picked a side for each conflict; ``Writing`` then writes it, batch by batch, stamped, in
the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ppo_desktop.audit import REDACTED, AuditKind
from ppo_desktop.services.workspace import Workspace
from ppo_desktop.transfer.sync import CREATION, REFERENCES, TABLES, Author, entity

MEETING_PARTS = ("attendance", "attendance_moves", "agenda_items", "meeting_amendments", "decisions")
DERIVED = {"score_sheets": frozenset({"breakdown"})}
APPEND_ONLY = frozenset({"score_sheets", "meeting_amendments", "person_events"})  # never changed once written
KNOWN_AT_MOST = 50_000  # origins remembered while a pack is read (a few MB), then forgotten and read again
LABEL = {"nominals": "Person", "meetings": "Meeting", "agenda_items": "Agenda item",
         "score_sheets": "Score sheet",
         "attendance": "Attendance", "attendance_moves": "Coming or going", "actions": "Action",
         "decisions": "Decision",
         "meeting_amendments": "Amendment", "person_events": "History event"}  # fmt: skip


class Exchange:
    """Reading a store's records as they travel, and merging what arrived."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.store = ws.vault.store_id
        self._known: dict[str, int | None] | None = None  # origins looked up, while a pack is read
        self._fields = {t: self._columns(t) for t in TABLES}
        self.optional = {  # the references a record may do without
            t: {c.name for c in ws.db[t].columns if c.name in REFERENCES and not c.notnull} for t in TABLES
        }

    def fields(self, table: str) -> frozenset[str]:
        """The fields a record of ``table`` travels with (a score sheet's breakdown is worked out
        again from its inputs on arrival: it is most of a sheet's size, and derived)."""
        return self._fields[table] - DERIVED.get(table, frozenset())

    def _columns(self, table: str) -> frozenset[str]:
        from db.migrations import UNTRACKED_COLUMNS

        return frozenset(c.name for c in self.ws.db[table].columns) - UNTRACKED_COLUMNS

    # -- origins -------------------------------------------------------------------------------
    def uid(self, table: str, local_id: int) -> str:
        found = self.ws.db.execute(
            "SELECT uid FROM transfer_origins WHERE entity = ? AND local_id = ?", [entity(table), local_id]
        ).fetchone()
        return str(found[0]) if found else f"{self.store}:{entity(table)}:{local_id}"

    def local(self, uid: str, table: str) -> int | None:
        if uid.startswith(f"{self.store}:{entity(table)}:"):
            return int(uid.rsplit(":", 1)[1])  # it came from this very store
        if self._known is not None and uid in self._known:
            return self._known[uid]
        found = self.ws.db.execute("SELECT local_id FROM transfer_origins WHERE uid = ?", [uid]).fetchone()
        local = int(found[0]) if found else None
        if self._known is not None:
            if len(self._known) >= KNOWN_AT_MOST:
                self._known.clear()
            self._known[uid] = local
        return local

    def remember(self, uid: str, table: str, local_id: int) -> None:
        if uid.startswith(f"{self.store}:"):
            return  # made here: its origin is its own id
        self.ws.db.execute(
            "INSERT OR IGNORE INTO transfer_origins (uid, entity, local_id) VALUES (?, ?, ?)",
            [uid, entity(table), local_id],
        )
        if self._known is not None and self._known.get(uid) is None:  # as the insert: a known one stays
            self._known[uid] = local_id

    @contextmanager
    def remembering(self) -> Iterator[None]:
        """Origins looked up once while a pack is read (its records name the same people and meetings
        again and again); only this Exchange writes origins meanwhile, and ``remember`` keeps up."""
        self._known = {}
        try:
            yield
        finally:
            self._known = None

    # -- reading records to send ---------------------------------------------------------------
    def scope(self, nominal_ids: Iterable[int], meeting_ids: Iterable[int]) -> set[tuple[str, int]]:
        """The records of these people (final score sheets only) and of these meetings."""
        ids = sorted(set(nominal_ids))
        found: set[tuple[str, int]] = {("nominals", i) for i in ids}
        marks = ",".join("?" * len(ids))
        for table in TABLES:
            if "nominal_id" in self.fields(table) and ids:
                final = " AND state = 'final'" if table == "score_sheets" else ""
                for (row_id,) in self.ws.db.execute(
                    f"SELECT id FROM {table} WHERE nominal_id IN ({marks}){final}", ids
                ):
                    found.add((table, row_id))
        for meeting_id in sorted(set(meeting_ids)):
            found.add(("meetings", meeting_id))
            for table in MEETING_PARTS:
                rows = self.ws.db.execute(f"SELECT id FROM {table} WHERE meeting_id = ?", [meeting_id])
                found |= {(table, row_id) for (row_id,) in rows}
        return found

    def records(self, keys: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
        """Each record as it travels: values, references as origins, a vector and author per field;
        a record deleted here travels as its deletion."""
        out = []
        by_table: dict[str, list[int]] = {}
        for table, row_id in keys:
            by_table.setdefault(table, []).append(row_id)
        for table in TABLES:
            for chunk in _chunks(sorted(by_table.get(table, []))):
                marks = ",".join("?" * len(chunk))
                rows = {
                    r["id"]: r
                    for r in self.ws.db.query(f"SELECT * FROM {table} WHERE id IN ({marks})", chunk)
                }
                stamps: dict[int, dict[str, tuple[str, Author]]] = {}
                for s in self.ws.db.query(
                    f"SELECT row_id, field, vv, user_id, workstation, at FROM sync_fields "
                    f"WHERE tbl = ? AND row_id IN ({marks})",
                    [table, *chunk],
                ):
                    author = Author(s["user_id"], s["workstation"], s["at"])
                    stamps.setdefault(s["row_id"], {})[s["field"]] = (s["vv"], author)
                for row_id in chunk:
                    row, stamp = rows.get(row_id), stamps.get(row_id, {})
                    if row is None and CREATION not in stamp:
                        continue  # never here (a stale choice): nothing to say about it
                    if table == "score_sheets" and row is not None and row["state"] != "final":
                        continue  # a draft stays on the laptop it is typed on
                    record: dict[str, Any] = {"t": table, "uid": self.uid(table, row_id)}
                    travels = self.fields(table) | {CREATION}
                    record["vv"] = {f: json.loads(v) for f, (v, _a) in stamp.items() if f in travels}
                    record["by"] = {f: a.as_list() for f, (_v, a) in stamp.items() if f in travels}
                    if row is None:
                        record["deleted"] = True
                    else:
                        record["v"] = {f: self._outgoing(f, row[f]) for f in sorted(self.fields(table))}
                    out.append(record)
        return out

    def _outgoing(self, name: str, value: Any) -> Any:
        if name in REFERENCES and value is not None:
            return self.uid(REFERENCES[name], int(value))
        return value

    def changed_since(self, partner: str, acked: int) -> set[tuple[str, int]]:
        """Records exchanged with ``partner`` that changed here after what it acknowledged, or that
        it has not acknowledged receiving."""
        found = {
            (r[0], int(r[1]))
            for r in self.ws.db.execute(
                "SELECT s.tbl, s.row_id FROM sync_shared s WHERE s.partner = ? AND (s.upto > ? OR EXISTS "
                "(SELECT 1 FROM sync_fields f WHERE f.tbl = s.tbl AND f.row_id = s.row_id AND f.seq > ?))",
                [partner, acked, acked],
            )
        }
        return found

    def known_to(self, partner: str) -> set[tuple[str, int]]:
        return {
            (r[0], int(r[1]))
            for r in self.ws.db.execute("SELECT tbl, row_id FROM sync_shared WHERE partner = ?", [partner])
        }

    # -- disclosures -------------------------------------------------------------------------
    def disclosures(self, nominal_ids: Iterable[int]) -> list[dict[str, Any]]:
        """Projections to a meeting room of these people, made on this laptop or merged into it."""
        ids = sorted(set(nominal_ids))
        out = []
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for r in self.ws.db.query(
                "SELECT seq, at, user_id, workstation, entity_id, nominal_id, summary, after, justification "
                "FROM audit WHERE kind = 'disclosure' AND entity = 'agenda_item' "
                f"AND nominal_id IN ({marks})",
                chunk,
            ):
                if r["summary"] == REDACTED:
                    continue
                after = json.loads(r["after"] or "{}")
                out.append({
                    "uid": after.get("origin") or f"{self.store}:disclosure:{r['seq']}",
                    "at": after.get("original_at") or r["at"],
                    "user": after.get("original_user") or r["user_id"],
                    "workstation": after.get("original_workstation") or r["workstation"],
                    "person": self.uid("nominals", r["nominal_id"]),
                    "summary": r["summary"], "recipient": str(after.get("recipient", "")),
                    "justification": r["justification"],
                })  # fmt: skip
        return out

    def merge_disclosures(self, disclosures: list[dict[str, Any]], sender: str) -> int:
        """Each projection made elsewhere, appended here once, naming who, where and when."""
        entries = []
        for d in disclosures:
            if d["uid"].startswith(f"{self.store}:") or self.local(d["uid"], "disclosure") is not None:
                continue
            nominal = self.local(d["person"], "nominals")
            if nominal is None:
                continue
            self.remember(d["uid"], "disclosure", 0)
            entries.append({
                "kind": AuditKind.DISCLOSURE, "entity": "agenda_item", "entity_id": None,
                "summary": f"A pack from {sender} says: {d['summary']} "  # a claim (this store records it)
                           f"(on {d['workstation']} by {d['user']}, {d['at']})",
                "at": self.ws.now(), "nominal_id": nominal, "justification": d["justification"],
                "after": {"recipient": d["recipient"], "origin": d["uid"], "original_at": d["at"],
                          "original_user": d["user"], "original_workstation": d["workstation"]},
            })  # fmt: skip
        if entries:
            self.ws.audit.record_many(entries)
        return len(entries)

    # -- partners ----------------------------------------------------------------------------
    def partner(self, store: str) -> dict[str, Any] | None:
        found = list(self.ws.db.query("SELECT * FROM sync_partners WHERE store = ?", [store]))
        return found[0] if found else None

    def partners(self) -> list[dict[str, Any]]:
        return list(
            self.ws.db.query("SELECT * FROM sync_partners ORDER BY coalesce(received_at, sent_at) DESC")
        )

    def tick(self) -> int:
        return int(self.ws.db.execute("SELECT tick FROM sync_clock").fetchone()[0])

    def sent(self, partner: str, keys: Iterable[tuple[str, int]], upto: int) -> None:
        self.ws.db.execute(
            "INSERT INTO sync_partners (store, sent_at) VALUES (?, ?) "
            "ON CONFLICT (store) DO UPDATE SET sent_at = excluded.sent_at",
            [partner, self.ws.now().isoformat(timespec="seconds")],
        )
        self.ws.db.conn.executemany(
            "INSERT OR REPLACE INTO sync_shared (partner, tbl, row_id, upto) VALUES (?, ?, ?, ?)",
            [(partner, t, i, upto) for t, i in keys],
        )

    def received(
        self, partner: str, label: str, upto: int, ack: int | None, merged: Iterable[tuple[str, int]]
    ) -> None:
        """What ``partner`` sent (the records merged are shared with it now) and what it says it has
        of ours (``ack``: the newest of our packs it has merged)."""
        self.ws.db.execute(
            "INSERT INTO sync_partners (store, label, received, acked, received_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (store) DO UPDATE SET label = excluded.label, "
            "received = max(received, excluded.received), acked = max(acked, excluded.acked), "
            "received_at = excluded.received_at",
            [partner, label, upto, ack or 0, self.ws.now().isoformat(timespec="seconds")],
        )
        self.ws.db.conn.executemany(
            "INSERT INTO sync_shared (partner, tbl, row_id, upto) VALUES (?, ?, ?, 0) "
            "ON CONFLICT (partner, tbl, row_id) DO NOTHING",
            [(partner, table, row_id) for table, row_id in merged],
        )


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
