"""Importing offence histories from a police extract (issue 25, deliver 6): one line per offence — who
(by reference, PNC id or CRO number: an extract never creates anyone), when, what, how it ended, and
the victims and Home Office code where the extract has them. They are what the IOM scores are worked
out from (``services/offences.py``).

The dry run gives every line its fate: *new*, *on file* (the same person, day, category and code is
recorded already, so importing the same extract twice counts nothing twice) or *rejected* with the
reason. The import is all or nothing and recorded as a combination, each offence as a collection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ppo_desktop.audit import AuditKind
from ppo_desktop.imports import vocabulary
from ppo_desktop.imports.counts import people_on_file, person_key
from ppo_desktop.imports.nominations import parse_date
from ppo_desktop.imports.planning import Importer, Planning, refuse_unless_ready
from ppo_desktop.imports.sources import Reading, SourceRow, sha256
from ppo_desktop.services.offences import OUTCOMES, Offences
from ppo_desktop.services.workspace import Changes, Topic, Workspace

KIND = "offence_history"
FIELDS = vocabulary.fields(KIND)  # field → the headings that mean it (resources/imports/headers.toml)
REQUIRED = ("person", "offence_on", "category", "outcome")
MAX_VICTIMS = 1_000
# How extracts spell an outcome, folded, → the app's word for it.
OUTCOME_WORDS = {
    **{o.replace("-", " "): o for o in OUTCOMES},
    "conviction": "convicted", "guilty": "convicted", "charge": "charged", "caution": "cautioned",
    "suspect": "suspected", "nfa": "no-further-action", "no further action": "no-further-action",
}  # fmt: skip
NEW, ON_FILE, REJECTED = "new", "on file", "rejected"


@dataclass(frozen=True)
class OffenceLine:
    number: int
    fate: str
    message: str
    nominal_id: int | None = None
    on: dt.date | None = None
    category: str = ""
    outcome: str = ""
    victims: int = 0
    code: str = ""

    @property
    def ok(self) -> bool:
        return self.fate != REJECTED


@dataclass(frozen=True)
class OffencePlan:
    source: str
    file_sha256: str
    mapping: dict[str, str]
    lines: tuple[OffenceLine, ...]
    notes: tuple[str, ...] = ()
    kind: str = KIND

    @property
    def rejected(self) -> list[OffenceLine]:
        return [line for line in self.lines if line.fate == REJECTED]

    def summary(self) -> str:
        new = [line for line in self.lines if line.fate == NEW]
        people = len({line.nominal_id for line in new})
        on_file = sum(1 for line in self.lines if line.fate == ON_FILE)
        return (
            f"{len(self.lines)} offences: {len(new)} new for {people} people, {on_file} already on file, "
            f"{len(self.rejected)} rejected"
        )


class OffenceImport(Importer[OffenceLine, OffencePlan]):
    def __init__(self, ws: Workspace) -> None:
        self.ws, self.kind, self.fields = ws, KIND, FIELDS

    def start(
        self,
        path: Path,
        *,
        source: str = "",
        columns: dict[str, str] | None = None,
        reading: Reading | None = None,
    ) -> Planning[OffenceLine, OffencePlan]:
        rows, source, chosen = self._open(path, source, columns, REQUIRED, reading)
        people = people_on_file(self.ws)
        known = {
            (nid, on, category, code)
            for nid, on, category, code in self.ws.db.execute(
                "SELECT nominal_id, offence_on, category, code FROM offences"
            )
        }
        seen: set[tuple[int, str, str, str]] = set()  # the same offence twice in one file counts once

        def finish(lines: list[OffenceLine]) -> OffencePlan:
            return OffencePlan(source, sha256(path), chosen, tuple(lines), tuple(rows.notes))

        return Planning(
            rows,
            lambda row: self._line(row, chosen, people, known, seen),
            finish,
            tally=lambda line: line.fate,
        )

    def _line(
        self,
        row: SourceRow,
        columns: dict[str, str],
        people: dict[str, int],
        known: set[tuple[int, str, str, str]],
        seen: set[tuple[int, str, str, str]],
    ) -> OffenceLine:
        def get(name: str) -> str:
            return row.cells.get(columns[name], "").strip() if name in columns else ""

        def rejected(name: str, problem: str) -> OffenceLine:
            return OffenceLine(row.number, REJECTED, f"Row {row.number}: column {columns[name]!r}: {problem}")

        person = people.get(person_key(get("person")))
        if person is None:
            return rejected("person", f"{get('person')!r} is not anyone on file (reference, PNC or CRO)")
        try:
            on = parse_date(get("offence_on"))
        except ValueError:
            on = None
        if on is None:
            return rejected("offence_on", f"{get('offence_on')!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")
        if on > self.ws.today():
            return rejected("offence_on", f"{on:%d %b %Y} is in the future")
        category = get("category").lower()
        if not category:
            return rejected("category", "is empty (e.g. burglary)")
        outcome = OUTCOME_WORDS.get(vocabulary.fold(get("outcome")).replace("-", " "))
        if outcome is None:
            return rejected("outcome", f"{get('outcome')!r} is not one of: {', '.join(OUTCOMES)}")
        victims_text = get("victims") or "0"
        if not victims_text.isdigit() or int(victims_text) > MAX_VICTIMS:
            return rejected("victims", f"{victims_text!r} is not a number of victims (0–{MAX_VICTIMS:,})")
        code = get("code")
        key = (person, on.isoformat(), category, code)
        if key in known or key in seen:
            fate, message = ON_FILE, f"Row {row.number}: already on file"
        else:
            seen.add(key)
            fate, message = NEW, f"Row {row.number}: {category} on {on:%d %b %Y}"
        return OffenceLine(row.number, fate, message, person, on, category, outcome, int(victims_text), code)

    def write(self, plan: OffencePlan, *, justification: str) -> Changes:
        """Record every new offence of a dry run, inside the caller's transaction (``services.imports``)."""
        refuse_unless_ready(plan.rejected, justification)
        offences = Offences(self.ws)
        new = [line for line in plan.lines if line.fate == NEW]
        for n, line in enumerate(new):
            if n % 100 == 0:
                self.ws.progress("Recording offences", n, len(new))
            assert line.nominal_id is not None and line.on is not None
            offences.record(line.nominal_id, on=line.on, category=line.category, outcome=line.outcome,
                            victims=line.victims, code=line.code, source=plan.source)  # fmt: skip
        touched = sorted({line.nominal_id for line in new if line.nominal_id is not None})
        self.ws.audit.record(
            AuditKind.COMBINATION,
            "import",
            plan.file_sha256[:16],
            f"Offence history imported from {plan.source}: {plan.summary()}",
            at=self.ws.now(),
            after={"people": touched, "sha256": plan.file_sha256, "mapping": plan.mapping},
            justification=justification,
        )
        return Changes(frozenset({Topic.OFFENCES}), frozenset(touched))
