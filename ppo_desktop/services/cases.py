"""Nominals, their strand memberships and the case file: the coordinator's everyday records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import (
    CaseFile,
    CohortRow,
    Nominal,
    Sentence,
)
from ppo_desktop.i18n import _
from ppo_desktop.rules.history import PersonState
from ppo_desktop.services import rows
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.person_history import PersonHistory
from ppo_desktop.services.risk_scores import RiskScores
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace

NOMINAL_FIELDS = (
    "family_name",
    "given_names",
    "aliases",
    "dob",
    "gender",
    "ethnicity",
    "address",
    "pnc_id",
    "cro",
    "area",
)


@dataclass(frozen=True, slots=True)
class NominalDraft:
    """What a person enters to record a new nominal."""

    family_name: str
    given_names: str
    dob: dt.date | None = None
    aliases: tuple[str, ...] = ()
    gender: str = ""
    ethnicity: str = ""
    address: str = ""
    pnc_id: str = ""
    cro: str = ""
    area: str = ""


class Cases:
    """People and their case files; their memberships and custody are services of their own."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.people = PersonHistory(ws)

    # -- nominals ------------------------------------------------------------------------
    def add_nominal(self, draft: NominalDraft, *, justification: str = "") -> Made[Nominal]:
        if not draft.family_name.strip() or not draft.given_names.strip():
            raise ServiceError(_("A nominal needs a family name and given names."))
        values = _nominal_values(draft)
        with self.ws.writing() as db:
            ref = self.next_ref()
            stamp = self.ws.now().isoformat(timespec="seconds")
            db.table("nominals").insert({**values, "ref": ref, "created_at": stamp, "updated_at": stamp})
            nominal_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "nominal",
                nominal_id,
                f"Nominal {ref} recorded",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after=values,
                justification=justification,
            )
        return Changes.of(Topic.NOMINALS, nominal_id=nominal_id).made(self.nominal(nominal_id))

    def update_nominal(self, nominal_id: int, *, justification: str = "", **changes: Any) -> Made[Nominal]:
        unknown = set(changes) - set(NOMINAL_FIELDS)
        if unknown:
            raise ServiceError(_("Unknown nominal field(s): {join}").format(join=", ".join(sorted(unknown))))
        current = self.nominal(nominal_id)
        draft = dataclasses.replace(_draft_of(current), **changes)
        if not draft.family_name.strip() or not draft.given_names.strip():
            raise ServiceError(_("A nominal needs a family name and given names."))
        if draft.dob is not None and draft.dob > self.ws.today():
            raise ServiceError(
                _("A date of birth cannot be after today ({dob:%d %b %Y}).").format(dob=draft.dob)
            )
        new = _nominal_values(draft)
        old = _nominal_values(_draft_of(current))
        before = {k: old[k] for k in new if new[k] != old[k]}
        after = {k: new[k] for k in before}
        if not after:
            return Changes().made(current)
        self._update_nominal(
            nominal_id,
            after,
            before,
            f"Nominal {current.ref} changed: {', '.join(sorted(after))}",
            justification,
        )
        return Changes.of(Topic.NOMINALS, nominal_id=nominal_id).made(self.nominal(nominal_id))

    def _update_nominal(
        self,
        nominal_id: int,
        after: dict[str, Any],
        before: dict[str, Any],
        summary: str,
        justification: str = "",
    ) -> None:
        """One change to a person's record (stamped) and its audit entry, in one transaction."""
        stamp = {"updated_at": self.ws.now().isoformat(timespec="seconds")}
        self._alter("nominal", nominal_id, nominal_id, after, before, summary, justification, stamp)

    def _alter(
        self,
        entity: str,
        row_id: int,
        nominal_id: int,
        after: dict[str, Any],
        before: dict[str, Any],
        summary: str,
        justification: str = "",
        stamp: dict[str, Any] | None = None,
    ) -> None:
        """One change to a person's record or strand membership and its audit entry, in one transaction."""
        with self.ws.writing() as db:
            db.table(f"{entity}s").update(row_id, {**after, **(stamp or {})})
            self.ws.audit.record(
                AuditKind.ALTERATION,
                entity,
                row_id,
                summary,
                at=self.ws.now(),
                nominal_id=nominal_id,
                before=before,
                after=after,
                justification=justification,
            )

    def by_ref(self, ref: str) -> Nominal:
        """The person with reference ``ref`` (as read off a case or a document), or a ServiceError."""
        found = list(self.ws.db.query("SELECT * FROM nominals WHERE ref = ?", [ref.strip().upper()]))
        if not found:
            raise ServiceError(
                _("There is no person with the reference {strip!r}.").format(strip=ref.strip())
            )
        return rows.nominal(found[0])

    def nominal(self, nominal_id: int) -> Nominal:
        return rows.nominal(self.ws.row("nominals", nominal_id, "nominal"))

    # -- strand memberships -------------------------------------------------------------------
    def open_case(self, nominal_id: int, *, purpose: str) -> CaseFile:
        """The whole case for one nominal; opening it is an audited consultation."""
        nominal = self.nominal(nominal_id)
        with self.ws.transaction():
            self.ws.audit.record(
                AuditKind.CONSULTATION,
                "nominal",
                nominal_id,
                f"Case {nominal.ref} opened",
                at=self.ws.now(),
                nominal_id=nominal_id,
                justification=purpose,
            )
        return self.case_file(nominal_id)

    def case_file(self, nominal_id: int) -> CaseFile:
        """Re-read a case already opened (after a change) without another consultation entry."""
        nominal = self.nominal(nominal_id)
        q = self.ws.db.query
        decisions = tuple(
            rows.decision(r)
            for r in q(
                "SELECT * FROM decisions WHERE nominal_id = ? ORDER BY decided_on DESC, id DESC", [nominal_id]
            )
        )
        events = tuple(self.people.events(nominal_id, undone=True))  # read once: the timeline shows all
        return CaseFile(
            nominal=nominal,
            memberships=tuple(
                rows.membership(r)
                for r in q(
                    "SELECT * FROM memberships WHERE nominal_id = ? ORDER BY added_on DESC, id DESC",
                    [nominal_id],
                )
            ),
            nominations=tuple(
                rows.nomination(r)
                for r in q(
                    "SELECT * FROM nominations WHERE nominal_id = ? ORDER BY nominated_on DESC", [nominal_id]
                )
            ),
            actions=tuple(
                rows.action(r)
                for r in q(
                    "SELECT * FROM actions WHERE nominal_id = ? ORDER BY state = 'open' DESC, due_on",
                    [nominal_id],
                )
            ),
            decisions=decisions,
            audit=tuple(self.ws.audit.entries(nominal_id=nominal_id, limit=200)),
            sentences=tuple(Custody(self.ws).sentences(nominal_id)),
            facts=tuple(Custody(self.ws).facts(nominal_id)),
            risk=tuple(str(r) for r in RiskScores(self.ws).latest(nominal_id)),
            state=self.people.state_of(nominal_id, events, (d.id for d in decisions if d.undone)),
            events=events,
        )

    def history(self, nominal_id: int) -> PersonState:
        """The person's state as derived from their history (what the rules count from)."""
        return self.people.state(nominal_id)

    def histories(self, people: Iterable[Nominal]) -> dict[int, PersonState]:
        """Everyone's state at once (one read of the events): the agenda reads the whole cohort."""
        return self.people.states([n.id for n in people])

    def latest_sentences(self) -> dict[int, Sentence]:
        """Each person's latest recorded custodial sentence (by its start)."""
        out: dict[int, Sentence] = {}
        for r in self.ws.db.query("SELECT * FROM sentences ORDER BY starts_on, id"):
            out[r["nominal_id"]] = rows.sentence(r)
        return out

    def cohort(self, *, include_former: bool = True) -> list[CohortRow]:
        """Every nominal with their current lead membership, or their latest membership if removed."""
        # One pass per table (window functions), not a subquery per person: 10,000 people stay quick.
        sql = """
            WITH membership AS (
                SELECT id, nominal_id, ROW_NUMBER() OVER (PARTITION BY nominal_id
                    ORDER BY (removed_on IS NULL) DESC, is_lead DESC, added_on DESC, id DESC) AS rn
                FROM memberships),
            latest AS (
                SELECT nominal_id, total, ROW_NUMBER() OVER (PARTITION BY nominal_id
                    ORDER BY scored_on DESC, id DESC) AS rn
                FROM score_sheets WHERE state = 'final'),
            open_actions AS (
                SELECT nominal_id, count(*) AS n FROM actions WHERE state = 'open' GROUP BY nominal_id)
            SELECT n.*, membership.id AS m_id, coalesce(open_actions.n, 0) AS open_actions,
                   latest.total AS latest_score
            FROM nominals n
            LEFT JOIN membership ON membership.nominal_id = n.id AND membership.rn = 1
            LEFT JOIN latest ON latest.nominal_id = n.id AND latest.rn = 1
            LEFT JOIN open_actions ON open_actions.nominal_id = n.id
            ORDER BY n.family_name, n.given_names
        """
        memberships = {r["id"]: rows.membership(r) for r in self.ws.db.query("SELECT * FROM memberships")}
        out = []
        for r in self.ws.db.query(sql):
            membership = memberships.get(r["m_id"]) if r["m_id"] else None
            if not include_former and (membership is None or not membership.current):
                continue
            out.append(CohortRow(rows.nominal(r), membership, int(r["open_actions"]), r["latest_score"]))
        return out

    def next_ref(self) -> str:
        """The next free reference (N00001, …) for a new person."""
        n = self.ws.db.execute("SELECT count(*) FROM nominals").fetchone()[0] + 1
        while self.ws.db.execute("SELECT 1 FROM nominals WHERE ref = ?", [f"N{n:05d}"]).fetchone():
            n += 1
        return f"N{n:05d}"


def _draft_of(n: Nominal) -> NominalDraft:
    return NominalDraft(
        n.family_name,
        n.given_names,
        n.dob,
        n.aliases,
        n.gender,
        n.ethnicity,
        n.address,
        n.pnc_id,
        n.cro,
        n.area,
    )


def _nominal_values(d: NominalDraft) -> dict[str, Any]:
    return {
        "family_name": d.family_name.strip(),
        "given_names": d.given_names.strip(),
        "aliases": json.dumps(list(d.aliases)),
        "dob": rows.iso(d.dob),
        "gender": d.gender,
        "ethnicity": d.ethnicity,
        "address": d.address,
        "pnc_id": d.pnc_id.strip().upper(),
        "cro": d.cro.strip().upper(),
        "area": d.area,
    }
