"""Nominations: any agency may nominate; each records who, when and why (000 §5)."""

from __future__ import annotations

import datetime as dt

from ppo_desktop.domain import Basis, Nominal, Nomination, NominationState, Strand
from ppo_desktop.i18n import _
from ppo_desktop.rules.history import EventKind
from ppo_desktop.services import rows
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.person_history import PersonHistory
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
            raise ServiceError(_("A nomination needs the agency, the nominator and the reason."))
        day = on or self.ws.today()
        people = self.people
        with self.ws.writing():
            people.record(
                nominal_id, EventKind.NOMINATED, day, strand=strand, basis=basis,
                agency=agency, nominator=nominator, reason=reason,
                summary=f"Nominated for {strand.value} by {agency}",
            )  # fmt: skip
        made = self._by_key(nominal_id, people.last_key)
        return Changes.of(Topic.NOMINATIONS, nominal_id=nominal_id).made(made)

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
        """A nomination declined, withdrawn or open again (a selection settles it by itself)."""
        current = self.ws.row("nominations", nomination_id, "nomination")
        nominal_id = int(current["nominal_id"])
        with self.ws.writing():
            self.people.record(
                nominal_id, EventKind.NOMINATION_SETTLED, self.ws.today(), nomination=current["event_key"],
                state=state.value, summary=f"Nomination {state.value}", justification=justification,
            )  # fmt: skip
        return Changes.of(Topic.NOMINATIONS, nominal_id=nominal_id)

    @property
    def people(self) -> PersonHistory:
        return PersonHistory(self.ws)

    def _by_key(self, nominal_id: int, key: str) -> Nomination:
        found = self.ws.db.execute(
            "SELECT id FROM nominations WHERE nominal_id = ? AND event_key = ?", [nominal_id, key]
        ).fetchone()
        return self.get(int(found[0]))

    def get(self, nomination_id: int) -> Nomination:
        return rows.nomination(self.ws.row("nominations", nomination_id, "nomination"))

    def open_nominations(self) -> list[Nomination]:
        return [
            rows.nomination(r)
            for r in self.ws.db.query("SELECT * FROM nominations WHERE state = 'open' ORDER BY nominated_on")
        ]
