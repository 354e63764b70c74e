"""Importing nominations from a police intelligence unit's spreadsheet.

Three steps: map the columns (remembered per source), a dry run that gives every row its fate —
new person, matched to someone on file, possible duplicate (a person decides), or rejected and why
— then the import itself, all or nothing in one transaction, recorded as a "combination".
Matching: PNC id or CRO number; else name and date of birth, names compared loosely (rapidfuzz) so
"Bramblewick, Zebedee" and "Bramblewik, Zebedee" born the same day are put to a person, never merged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import PPO_STRANDS, Basis, Strand
from ppo_desktop.i18n import _
from ppo_desktop.imports import vocabulary
from ppo_desktop.imports.planning import Importer, Planning
from ppo_desktop.imports.sources import Reading, SourceRow, read_rows, sha256
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.workspace import Changes, ServiceError, Topic, Workspace

KIND = "nominations"
LOOSE_MATCH = 85  # how alike two names of the same date of birth must be (0–100) to be put to a person

FIELDS = vocabulary.fields(KIND)  # field → the headings that mean it (resources/imports/headers.toml)
REQUIRED = ("family_name", "given_names", "agency", "strand", "reason")
STRANDS = {
    "p&d": Strand.PREVENT_DETER,
    "prevent & deter": Strand.PREVENT_DETER,
    "prevent and deter": Strand.PREVENT_DETER,
    "c&c": Strand.CATCH_CONVICT,
    "catch & convict": Strand.CATCH_CONVICT,
    "catch and convict": Strand.CATCH_CONVICT,
    "catch and bring to justice": Strand.CATCH_CONVICT,
    "r&r": Strand.REHABILITATE_RESETTLE,
    "rehabilitate & resettle": Strand.REHABILITATE_RESETTLE,
    "rehabilitate and resettle": Strand.REHABILITATE_RESETTLE,
    "fixed": Strand.FIXED,
    "flex": Strand.FLEX,
    "free": Strand.FREE,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %m %Y", "%d %b %Y", "%d %B %Y",
                "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%b-%Y", "%d-%b-%y")  # fmt: skip
# The fates, and how a matched row was matched (shared strings: a row's fate costs no text of its own).
NEW, MATCHED, POSSIBLE, REJECTED = "new", "matched", "possible-duplicate", "rejected"
BY_PNC, BY_CRO, BY_NAME = "PNC id", "CRO number", "name and date of birth"


class RowFate(NamedTuple):
    """One row's fate, kept small (200,000 of them stay a few megabytes): the words are made when
    asked for, and what the row imports is read again from the file at the import."""

    number: int
    fate: str  # NEW, MATCHED, POSSIBLE or REJECTED
    nominal_id: int | None = None  # matched: who; possible duplicate: who it may be
    same_as_row: int | None = None  # matched (or alike) to a person earlier in the same file
    why: str = ""  # matched: BY_PNC, BY_CRO or BY_NAME; rejected: the problems

    @property
    def message(self) -> str:
        n = self.number
        if self.fate == REJECTED:
            return f"Row {n}: {self.why}"
        if self.fate == NEW:
            return f"Row {n}: a new person"
        where = (
            f"nominal {self.nominal_id}"
            if self.nominal_id is not None
            else f"row {self.same_as_row} of this file"
        )
        if self.fate == MATCHED:
            return f"Row {n}: same {self.why} as {where}"
        return f"Row {n}: a similar name and the same date of birth as {where}"


@dataclass(frozen=True)
class ImportPlan:
    source: str
    file_sha256: str
    mapping: dict[str, str]
    rows: tuple[RowFate, ...]
    path: Path | None = None
    reading: Reading = field(default_factory=Reading)
    notes: tuple[str, ...] = ()  # what reading the file assumed or left out, and how to override it
    strand: str = ""  # the strand for rows that give none (chosen for the import), "" for none

    def count(self, fate: str) -> int:
        return sum(1 for r in self.rows if r.fate == fate)

    def summary(self) -> str:
        return (
            f"{len(self.rows)} rows: {self.count(NEW)} new people, {self.count(MATCHED)} matched, "
            f"{self.count(POSSIBLE)} possible duplicates, {self.count(REJECTED)} rejected"
        )


class Parsed(NamedTuple):
    """What one row says, checked: the problems, or its cells by field and its two dates."""

    problems: tuple[str, ...]
    values: dict[str, str] = {}  # never mutated
    dob: dt.date | None = None
    nominated: dt.date | None = None

    def draft(self) -> NominalDraft:
        v = self.values
        return NominalDraft(
            family_name=v["family_name"],
            given_names=v["given_names"],
            dob=self.dob,
            gender=v["gender"],
            ethnicity=v["ethnicity"],
            pnc_id=v["pnc_id"],
            cro=v["cro"],
            area=v["area"],
        )

    def nomination(self, today: dt.date) -> dict[str, object]:
        v = self.values
        return {
            "agency": v["agency"],
            "nominator": v["nominator"] or v["agency"],
            "strand": STRANDS[v["strand"].lower()],
            "basis": Basis(v["basis"].lower() or Basis.PROLIFIC.value),
            "reason": v["reason"],
            "on": self.nominated or today,
        }


class NominationImport(Importer[RowFate, ImportPlan]):
    def __init__(self, ws: Workspace, strand: Strand | None = None) -> None:
        """``strand``: for a file with no strand column (or rows with none), every such row's strand —
        "all rows are C&C" — said in the dry run's notes."""
        self.ws, self.kind, self.fields = ws, KIND, FIELDS
        self.strand = strand

    # -- the dry run ----------------------------------------------------------------------------
    def start(
        self,
        path: Path,
        *,
        source: str = "",
        columns: dict[str, str] | None = None,
        reading: Reading | None = None,
    ) -> Planning[RowFate, ImportPlan]:
        """A dry run to advance step by step (a screen shows progress and can stop it)."""
        reading = reading or Reading()
        required = tuple(f for f in REQUIRED if f != "strand" or self.strand is None)
        rows, source, chosen = self._open(path, source, columns, required, reading)
        if self.strand is not None:
            chosen_strand = self.strand.value
            rows.notes.append(f"Rows with no strand are taken as {chosen_strand} (chosen for this import).")
        index = PersonIndex(self.ws)
        parse = Parser(chosen, self.ws.today(), self.strand, self.ws.profile().strands)

        def fate(row: SourceRow) -> RowFate:
            parsed = parse(row)
            if parsed.problems:
                return RowFate(row.number, REJECTED, why="; ".join(parsed.problems))
            v = parsed.values
            return index.match(
                v["pnc_id"], v["cro"], _name(v["family_name"], v["given_names"]), parsed.dob, row.number
            )

        return Planning(
            rows,
            fate,
            lambda fates: ImportPlan(
                source,
                sha256(path),
                chosen,
                tuple(fates),
                path,
                reading,
                tuple(rows.notes),
                self.strand.value if self.strand else "",
            ),
            tally=lambda f: f.fate,
        )

    # -- the import -------------------------------------------------------------------------------
    def write(
        self, plan: ImportPlan, decisions: dict[int, int | None] | None = None, *, justification: str
    ) -> Changes:
        """Import every row of a dry run, inside the caller's transaction (``services.imports``).
        ``decisions`` settles each possible duplicate: row number → the nominal it is (an id), or
        None for a new person. The rows are read again from the file, which must be the very file the
        dry run read."""
        decisions = decisions or {}
        if not justification.strip():
            raise ServiceError(_("An import needs the reason it is being made (recorded in the audit log)."))
        if rejected := [r for r in plan.rows if r.fate == REJECTED]:
            raise ServiceError(
                _(
                    "{len} row(s) are rejected (first: {message}); fix the file and try again. Nothing was "
                    "imported."
                ).format(len=len(rejected), message=rejected[0].message)
            )
        open_rows = [r.number for r in plan.rows if r.fate == POSSIBLE and r.number not in decisions]
        if open_rows:
            raise ServiceError(
                _(
                    "{len} possible duplicate(s) need a person's decision (rows {join}). Nothing was "
                    "imported."
                ).format(len=len(open_rows), join=", ".join(map(str, open_rows[:10])))
            )
        parsed = self._read_again(plan)
        cases, nominations = Cases(self.ws), Nominations(self.ws)
        touched: set[int] = set()
        created: dict[int, int] = {}
        today = self.ws.today()
        for n, row in enumerate(plan.rows):
            if n % 100 == 0:
                self.ws.progress("Importing nominations", n, len(plan.rows))
            what = parsed[row.number]
            who = decisions.get(row.number, row.nominal_id) if row.fate != NEW else None
            if row.fate == MATCHED and row.same_as_row is not None:
                who = created[row.same_as_row]
            if who is None:
                who = cases.add_nominal(what.draft(), justification=f"import: {plan.source}").record.id
                created[row.number] = who
            nominations.nominate(who, **what.nomination(today))  # type: ignore[arg-type]
            touched.add(who)
        self.ws.audit.record(
            AuditKind.COMBINATION,
            "import",
            plan.file_sha256[:16],
            f"Nominations imported from {plan.source}: {plan.summary()}",
            at=self.ws.now(),
            after={"people": sorted(touched), "sha256": plan.file_sha256, "mapping": plan.mapping},
            justification=justification,
        )
        return Changes(frozenset({Topic.NOMINALS, Topic.NOMINATIONS}), frozenset(touched))

    def _read_again(self, plan: ImportPlan) -> dict[int, Parsed]:
        """Each row's person and nomination, from the file the dry run read (checked by its hash)."""
        if plan.path is None or not plan.path.is_file() or sha256(plan.path) != plan.file_sha256:
            raise ServiceError(_("The file has changed (or gone) since the dry run: run the dry run again."))
        chosen = Strand(plan.strand) if plan.strand else None
        parse = Parser(plan.mapping, self.ws.today(), chosen, self.ws.profile().strands)
        wanted = {r.number for r in plan.rows}
        with read_rows(plan.path, plan.reading, vocabulary.counter(FIELDS)) as rows:
            found = {row.number: parse(row) for row in rows.rows if row.number in wanted}
        if set(found) != wanted or any(p.problems for p in found.values()):
            raise ServiceError(_("The file reads differently from the dry run: run the dry run again."))
        return found


