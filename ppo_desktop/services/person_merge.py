"""Two records that are one person, merged (issue 29): everything recorded about the one — their
history, nominations, sentences, score sheets, actions, decisions, agenda items — moves to the other,
by its person column only (final sheets and history events are otherwise untouched: the store's
guards allow that column alone to change, and only inside the merge). The merged record's name is
kept as an alias, its own row kept beside the merge so an administrator can undo it. Both are
audited; the kept person's history is derived again, and any event the two histories cannot share
is set aside and shown on the case's timeline, never lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Role
from ppo_desktop.i18n import _
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.person_history import PersonHistory
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace

# Derived from the history again (the events move): memberships, nominations, sentences, case facts.
DERIVED = frozenset({"memberships", "nominations", "sentences", "case_facts"})
LEFT_ALONE = frozenset({"audit", "erasing", "merging"}) | DERIVED
TOUCHED = frozenset(Topic) - {Topic.AUDIT, Topic.SCORE_DRAFTS, Topic.USERS, Topic.SETTINGS}


@dataclass(frozen=True)
class MergeRecord:
    id: int
    kept_id: int
    merged_id: int
    merged_ref: str
    merged_at: str
    merged_by: str
    undone: bool


class PersonMerge:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def merge(self, kept_id: int, merged_id: int, *, justification: str) -> Changes:
        """``merged_id``'s records become ``kept_id``'s; ``merged_id`` is no longer a person here."""
        self.ws.require("Merging two people", frozenset({Role.ADMINISTRATOR, Role.COORDINATOR}))
        if kept_id == merged_id:
            raise ServiceError(_("Choose two different people to merge."))
        if not justification.strip():
            raise ServiceError(_("A merge needs its reason (why the two records are one person)."))
        kept = self.ws.row("nominals", kept_id, "person")
        merged = self.ws.row("nominals", merged_id, "person")
        with self.ws.writing(Role.ADMINISTRATOR, Role.COORDINATOR) as db:
            db.conn.executemany("INSERT INTO merging (nominal_id) VALUES (?)", [(kept_id,), (merged_id,)])
            moved = self._move(merged_id, kept_id)
            aliases = _aliases(kept, merged)
            db.execute("UPDATE nominals SET aliases = ? WHERE id = ?", [json.dumps(aliases), kept_id])
            for table in sorted(DERIVED):
                db.execute(f"DELETE FROM {table} WHERE nominal_id = ?", [merged_id])
            db.execute("DELETE FROM nominals WHERE id = ?", [merged_id])
            db.execute("DELETE FROM merging")
            merge_id = (
                db.table("person_merges")
                .insert(
                    {
                        "kept_id": kept_id,
                        "merged_id": merged_id,
                        "merged_row": json.dumps(merged),
                        "moved": json.dumps(moved),
                        "merged_at": self.ws.now().isoformat(timespec="seconds"),
                        "merged_by": self.ws.user.id,
                        "justification": justification.strip(),
                    }  # fmt: skip
                )
                .last_pk
            )
            PersonHistory(self.ws).project(kept_id)
            self.ws.audit.record(
                AuditKind.COMBINATION, "nominal", kept_id,
                f"Records of {merged['ref']} merged into {kept['ref']} (one person)", at=self.ws.now(),
                nominal_id=kept_id, before={"merged": merged["ref"]},
                after={"merge": merge_id, "moved": {t: len(ids) for t, ids in moved["moved"].items()},
                       "set_aside": {t: len(rows) for t, rows in moved["set_aside"].items()}},
                justification=justification,
            )  # fmt: skip
        return Changes(TOUCHED, frozenset({kept_id, merged_id}))

    def undo(self, merge_id: int, *, justification: str) -> Changes:
        """Put the merged person back, with exactly the records that moved (an administrator)."""
        self.ws.require("Undoing a merge of two people", frozenset({Role.ADMINISTRATOR}))
        if not justification.strip():
            raise ServiceError(_("Undoing a merge needs its reason."))
        row = self.ws.row("person_merges", merge_id, "merge")
        if row["undone_at"]:
            raise ServiceError(_("That merge has already been undone."))
        merged, moved = json.loads(row["merged_row"]), json.loads(row["moved"])
        kept_id, merged_id = int(row["kept_id"]), int(row["merged_id"])
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            db.table("nominals").insert(merged)
            kept_aliases = [a for a in json.loads(self.ws.row("nominals", kept_id, "person")["aliases"])
                            if a not in _names(merged)]  # fmt: skip
            db.execute("UPDATE nominals SET aliases = ? WHERE id = ?", [json.dumps(kept_aliases), kept_id])
            db.conn.executemany("INSERT INTO merging (nominal_id) VALUES (?)", [(kept_id,), (merged_id,)])
            for table, ids in moved["moved"].items():
                db.conn.executemany(
                    f'UPDATE "{table}" SET nominal_id = ? WHERE rowid = ?', [(merged_id, i) for i in ids]
                )
            for table, rows in moved["set_aside"].items():
                db.table(table).insert_all(rows)
            db.execute("DELETE FROM merging")
            db.execute("UPDATE person_merges SET undone_at = ?, undone_by = ? WHERE id = ?",
                       [self.ws.now().isoformat(timespec="seconds"), self.ws.user.id, merge_id])  # fmt: skip
            people = PersonHistory(self.ws)
            people.project(kept_id)
            people.project(merged_id)
            self.ws.audit.record(
                AuditKind.ALTERATION, "nominal", kept_id, f"Merge undone: {merged['ref']} is a person again",
                at=self.ws.now(), nominal_id=kept_id, after={"merge": merge_id, "restored": merged_id},
                justification=justification,
            )  # fmt: skip
        return Changes(TOUCHED, frozenset({kept_id, merged_id}))

    def merge_by_ref(self, kept_id: int, ref: str, *, justification: str) -> Changes:
        """The record with reference ``ref`` (as the coordinator reads it off the other case) merged
        into ``kept_id``."""
        return self.merge(kept_id, Cases(self.ws).by_ref(ref).id, justification=justification)

    def merges(self) -> list[MergeRecord]:
        return [
            MergeRecord(
                r["id"],
                r["kept_id"],
                r["merged_id"],
                json.loads(r["merged_row"])["ref"],
                r["merged_at"],
                r["merged_by"],
                bool(r["undone_at"]),
            )  # fmt: skip
            for r in self.ws.db.query("SELECT * FROM person_merges ORDER BY id DESC")
        ]

    def _move(self, source: int, target: int) -> dict[str, Any]:
        """Every record naming ``source`` (found from the schema: a table added later is not missed),
        by row. A record the kept person already has its own of (the same fact, the same cohort year)
        is set aside whole in the merge's record, for an undo, and the kept person's stands."""
        moved: dict[str, list[int]] = {}
        aside: dict[str, list[dict[str, Any]]] = {}
        for (table,) in self.ws.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ):
            columns = {c[1] for c in self.ws.db.execute(f'PRAGMA table_info("{table}")')}
            if "nominal_id" not in columns or table in LEFT_ALONE:
                continue
            db, where = self.ws.db, f'FROM "{table}" WHERE nominal_id = ?'
            found = [r[0] for r in db.execute(f"SELECT rowid {where}", [source])]
            db.execute(
                f'UPDATE OR IGNORE "{table}" SET nominal_id = ? WHERE nominal_id = ?', [target, source]
            )
            stayed = list(db.query(f"SELECT rowid AS _rowid, * {where}", [source]))  # the kept has its own
            if stayed:
                aside[table] = [{k: v for k, v in r.items() if k != "_rowid"} for r in stayed]
                db.execute(f"DELETE {where}", [source])
            left = {r["_rowid"] for r in stayed}
            if moved_here := [i for i in found if i not in left]:
                moved[table] = moved_here
        return {"moved": moved, "set_aside": aside}


def _names(person: dict[str, Any]) -> list[str]:
    return [
        f"{person['family_name'].upper()}, {person['given_names']}",
        *json.loads(person["aliases"] or "[]"),
    ]


def _aliases(kept: dict[str, Any], merged: dict[str, Any]) -> list[str]:
    """The kept person's aliases, and the merged record's names they do not already have."""
    own = json.loads(kept["aliases"] or "[]")
    kept_name = f"{kept['family_name'].upper()}, {kept['given_names']}"
    return [*own, *(n for n in _names(merged) if n not in own and n != kept_name)]
