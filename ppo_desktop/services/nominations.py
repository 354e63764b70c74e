"""Nominations: any agency may nominate; each records who, when and why (000 §5)."""

from __future__ import annotations

import datetime as dt

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Basis, Nominal, Nomination, NominationState, Strand
from ppo_desktop.services import rows
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace


class Nominations:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def nominate(
        self,
        nominal_id: int,
        *,
        agency: str,
        nominator: str,
        strand: Strand,
        basis: Basis,
        reason: str,
        on: dt.date | None = None,
    ) -> Made[Nomination]:
        if not agency.strip() or not nominator.strip() or not reason.strip():
            raise ServiceError("A nomination needs the agency, the nominator and the reason.")
        values = {
            "nominal_id": nominal_id,
            "agency": agency,
            "nominator": nominator,
            "nominated_on": (on or self.ws.today()).isoformat(),
            "basis": basis.value,
            "strand": strand.value,
            "reason": reason,
            "state": NominationState.OPEN.value,
        }
        with self.ws.writing() as db:
            db.table("nominations").insert(values)
            new_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "nomination",
                new_id,
                f"Nominated for {strand.value} by {agency}",
                at=self.ws.now(),
                nominal_id=nominal_id,
                after=values,
            )
        return Changes.of(Topic.NOMINATIONS, nominal_id=nominal_id).made(self.get(new_id))

    def nominate_new_person(
        self, draft: NominalDraft, *, agency: str, nominator: str, strand: Strand, basis: Basis, reason: str
    ) -> Made[Nominal]:
        """A person not yet on file and their nomination, in one transaction: if the nomination is
        refused, the person is not recorded either."""
        with self.ws.writing():
            first = Cases(self.ws).add_nominal(draft, justification="new nomination")
            nominal = first.record
            second = self.nominate(
                nominal.id, agency=agency, nominator=nominator, strand=strand, basis=basis, reason=reason
            )
        return (first | second).made(nominal)

    def set_state(self, nomination_id: int, state: NominationState, *, justification: str = "") -> Changes:
        current = self.get(nomination_id)
        with self.ws.writing() as db:
            db.table("nominations").update(nomination_id, {"state": state.value})
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "nomination",
                nomination_id,
                f"Nomination {state.value}",
                at=self.ws.now(),
                nominal_id=current.nominal_id,
                before={"state": current.state.value},
                after={"state": state.value},
                justification=justification,
            )
        return Changes.of(Topic.NOMINATIONS, nominal_id=current.nominal_id)

    def get(self, nomination_id: int) -> Nomination:
        return rows.nomination(self.ws.row("nominations", nomination_id, "nomination"))

    def open_nominations(self) -> list[Nomination]:
        return [
            rows.nomination(r)
            for r in self.ws.db.query("SELECT * FROM nominations WHERE state = 'open' ORDER BY nominated_on")
        ]