class Parser:
    """One row's cells checked and turned into a person and a nomination (dry run and import)."""

    def __init__(
        self,
        columns: dict[str, str],
        today: dt.date,
        strand: Strand | None = None,
        runs: tuple[Strand, ...] = PPO_STRANDS,
    ) -> None:
        self.columns = columns
        self.today = today
        self.strand = strand  # for rows that give none
        self.runs = runs  # the lists the scheme runs: a nomination for another is refused
        # Unmapped fields read a column no row has, so every field is there, "" when absent.
        self.pairs = tuple((f, columns.get(f, "\0unmapped")) for f in FIELDS)

    def __call__(self, row: SourceRow) -> Parsed:
        cells, columns = row.cells, self.columns
        v = {f: cells.get(c, "") for f, c in self.pairs}  # every field, "" when unmapped or blank
        if not v["strand"] and self.strand is not None:
            v["strand"] = self.strand.value
        problems = [f"column {columns[f]!r} is empty" for f in REQUIRED if not v[f]]
        strand_text = v["strand"]
        strand = STRANDS.get(strand_text.lower())
        if strand_text and (strand is None or strand not in self.runs):
            named = ", ".join(s.value for s in self.runs)
            where = f"column {columns['strand']!r}"
            problems.append(f"{where}: {strand_text!r} is not one of the lists ({named})")
        basis_text = v["basis"].lower() or Basis.PROLIFIC.value
        if basis_text not in BASES:
            problems.append(f"column {columns['basis']!r}: {v['basis']!r} is not prolific or priority")
        dob = nominated = None
        for key in ("dob", "nominated_on"):
            text = v[key]
            if not text:
                continue
            try:
                day = parse_date(text)
            except ValueError:
                problems.append(
                    f"column {columns[key]!r}: {text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
                )
                continue
            if key == "dob":
                dob = day
            else:
                nominated = day
        if dob and not dt.date(1900, 1, 1) <= dob <= self.today:
            problems.append(f"column {columns['dob']!r}: {dob:%d %b %Y} is an impossible date of birth")
        if nominated and nominated > self.today:
            problems.append(f"column {columns['nominated_on']!r}: {nominated:%d %b %Y} is in the future")
        if problems:
            return Parsed(tuple(problems))
        return Parsed((), v, dob, nominated)


