"""Retention review and erasure (DPA 2018 Part 3: kept no longer than necessary).

People off the scheme — no current strand, no open nomination — whose last removal or nomination
is more than the profile's ``retention_years`` ago are listed for review. Erasing one is a
deliberate act by an administrator, with a reason: everything about the person goes in one
transaction (final score sheets included), their audit entries keep only their digests, the erasure
itself is recorded without any of the erased content, and the WAL is truncated so no copy of the
old pages lingers beside the store (secure_delete zeroes the freed pages inside it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Role
from ppo_desktop.services.workspace import Changes, PermissionDenied, ServiceError, Workspace

# What refers to a person, deleted with them (agenda items are kept, unnamed: the minutes stand).
PERSON_TABLES = ("convictions", "cohort_year_members", "score_sheets", "actions", "person_events",
                 "decisions", "memberships", "nominations", "drafts", "sentences", "case_facts",
                 "access_restrictions", "offences")  # fmt: skip


@dataclass(frozen=True)
class RetentionCase:
    nominal_id: int
    ref: str
    name: str
    last_activity: dt.date
    why: str


class Retention:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def due(self, on: dt.date | None = None) -> list[RetentionCase]:
        years = self.ws.profile().retention_years
        cutoff = (on or self.ws.today()) - relativedelta(years=years)
        rows = self.ws.db.execute(
            """
            SELECT n.id, n.ref, n.family_name, n.given_names,
                   coalesce(nullif(max(
                       coalesce((SELECT max(coalesce(amber_until, removed_on)) FROM memberships m
                                 WHERE m.nominal_id = n.id), ''),
                       coalesce((SELECT max(nominated_on) FROM nominations o WHERE o.nominal_id = n.id), '')
                   ), ''), substr(n.created_at, 1, 10)) AS last
            FROM nominals n
            WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.nominal_id = n.id
                              AND (m.removed_on IS NULL OR (m.amber AND m.amber_until IS NULL)))
              AND NOT EXISTS (SELECT 1 FROM nominations o WHERE o.nominal_id = n.id AND o.state = 'open')
            ORDER BY last
            """
        ).fetchall()
        return [
            RetentionCase(
                r[0],
                r[1],
                f"{r[2].upper()}, {r[3]}",
                dt.date.fromisoformat(r[4]),
                f"off the scheme since {dt.date.fromisoformat(r[4]):%d %b %Y}, over {years} years ago",
            )  # fmt: skip
            for r in rows
            if dt.date.fromisoformat(r[4]) < cutoff
        ]

    def erase(self, nominal_id: int, *, justification: str) -> Changes:
        if self.ws.user.role is not Role.ADMINISTRATOR:
            raise PermissionDenied("Only an administrator erases a record.")
        if not justification.strip():
            raise ServiceError("An erasure needs its reason (e.g. the retention review and who agreed it).")
        if nominal_id not in {c.nominal_id for c in self.due()}:
            raise ServiceError(
                "That person is not due for erasure: they are on the scheme, nominated, or recent."
            )
        with self.ws.writing(Role.ADMINISTRATOR) as db:
            db.execute("INSERT INTO erasing (nominal_id) VALUES (?)", [nominal_id])
            for table in PERSON_TABLES:
                db.execute(f"DELETE FROM {table} WHERE nominal_id = ?", [nominal_id])
            db.execute(
                "UPDATE agenda_items SET nominal_id = NULL, title = '(erased)', notes = '', reasons = '[]' "
                "WHERE nominal_id = ?",
                [nominal_id],
            )
            db.execute("DELETE FROM transfer_origins WHERE entity = 'nominal' AND local_id = ?", [nominal_id])
            db.execute(  # agenda items taken off earlier keep their last values for a transfer: not theirs
                "DELETE FROM sync_graves WHERE json_extract(row, '$.nominal_id') = ?", [nominal_id]
            )
            db.execute("DELETE FROM nominals WHERE id = ?", [nominal_id])
            redacted, older = self.ws.audit.redact(nominal_id)
            self.ws.audit.record(
                AuditKind.ERASURE,
                "nominal",
                nominal_id,
                "Record erased after the retention review",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after={"audit_entries_redacted": redacted, "older_entries_kept": older},
                justification=justification,
            )
            db.execute("DELETE FROM erasing WHERE nominal_id = ?", [nominal_id])
        self.ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = frozenset({"nominals", "memberships", "nominations", "actions", "score_sheets",
                            "agenda_items"})  # fmt: skip
        return Changes(tables, frozenset({nominal_id}))
