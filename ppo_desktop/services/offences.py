"""Offences, recorded once with their date, category, outcome and victims; the IOM selection score
(recency, frequency, gravity, victims) is computed from them "as at" any date (``scoring/rfg.py``),
for one person with its explanation, or for everyone at once for a pool."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Membership, Nominal
from ppo_desktop.i18n import _
from ppo_desktop.scoring.rfg import Offence, RfgDefinition, RfgScore, score_as_at, shipped
from ppo_desktop.services import rows
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace

OUTCOMES = ("convicted", "charged", "cautioned", "suspected", "no-further-action")
DEFAULT_SCORES = "rfgv-example"
COLUMNS = "offence_on, category, outcome, victims, code"


def _offence(on: str, category: str, outcome: str, victims: int, code: str) -> Offence:
    return Offence(dt.date.fromisoformat(on), category, outcome, victims, code)


class Offences:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def definition(self) -> RfgDefinition:
        """The scores definition the partnership chose in its settings (the shipped example until then)."""
        chosen = self.ws.setting("iom_scores", DEFAULT_SCORES)
        try:
            return shipped()[chosen]
        except KeyError:
            raise ServiceError(_("No scores definition {chosen!r}.").format(chosen=chosen)) from None

    def record(
        self, nominal_id: int, *, on: dt.date, category: str, outcome: str, victims: int = 0, code: str = "",
        source: str = "",
    ) -> Changes:  # fmt: skip
        if outcome not in OUTCOMES:
            raise ServiceError(_("The outcome must be one of: {join}.").format(join=", ".join(OUTCOMES)))
        if not category.strip():
            raise ServiceError(_("An offence needs its category (e.g. burglary)."))
        if on > self.ws.today():
            raise ServiceError(_("An offence cannot be dated in the future."))
        if victims < 0:
            raise ServiceError(_("The number of victims cannot be negative."))
        self.ws.row("nominals", nominal_id, "person")
        values = {"nominal_id": nominal_id, "offence_on": on.isoformat(),
                  "category": category.strip().lower(), "outcome": outcome, "victims": victims,
                  "code": code.strip(), "source": source.strip(),
                  "recorded_on": self.ws.today().isoformat()}  # fmt: skip
        with self.ws.writing():
            new_id = self.ws.insert("offences", values)
            self.ws.audit.record(AuditKind.COLLECTION, "offence", new_id,
                                 f"Offence recorded: {values['category']}", at=self.ws.now(),
                                 nominal_id=nominal_id, after=values)  # fmt: skip
        return Changes.of(Topic.OFFENCES, nominal_id=nominal_id)

    def of(self, nominal_id: int) -> list[Offence]:
        sql = f"SELECT {COLUMNS} FROM offences WHERE nominal_id = ? ORDER BY offence_on"
        return [_offence(*r) for r in self.ws.db.execute(sql, [nominal_id])]

    def by_person(self, upto: dt.date = dt.date.max) -> dict[int, list[Offence]]:
        """Everyone's offences up to a day, oldest first, from one read of the table."""
        found: dict[int, list[Offence]] = {}
        sql = f"SELECT nominal_id, {COLUMNS} FROM offences WHERE offence_on <= ? ORDER BY offence_on"
        for nid, *fields in self.ws.db.execute(sql, [upto.isoformat()]):
            found.setdefault(nid, []).append(_offence(*fields))
        return found

    def score(self, nominal_id: int, day: dt.date) -> RfgScore:
        return score_as_at(self.definition(), self.of(nominal_id), day)

    def progress(self, nominal_id: int, stints: Iterable[Membership]) -> dict[int, tuple[int, int]]:
        """Each stint on a list (membership id) → the IOM score the day it began and the day it ended
        (or today), from one read of the person's offences; nothing for someone with none recorded."""
        found = self.of(nominal_id)
        if not found:
            return {}
        definition, today = self.definition(), self.ws.today()
        return {
            m.id: (score_as_at(definition, found, m.added_on).total,
                   score_as_at(definition, found, m.removed_on or today).total)
            for m in stints
        }  # fmt: skip

    def ranked(self, day: dt.date) -> list[tuple[Nominal, RfgScore]]:
        """Everyone with a score above nothing as at ``day``, highest first (then by reference): the IOM
        pool as the partnership's scores definition ranks it, each score explaining itself."""
        scores = {nid: s for nid, s in self.scores(day).items() if s.total > 0}
        people = [rows.nominal(r) for r in self.ws.db.query("SELECT * FROM nominals")
                  if r["id"] in scores]  # fmt: skip
        return sorted(((n, scores[n.id]) for n in people), key=lambda p: (-p[1].total, p[0].ref))

    def scores(self, day: dt.date) -> dict[int, RfgScore]:
        """Everyone with an offence, scored as at ``day`` (one read of the table)."""
        definition = self.definition()
        return {nid: score_as_at(definition, found, day) for nid, found in self.by_person(day).items()}