BASES = frozenset(b.value for b in Basis)


class PersonIndex:
    """The people already on file (and those earlier in the file), for matching: PNC id and CRO
    number exactly; else the same date of birth (the blocking key) with the same or an alike name,
    compared by rapidfuzz in C."""

    def __init__(self, ws: Workspace) -> None:
        self.by_pnc: dict[str, tuple[int | None, int]] = {}
        self.by_cro: dict[str, tuple[int | None, int]] = {}
        self.exact: dict[tuple[str, str], tuple[int | None, int]] = {}
        self.names: dict[str, list[str]] = {}  # date of birth → names, in the order first seen
        self.owners: dict[str, list[tuple[int | None, int]]] = {}
        for r in ws.db.query("SELECT id, family_name, given_names, dob, pnc_id, cro FROM nominals"):
            self._add(r["id"], 0, r["pnc_id"], r["cro"], r["dob"], _name(r["family_name"], r["given_names"]))

    def _add(self, nid: int | None, row: int, pnc: str, cro: str, dob: str | None, name: str) -> None:
        if pnc:
            self.by_pnc.setdefault(_key(pnc), (nid, row))
        if cro:
            self.by_cro.setdefault(_key(cro), (nid, row))
        if dob:
            self.exact.setdefault((dob, name), (nid, row))
            self.names.setdefault(dob, []).append(name)
            self.owners.setdefault(dob, []).append((nid, row))

    def match(self, pnc: str, cro: str, name: str, day: dt.date | None, row: int) -> RowFate:
        """A row's fate by its identifiers (``name`` as ``_name`` gives it)."""
        if pnc and (hit := self.by_pnc.get(_key(pnc))):
            return _found(row, hit, BY_PNC)
        if cro and (hit := self.by_cro.get(_key(cro))):
            return _found(row, hit, BY_CRO)
        dob = day.isoformat() if day else None
        if dob:
            if (hit := self.exact.get((dob, name))) is not None:
                return _found(row, hit, BY_NAME)
            alike = self.names.get(dob)
            if alike:
                best = process.extractOne(name, alike, scorer=fuzz.ratio, score_cutoff=LOOSE_MATCH)
                index = best[2] if best is not None else _shortened(name, alike)
                if index is not None:
                    nid, earlier = self.owners[dob][index]
                    return RowFate(row, POSSIBLE, nid, None if nid is not None else earlier)
        self._add(None, row, pnc, cro, dob, name)
        return RowFate(row, NEW)

    def match_draft(self, draft: NominalDraft, row: int) -> RowFate:
        return self.match(
            draft.pnc_id, draft.cro, _name(draft.family_name, draft.given_names), draft.dob, row
        )


