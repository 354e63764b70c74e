"""The audit log: append-only, HMAC-chained record of every collection, change, view and disclosure.

DPA 2018 s.62: each entry names the time, the user, the workstation, what was done and why. Each
entry's MAC covers its own fields and the previous entry's MAC, keyed from the store's data key,
so an edited, inserted or deleted row breaks the chain at that point.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from ppo_desktop import clock
from ppo_desktop.domain import AuditEntry

GENESIS = "0" * 64
_EXPIRING = "at < ? AND kind != ? AND v = ? AND digests IS NULL"
AUDIT_RETENTION = "audit"  # an erasure entry about the log itself: after["upto"] explains blanks
VERSION = 2  # entries chained over digests of their content, so the content can be redacted
CONTENT = ("summary", "before", "after", "justification")  # redactable on erasure; digests kept
REDACTED = "(erased after the retention review)"
FIELDS = (
    "seq",
    "at",
    "user_id",
    "workstation",
    "kind",
    "entity",
    "entity_id",
    "nominal_id",
    "summary",
    "before",
    "after",
    "justification",
)


class OutsideTransaction(RuntimeError):
    """A programming error: an audit entry written on its own, where a crash could keep the change and
    lose the entry (or keep an entry for a change that never happened)."""


class AuditKind(StrEnum):
    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"
    SESSION = "session"


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    head: str
    problem: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} entries, head {self.head[:16]}"
        return f"audit chain BROKEN: {self.problem}"


class AuditLog:
    """Appends entries inside the caller's transaction; verifies the whole chain on demand."""

    def __init__(self, db: Database, key: bytes, user_id: str, workstation: str) -> None:
        self._db = db
        self._key = key
        self.user_id = user_id
        self.workstation = workstation

    def record(
        self,
        kind: AuditKind,
        entity: str,
        entity_id: object,
        summary: str,
        *,
        at: dt.datetime | None = None,
        nominal_id: int | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        justification: str = "",
    ) -> int:
        """Append one entry; call inside the transaction that makes the change it describes."""
        return self.record_many(
            [
                {
                    "kind": kind,
                    "entity": entity,
                    "entity_id": entity_id,
                    "summary": summary,
                    "at": at,
                    "nominal_id": nominal_id,
                    "before": before,
                    "after": after,
                    "justification": justification,
                }
            ]
        )

    def record_many(self, entries: list[dict[str, Any]]) -> int:
        """Append many entries at once (imports, synthetic data) inside the caller's transaction.

        Each entry has the ``record`` fields: kind, entity, entity_id, summary and optionally at,
        nominal_id, before, after, justification. Returns the last sequence number.
        """
        if not self._db.conn.in_transaction:  # an entry must commit (or fail) with its change
            raise OutsideTransaction("an audit entry is written inside the transaction of its change")
        end = self.anchor()
        seq, prev = (int(end["seq"]), str(end["mac"])) if end else (0, GENESIS)
        rows = []
        for e in entries:
            seq += 1
            at = e.get("at") or clock.now()
            row: dict[str, Any] = {
                "seq": seq,
                "at": at.isoformat(timespec="seconds"),
                "user_id": self.user_id,
                "workstation": self.workstation,
                "kind": str(e["kind"]),
                "entity": e["entity"],
                "entity_id": None if e.get("entity_id") is None else str(e["entity_id"]),
                "nominal_id": e.get("nominal_id"),
                "summary": e["summary"],
                "before": _json(e.get("before")),
                "after": _json(e.get("after")),
                "justification": e.get("justification", ""),
                "v": VERSION,
            }
            row["mac"] = prev = self._mac(prev, row)
            rows.append(row)
        if rows:  # plainly: the values are the column types already (a merge writes tens of thousands)
            names = list(rows[0])
            self._db.conn.executemany(
                f"INSERT INTO audit ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [[row[n] for n in names] for row in rows],
            )
        return seq

    def verify(self, heard: Callable[[int], None] | None = None) -> ChainReport:
        """The whole chain checked, entry by entry. ``heard`` hears how many have been checked every
        few thousand (and may stop the check by raising)."""
        prev = GENESIS
        expected_seq = 1
        count = 0
        redacted: list[tuple[int, int | None]] = []
        erased: set[int | None] = set()
        expired = 0  # entries up to this number may be blanked by the audit log's own retention
        cursor = self._db.execute(f"SELECT {', '.join(FIELDS)}, v, digests, mac FROM audit ORDER BY seq")
        for values in cursor:
            row = dict(zip((*FIELDS, "v", "digests", "mac"), values, strict=True))
            if heard is not None and count % 5000 == 0:
                heard(count)
            if row["seq"] != expected_seq:
                return ChainReport(
                    False, count, prev, f"entry {expected_seq} is missing (next is {row['seq']})"
                )
            if not hmac.compare_digest(row["mac"], self._mac(prev, row)):
                return ChainReport(False, count, prev, f"entry {row['seq']} has been altered")
            if row["digests"] is not None:  # redacted: blank content only, for a recorded erasure
                blank = (row["summary"], row["before"], row["after"], row["justification"]) == (
                    REDACTED,
                    None,
                    None,
                    "",
                )
                if not blank:
                    return ChainReport(False, count, prev, f"entry {row['seq']} has been altered")
                redacted.append((row["seq"], row["nominal_id"]))
            if row["kind"] == AuditKind.ERASURE.value:
                erased.add(row["nominal_id"])
                if row["entity"] == AUDIT_RETENTION and row["after"]:
                    expired = max(expired, int(json.loads(row["after"]).get("upto", 0)))
            prev = row["mac"]
            expected_seq += 1
            count += 1
        if unexplained := [(seq, n) for seq, n in redacted if n not in erased and seq > expired]:
            seq, nominal = unexplained[0]
            whose = f"about nominal {nominal}" if nominal is not None else f"from {seq}"
            return ChainReport(False, count, prev, f"entries {whose} were blanked without an erasure")
        return ChainReport(True, count, prev)

    def anchor(self) -> dict[str, Any]:
        """Where the chain ends now: recorded at close, checked at the next unlock."""
        row = self._db.execute("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return {"seq": int(row[0]), "mac": str(row[1])} if row else {}

    def check_anchor(self, anchor: dict[str, Any]) -> str:
        """'' if the entry recorded at the last close is still there, unchanged; else the problem."""
        if not anchor:
            return ""
        row = self._db.execute("SELECT mac FROM audit WHERE seq = ?", [anchor["seq"]]).fetchone()
        if row is None:
            return f"audit entries from {anchor['seq']} on are missing (the log was cut short)"
        if row[0] != anchor["mac"]:
            return f"audit entry {anchor['seq']} differs from the one recorded when the store was closed"
        return ""

    def head(self) -> str:
        """The newest entry's MAC: printed in document footers so a copy can be tied to the log."""
        return str(self.anchor().get("mac", GENESIS))

    def closing_head(self, entity: str, entity_id: object, summary: str) -> str:
        """The chain head at the entry recording ``summary`` about a record ('SEQ:MAC…', as the
        minutes print it for ``ppo-admin verify --witness``); '' if this store never recorded it."""
        row = self._db.execute(
            "SELECT seq, mac FROM audit WHERE entity = ? AND entity_id = ? AND summary = ? "
            "ORDER BY seq DESC LIMIT 1",
            [entity, str(entity_id), summary],
        ).fetchone()
        return f"{row[0]}:{row[1][:16]}" if row else ""

    def search(
        self,
        *,
        user_id: str | None = None,
        nominal_id: int | None = None,
        kind: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        """Entries filtered by person, user, kind of action and period, newest first."""
        clauses, params = [], []
        for column, value in (("user_id", user_id), ("nominal_id", nominal_id), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            clauses.append("at >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("at < ?")
            params.append((until + dt.timedelta(days=1)).isoformat())
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = (
            f"SELECT seq, at, user_id, workstation, kind, entity, entity_id, nominal_id, summary, "
            f"justification, before, after FROM audit {where} ORDER BY seq DESC LIMIT ?"
        )
        return [AuditEntry(*r) for r in self._db.execute(sql, [*params, limit]).fetchall()]

    def users(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT user_id FROM audit ORDER BY user_id")]

    def entries(self, *, nominal_id: int | None = None, limit: int = 500) -> list[AuditEntry]:
        return self.search(nominal_id=nominal_id, limit=limit)

    def redact(self, nominal_id: int) -> tuple[int, int]:
        """Blank the content of a person's entries, keeping each one's digests so the chain still
        verifies. Only inside an erasure (the store allows it then, and only then). Returns
        (entries redacted, older entries that cannot be: they were chained over their content)."""
        redacted = self._blank("nominal_id = ? AND v = ? AND digests IS NULL", [nominal_id, VERSION])
        older = self._db.execute(
            "SELECT count(*) FROM audit WHERE nominal_id = ? AND v < ?", [nominal_id, VERSION]
        ).fetchone()[0]
        return redacted, int(older)

    def expiring(self, before: dt.datetime) -> tuple[int, int]:
        """(how many entries, the newest one's number) whose content the audit log's retention would
        blank: written before ``before``, not yet blanked, not an erasure (erasures explain blanks)."""
        sql = f"SELECT count(*), max(seq) FROM audit WHERE {_EXPIRING}"
        count, upto = self._db.execute(sql, self._expiring(before)).fetchone()
        return int(count), int(upto or 0)

    def redact_before(self, before: dt.datetime) -> int:
        """Blank the content of the entries ``expiring`` names (inside an audit retention: the store
        allows it for entries up to the number it is erasing, and only then)."""
        return self._blank(_EXPIRING, self._expiring(before))

    def _expiring(self, before: dt.datetime) -> list[object]:
        return [before.isoformat(timespec="seconds"), AuditKind.ERASURE.value, VERSION]

    def _blank(self, where: str, params: list[object]) -> int:
        redacted = 0
        for seq, *content in self._db.execute(
            f"SELECT seq, {', '.join(CONTENT)} FROM audit WHERE {where}", params
        ).fetchall():
            digests = json.dumps(dict(zip(CONTENT, map(_digest, content), strict=True)))
            self._db.execute(
                "UPDATE audit SET summary = ?, before = NULL, after = NULL, justification = '', digests = ? "
                "WHERE seq = ?",
                [REDACTED, digests, seq],
            )
            redacted += 1
        return redacted

    def _mac(self, prev: str, row: dict[str, Any]) -> str:
        if row.get("v", 1) >= VERSION:
            kept = json.loads(row["digests"]) if row.get("digests") else {}
            fields = [(kept.get(f) or _digest(row[f])) if f in CONTENT else row[f] for f in FIELDS]
        else:  # version 1: chained over the content itself
            fields = [row[f] for f in FIELDS]
        body = json.dumps([prev, *fields], ensure_ascii=False, separators=(",", ":"))
        return hmac.new(self._key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
