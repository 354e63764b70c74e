"""Importing nominations from a police intelligence unit's spreadsheet.

Three steps: map the columns (remembered per source), a dry run that gives every row its fate —
new person, matched to someone on file, possible duplicate (a person decides), or rejected and why
— then the import itself, all or nothing in one transaction, recorded as a "combination".
Matching: PNC id or CRO number; else name and date of birth, names compared loosely (difflib) so
"Bramblewick, Zebedee" and "Bramblewik, Zebedee" born the same day are put to a person, never merged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Basis, Strand
from ppo_desktop.imports import mapping
from ppo_desktop.imports.planning import Importer, Planning
from ppo_desktop.imports.sources import SourceRow, sha256
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.workspace import Changes, ServiceError, Workspace

KIND = "nominations"
LOOSE_MATCH = 0.85

FIELDS: dict[str, tuple[str, ...]] = {  # field → header spellings recognised without a mapping
    "family_name": ("family name", "surname", "last name", "family_name"),
    "given_names": ("given names", "forename", "forenames", "first name", "first names", "given_names"),
    "dob": ("date of birth", "dob", "birth date"),
    "pnc_id": ("pnc", "pnc id", "pnc number", "pnc_id"),
    "cro": ("cro", "cro number"),
    "gender": ("gender", "sex"),
    "ethnicity": ("ethnicity", "ethnic origin", "self-defined ethnicity"),
    "area": ("area", "district", "beat", "ward"),
    "agency": ("agency", "nominating agency"),
    "nominator": ("nominator", "nominated by", "officer"),
    "strand": ("strand",),
    "basis": ("basis", "prolific or priority"),
    "reason": ("reason", "reasons", "why"),
    "nominated_on": ("nominated on", "date nominated", "nomination date", "date"),
}
REQUIRED = ("family_name", "given_names", "agency", "strand", "reason")
STRANDS = {
    "p&d": Strand.PREVENT_DETER,
    "prevent & deter": Strand.PREVENT_DETER,
    "prevent and deter": Strand.PREVENT_DETER,
    "c&c": Strand.CATCH_CONVICT,
    "catch & convict": Strand.CATCH_CONVICT,
    "catch and convict": Strand.CATCH_CONVICT,
    "r&r": Strand.REHABILITATE_RESETTLE,
    "rehabilitate & resettle": Strand.REHABILITATE_RESETTLE,
    "rehabilitate and resettle": Strand.REHABILITATE_RESETTLE,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y")


@dataclass(frozen=True, slots=True)
class RowFate:
    number: int
    fate: str  # "new", "matched", "possible-duplicate", "rejected"
    message: str
    name: str = ""
    nominal_id: int | None = None  # matched: who; possible duplicate: who it may be
    same_as_row: int | None = None  # matched to a person earlier in the same file
    draft: NominalDraft | None = None
    nomination: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportPlan:
    source: str
    file_sha256: str
    mapping: dict[str, str]
    rows: tuple[RowFate, ...]

    def count(self, fate: str) -> int:
        return sum(1 for r in self.rows if r.fate == fate)

    def summary(self) -> str:
        return (
            f"{len(self.rows)} rows: {self.count('new')} new people, {self.count('matched')} matched, "
            f"{self.count('possible-duplicate')} possible duplicates, {self.count('rejected')} rejected"
        )


class NominationImport(Importer[RowFate, ImportPlan]):
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- the column mapping -------------------------------------------------------------------
    def mapping_for(self, source: str, header: list[str]) -> dict[str, str]:
        return mapping.mapping_for(self.ws, KIND, source, header, FIELDS)

    def remember(self, source: str, columns: dict[str, str]) -> None:
        mapping.remember(self.ws, KIND, source, columns)

    # -- the dry run ----------------------------------------------------------------------------
    def start(
        self, path: Path, *, source: str = "", columns: dict[str, str] | None = None
    ) -> Planning[RowFate, ImportPlan]:
        """A dry run to advance step by step (a screen shows progress and can stop it)."""
        rows, source, chosen = mapping.open_mapped(self.ws, KIND, path, source, columns, FIELDS, REQUIRED)
        index = PersonIndex(self.ws)
        return Planning(
            rows,
            lambda row: self._fate(row, chosen, index),
            lambda fates: ImportPlan(source, sha256(path), chosen, tuple(fates)),
        )

    def _fate(self, row: SourceRow, mapping: dict[str, str], index: PersonIndex) -> RowFate:
        def get(name: str) -> str:
            return row.cells.get(mapping[name], "") if name in mapping else ""

        name = f"{get('family_name').upper()}, {get('given_names')}"
        problems = [f"column {mapping[f]!r} is empty" for f in REQUIRED if not get(f)]
        strand = STRANDS.get(get("strand").lower())
        if get("strand") and strand is None:
            problems.append(f"column {mapping['strand']!r}: {get('strand')!r} is not P&D, C&C or R&R")
        basis_text = get("basis").lower() or Basis.PROLIFIC.value
        if basis_text not in {b.value for b in Basis}:
            problems.append(f"column {mapping['basis']!r}: {get('basis')!r} is not prolific or priority")
        dates: dict[str, dt.date | None] = {}
        for key in ("dob", "nominated_on"):
            try:
                dates[key] = parse_date(get(key))
            except ValueError:
                dates[key] = None
                problems.append(
                    f"column {mapping[key]!r}: {get(key)!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
                )
        dob, nominated = dates["dob"], dates["nominated_on"]
        today = self.ws.today()
        if dob and not dt.date(1900, 1, 1) <= dob <= today:
            problems.append(f"column {mapping['dob']!r}: {dob:%d %b %Y} is an impossible date of birth")
        if nominated and nominated > today:
            problems.append(f"column {mapping['nominated_on']!r}: {nominated:%d %b %Y} is in the future")
        if problems:
            return RowFate(row.number, "rejected", f"Row {row.number}: " + "; ".join(problems), name)
        draft = NominalDraft(
            family_name=get("family_name"),
            given_names=get("given_names"),
            dob=dob,
            gender=get("gender"),
            ethnicity=get("ethnicity"),
            pnc_id=get("pnc_id"),
            cro=get("cro"),
            area=get("area"),
        )
        nomination: dict[str, object] = {
            "agency": get("agency"),
            "nominator": get("nominator") or get("agency"),
            "strand": strand,
            "basis": Basis(basis_text),
            "reason": get("reason"),
            "on": nominated or today,
        }
        fate, message, who, earlier = index.match(draft, row.number)
        return RowFate(row.number, fate, message, name, who, earlier, draft, nomination)

    # -- the import -------------------------------------------------------------------------------
    def commit(
        self, plan: ImportPlan, decisions: dict[int, int | None] | None = None, *, justification: str
    ) -> Changes:
        """Import every row of a dry run in one transaction. ``decisions`` settles each possible
        duplicate: row number → the nominal it is (an id), or None for a new person."""
        decisions = decisions or {}
        if not justification.strip():
            raise ServiceError("An import needs the reason it is being made (recorded in the audit log).")
        if rejected := [r for r in plan.rows if r.fate == "rejected"]:
            raise ServiceError(
                f"{len(rejected)} row(s) are rejected (first: {rejected[0].message}); "
                "fix the file and try again. Nothing was imported."
            )
        open_rows = [
            r.number for r in plan.rows if r.fate == "possible-duplicate" and r.number not in decisions
        ]
        if open_rows:
            raise ServiceError(
                f"{len(open_rows)} possible duplicate(s) need a person's decision (rows "
                f"{', '.join(map(str, open_rows[:10]))}). Nothing was imported."
            )
        cases, nominations = Cases(self.ws), Nominations(self.ws)
        touched: set[int] = set()
        created: dict[int, int] = {}
        with self.ws.writing():
            for row in plan.rows:
                assert row.draft is not None
                who = decisions.get(row.number, row.nominal_id) if row.fate != "new" else None
                if row.fate == "matched" and row.same_as_row is not None:
                    who = created[row.same_as_row]
                if who is None:
                    who = cases.add_nominal(row.draft, justification=f"import: {plan.source}")[0].id
                    created[row.number] = who
                nominations.nominate(who, **row.nomination)  # type: ignore[arg-type]
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
        return Changes(frozenset({"nominals", "nominations"}), frozenset(touched))


class PersonIndex:
    """The people already on file (and those earlier in the file), for matching."""

    def __init__(self, ws: Workspace) -> None:
        self.by_pnc: dict[str, tuple[int | None, int]] = {}
        self.by_cro: dict[str, tuple[int | None, int]] = {}
        self.by_dob: dict[str, list[tuple[int | None, int, str]]] = {}
        for r in ws.db.query("SELECT id, family_name, given_names, dob, pnc_id, cro FROM nominals"):
            self._add(r["id"], 0, r["pnc_id"], r["cro"], r["dob"], _name(r["family_name"], r["given_names"]))

    def _add(self, nid: int | None, row: int, pnc: str, cro: str, dob: str | None, name: str) -> None:
        if pnc:
            self.by_pnc.setdefault(_key(pnc), (nid, row))
        if cro:
            self.by_cro.setdefault(_key(cro), (nid, row))
        if dob:
            self.by_dob.setdefault(dob, []).append((nid, row, name))

    def match(self, draft: NominalDraft, row: int) -> tuple[str, str, int | None, int | None]:
        """(fate, message, nominal id, earlier row of the file)."""
        for label, table, value in (
            ("PNC id", self.by_pnc, draft.pnc_id),
            ("CRO number", self.by_cro, draft.cro),
        ):
            if value and (hit := table.get(_key(value))):
                return self._found(hit, f"Row {row}: same {label}")
        name = _name(draft.family_name, draft.given_names)
        dob = draft.dob.isoformat() if draft.dob else None
        if dob:
            best = _closest(name, self.by_dob.get(dob, []))
            if best is not None and best[0] == 1.0:
                return self._found((best[1], best[2]), f"Row {row}: same name and date of birth")
            if best is not None and best[0] >= LOOSE_MATCH:
                where = f"nominal {best[1]}" if best[1] else f"row {best[2]} of this file"
                message = f"Row {row}: a similar name and the same date of birth as {where}"
                return "possible-duplicate", message, best[1], None
        self._add(None, row, draft.pnc_id, draft.cro, dob, name)
        return "new", f"Row {row}: a new person", None, None

    def _found(self, hit: tuple[int | None, int], why: str) -> tuple[str, str, int | None, int | None]:
        nid, earlier = hit
        if nid is None:
            return "matched", f"{why} as row {earlier} of this file", None, earlier
        return "matched", f"{why} as nominal {nid}", nid, None


def _name(family: str, given: str) -> str:
    return mapping.words(f"{family} {given}")


def _key(identifier: str) -> str:
    return re.sub(r"[\s/]", "", identifier.upper())


def _closest(name: str, others: list[tuple[int | None, int, str]]) -> tuple[float, int | None, int] | None:
    """The most similar name of the same date of birth, if any is at least LOOSE_MATCH alike.
    The new name is compared once against each (SequenceMatcher caches it), cheap upper bounds
    first: a 200,000-row file stays linear."""
    if not others:
        return None
    matcher = SequenceMatcher(None, "", name)
    best: tuple[float, int | None, int] | None = None
    for nid, row, other in others:
        if other == name:
            return 1.0, nid, row
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() < LOOSE_MATCH or matcher.quick_ratio() < LOOSE_MATCH:
            continue
        ratio = matcher.ratio()
        if ratio >= LOOSE_MATCH and (best is None or ratio > best[0]):
            best = (ratio, nid, row)
    return best


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