def _shortened(name: str, alike: list[str]) -> int | None:
    """The first of ``alike`` (same date of birth) with the same family name whose first forename is
    this one's shortened, or lengthened ("holloway brad" and "holloway bradley james"; an initial too):
    a possible duplicate for a person to decide, never matched on its own."""
    family, _space, given = name.partition(" ")
    first = given.split(" ")[0] if given else ""
    for i, other in enumerate(alike):
        other_family, _space2, other_given = other.partition(" ")
        other_first = other_given.split(" ")[0] if other_given else ""
        if (
            other_family == family
            and first
            and other_first
            and (other_first.startswith(first) or first.startswith(other_first))
        ):
            return i
    return None


def _found(row: int, hit: tuple[int | None, int], how: str) -> RowFate:
    nid, earlier = hit
    return RowFate(row, MATCHED, nid, earlier if nid is None else None, how)


NOT_NAME = re.compile(r"[^a-z0-9&]+")
NOT_KEY = re.compile(r"[\s/]")


def _name(family: str, given: str) -> str:
    """A name as compared: lower case, marks and runs of spaces as one space."""
    return NOT_NAME.sub(" ", f"{family} {given}".lower()).strip()


def _key(identifier: str) -> str:
    return NOT_KEY.sub("", identifier.upper())


def parse_date(text: str) -> dt.date | None:
    if not text:
        return None
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)  # the usual case, and the quickest
        except ValueError:
            pass
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    if "T" in text:
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise ValueError(text)
