"""Importing counts per person: offence counts for scoring, and convictions for a cohort year.

Both files are "long": one line per person and count. People must already be on file (matched by
reference, PNC id or CRO number — counts never create anyone). The dry run gives every line its
fate; the import is all or nothing and is recorded as a combination.

- **Offence counts** (by matrix category and evidence column, over a period) go into each person's
  draft score sheet on their strand's matrix, for the scorer to check and finalise: an import never
  finalises a sheet.
- **Convictions** (cohort year, quarter, count) go into the re-offending cohort year (003 §2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.i18n import _
from ppo_desktop.imports import mapping, vocabulary
from ppo_desktop.imports.nominations import parse_date
from ppo_desktop.imports.planning import Importer, Planning, refuse_unless_ready
from ppo_desktop.imports.sources import ImportProblem, Reading, SourceRow, sha256
from ppo_desktop.scoring.definition import Definition
from ppo_desktop.services.cohort_years import CohortYears
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace

OFFENCE_FIELDS = vocabulary.fields("offences")  # field → the headings that mean it (resources/imports)
CONVICTION_FIELDS = vocabulary.fields("convictions")
REQUIRED = {
    "offences": ("person", "category", "evidence", "count", "period_from", "period_to"),
    "convictions": ("person", "year", "quarter", "count"),
}
MAX_COUNT = 10_000


@dataclass(frozen=True)
class CountLine:
    number: int
    ok: bool
    message: str
    nominal_id: int | None = None
    target: tuple[Any, ...] = ()  # offences: (section, row, column); convictions: (year id, quarter)
    count: int = 0

    @property
    def fate(self) -> str:
        return "ok" if self.ok else "rejected"


@dataclass(frozen=True)
class CountsPlan:
    kind: str
    source: str
    file_sha256: str
    mapping: dict[str, str]
    lines: tuple[CountLine, ...]
    period: tuple[dt.date, dt.date] | None = None
    definitions: dict[int, str] = field(default_factory=dict)  # nominal → matrix id (offences)
    notes: tuple[str, ...] = ()  # what reading the file assumed or left out, and how to override it

    @property
    def rejected(self) -> list[CountLine]:
        return [line for line in self.lines if not line.ok]

    def summary(self) -> str:
        people = len({line.nominal_id for line in self.lines if line.ok})
        return f"{len(self.lines)} lines for {people} people; {len(self.rejected)} rejected"


class CountsImport(Importer[CountLine, CountsPlan]):
    def __init__(self, ws: Workspace, kind: str) -> None:
        if kind not in REQUIRED:
            raise ServiceError(_("Counts are 'offences' or 'convictions', not {kind!r}.").format(kind=kind))
        self.ws = ws
        self.kind = kind
        self.fields = OFFENCE_FIELDS if kind == "offences" else CONVICTION_FIELDS

    def start(
        self,
        path: Path,
        *,
        source: str = "",
        columns: dict[str, str] | None = None,
        reading: Reading | None = None,
    ) -> Planning[CountLine, CountsPlan]:
        rows, source, chosen = self._open(path, source, columns, REQUIRED[self.kind], reading)
        people = people_on_file(self.ws)
        sheets = ScoreSheets(self.ws)
        years = {y.label: y.id for y in CohortYears(self.ws).all()}
        definitions: dict[int, Definition] = {}
        periods: set[tuple[dt.date, dt.date]] = set()

        def finish(lines: list[CountLine]) -> CountsPlan:
            if len(periods) > 1:
                raise ImportProblem(
                    _("{name}: the file covers {len} different periods; import one period at a time.").format(
                        name=path.name, len=len(periods)
                    )
                )
            return CountsPlan(
                self.kind,
                source,
                sha256(path),
                chosen,
                tuple(lines),
                next(iter(periods), None),
                {nid: d.id for nid, d in definitions.items()},
                tuple(rows.notes),
            )

        return Planning(
            rows,
            lambda row: self._line(row, chosen, people, sheets, definitions, years, periods),
            finish,
            tally=lambda line: "ok" if line.ok else "rejected",
        )

    def _line(
        self,
        row: SourceRow,
        columns: dict[str, str],
        people: dict[str, int],
        sheets: ScoreSheets,
        definitions: dict[int, Definition],
        years: dict[str, int],
        periods: set[tuple[dt.date, dt.date]],
    ) -> CountLine:
        def get(name: str) -> str:
            return row.cells.get(columns[name], "")

        def rejected(name: str, problem: str) -> CountLine:
            return CountLine(row.number, False, f"Row {row.number}: column {columns[name]!r}: {problem}")

        person = people.get(person_key(get("person")))
        if person is None:
            return rejected("person", f"{get('person')!r} is not anyone on file (reference, PNC or CRO)")
        text = get("count")
        if not text.lstrip("-").isdigit():
            return rejected("count", f"{text!r} is not a whole number")
        count = int(text)
        if count < 0:
            return rejected("count", f"{count} is negative; counts are 0 or more")
        if count > MAX_COUNT:
            return rejected("count", f"{count} is implausibly large")
        if self.kind == "convictions":
            year = years.get(get("year"))
            if year is None:
                return rejected("year", f"{get('year')!r} is not a cohort year set up in Performance")
            quarter = get("quarter").upper().lstrip("Q")
            if quarter not in ("1", "2", "3", "4"):
                return rejected("quarter", f"{get('quarter')!r} is not a quarter (1–4)")
            return CountLine(row.number, True, f"Row {row.number}: ok", person, (year, int(quarter)), count)
        dates = []
        for name in ("period_from", "period_to"):
            try:
                day = parse_date(get(name))
            except ValueError:
                day = None
            if day is None:
                return rejected(name, f"{get(name)!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
            dates.append(day)
        if dates[0] > dates[1]:
            return rejected("period_to", "the period ends before it starts")
        if dates[1] > self.ws.today():
            return rejected("period_to", f"{dates[1]:%d %b %Y} is in the future")
        defn = definitions.get(person) or sheets.definition_for(person)
        definitions[person] = defn
        target = _find_row(defn, get("category"))
        if target is None:
            return rejected("category", f"{get('category')!r} is not a category of {defn.label}")
        column = next(
            (c.key for c in defn.columns if get("evidence").lower() in (c.key.lower(), c.label.lower())), None
        )
        if column is None:
            allowed = ", ".join(c.label for c in defn.columns)
            return rejected("evidence", f"{get('evidence')!r} is not one of {allowed}")
        periods.add((dates[0], dates[1]))
        return CountLine(row.number, True, f"Row {row.number}: ok", person, (*target, column), count)

    def write(self, plan: CountsPlan, *, justification: str) -> Changes:
        """Import every line of a dry run, inside the caller's transaction (``services.imports``)."""
        refuse_unless_ready(plan.rejected, justification)
        touched = sorted({line.nominal_id for line in plan.lines if line.nominal_id is not None})
        if plan.kind == "convictions":
            by_year: dict[int, dict[tuple[int, int], int | None]] = {}
            for line in plan.lines:
                assert line.nominal_id is not None
                year_id, quarter = line.target
                by_year.setdefault(year_id, {})[(line.nominal_id, quarter)] = line.count
            years = CohortYears(self.ws)
            for year_id, counts in by_year.items():
                years.set_counts(year_id, counts)
        else:
            self._offences(plan, touched)
        period = f" for {plan.period[0]:%d %b %Y}–{plan.period[1]:%d %b %Y}" if plan.period else ""
        self.ws.audit.record(
            AuditKind.COMBINATION,
            "import",
            plan.file_sha256[:16],
            f"{plan.kind.capitalize()} imported from {plan.source}{period}: {plan.summary()}",
            at=self.ws.now(),
            after={"people": touched, "sha256": plan.file_sha256, "mapping": plan.mapping},
            justification=justification,
        )
        tables = {Topic.CONVICTIONS} if plan.kind == "convictions" else {Topic.SCORE_DRAFTS}
        return Changes(frozenset(tables), frozenset(touched))

    def _offences(self, plan: CountsPlan, people: list[int]) -> None:
        sheets = ScoreSheets(self.ws)
        for nid in people:
            sheet = sheets.start(nid).record
            if sheet.matrix_id != plan.definitions[nid]:
                raise ServiceError(
                    _(
                        "Nominal {nid} has a draft on {matrix_id}; finish or discard it before importing."
                    ).format(nid=nid, matrix_id=sheet.matrix_id)
                )
            inputs: dict[str, Any] = {
                k: (dict(v) if isinstance(v, dict) else v) for k, v in sheet.inputs.items()
            }
            for line in plan.lines:
                if line.nominal_id == nid:
                    section, row, column = line.target
                    counts = inputs.setdefault(section, {})
                    counts[row] = {**counts.get(row, {}), column: line.count}
            sheets.save_draft(sheet.id, inputs)


def _find_row(defn: Definition, text: str) -> tuple[str, str] | None:
    wanted = mapping.words(text)
    for section in defn.sections:
        if section.kind == "counts":
            for row in section.rows:
                if wanted in (mapping.words(row.key), mapping.words(row.label)):
                    return section.key, row.key
    return None


def people_on_file(ws: Workspace) -> dict[str, int]:
    """Everyone on file by each identifier an extract may give: reference, PNC id, CRO number."""
    out: dict[str, int] = {}
    for r in ws.db.query("SELECT id, ref, pnc_id, cro FROM nominals"):
        for value in (r["ref"], r["pnc_id"], r["cro"]):
            if value:
                out.setdefault(person_key(value), r["id"])
    return out


def person_key(identifier: str) -> str:
    return "".join(identifier.upper().split()).replace("/", "")
