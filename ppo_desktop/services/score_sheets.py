"""Score sheets: drafts saved as the panel types, finalised once, never rewritten (001 ¶26, ¶34)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import ScoreSheet, SheetState, Strand
from ppo_desktop.i18n import _
from ppo_desktop.rules import facts
from ppo_desktop.scoring import (
    Breakdown,
    Catalogue,
    Definition,
    DefinitionError,
    InputError,
    empty_inputs,
    score,
    shipped,
)
from ppo_desktop.scoring.criteria import Criterion, CriterionResult, Fact, evaluate_all
from ppo_desktop.services import rows
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.workspace import Changes, Made, ServiceError, Topic, Workspace

NO_MATRIX = (
    "{strand} has no scoring matrix in this scheme: its people are ranked by the IOM score, worked out "
    "from their recorded offences (Candidates, and the case's Offences)."
)


@dataclass(frozen=True)
class LineChange:
    key: str
    label: str
    before: float | None
    after: float

    @property
    def delta(self) -> float:
        return self.after - (self.before or 0.0)


class ScoreSheets:
    def __init__(self, ws: Workspace, catalogue: Catalogue | None = None) -> None:
        self.ws = ws
        self.catalogue = catalogue or shipped()

    def criteria(self) -> tuple[Criterion, ...]:
        """The selection criteria of the profile in force (a sheet opened now is read against them)."""
        return self.ws.profile().criteria

    def can_save(self) -> bool:
        """Whether the store is still open (no query: autosave asks this every few seconds)."""
        return self.ws.is_open

    # -- definitions ---------------------------------------------------------------------
    def definition_for(self, nominal_id: int) -> Definition:
        """The profile's matrix for the nominal's lead strand (C&C's for candidates)."""
        current = Memberships(self.ws).current_membership(nominal_id)
        profile = self.ws.profile()
        strand = current.strand if current else self._nominated_strand(nominal_id)
        if strand not in profile.matrices:
            raise ServiceError(NO_MATRIX.format(strand=strand.value))
        return self.catalogue.get(profile.matrices[strand], on=self.ws.today())

    def definition_of(self, sheet: ScoreSheet) -> Definition:
        defn = self.catalogue.get(sheet.matrix_id, sheet.matrix_version)
        if defn.hash != sheet.matrix_hash:
            raise DefinitionError(
                _(
                    "{label} has changed since this sheet was scored; the sheet keeps its own breakdown."
                ).format(label=defn.label)
            )
        return defn

    def register(self, defn: Definition) -> None:
        """Record each definition the first time it is used; refuse one changed in place."""
        known = list(
            self.ws.db.query(
                "SELECT hash FROM matrix_definitions WHERE id = ? AND version = ?", [defn.id, defn.version]
            )
        )
        if known and known[0]["hash"] != defn.hash:
            raise DefinitionError(
                _(
                    "{label} differs from the version already used in this store (it was edited in place). "
                    "Give the changed definition a new version number."
                ).format(label=defn.label)
            )
        if not known:
            body = json.dumps(dataclasses.asdict(defn), default=str, sort_keys=True)
            self.ws.db.table("matrix_definitions").insert(
                {
                    "id": defn.id,
                    "version": defn.version,
                    "hash": defn.hash,
                    "body": body,
                    "first_used": self.ws.now().isoformat(timespec="seconds"),
                }
            )

    # -- writing -------------------------------------------------------------------------
    def start(self, nominal_id: int, defn: Definition | None = None) -> Made[ScoreSheet]:
        """Open a new draft sheet (or return the nominal's existing draft)."""
        existing = self.draft_of(nominal_id)
        if existing is not None:
            return Changes().made(existing)
        defn = defn or self.definition_for(nominal_id)
        if defn.status == "retired":
            raise ServiceError(
                _("{label} is retired; score on the current version.").format(label=defn.label)
            )
        inputs = empty_inputs(defn)
        breakdown = score(defn, inputs)
        with self.ws.writing() as db:
            self.register(defn)
            db.table("score_sheets").insert(
                {
                    "nominal_id": nominal_id,
                    "matrix_id": defn.id,
                    "matrix_version": defn.version,
                    "matrix_hash": defn.hash,
                    "inputs": json.dumps(inputs),
                    "breakdown": json.dumps(breakdown.to_json(compact=True)),
                    "total": breakdown.total,
                    "scorer": self.ws.user.id,
                    "scored_on": self.ws.today().isoformat(),
                    "state": SheetState.DRAFT.value,
                    "pnc_marker": 0,
                }
            )
            sheet_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
            self.ws.audit.record(
                AuditKind.COLLECTION,
                "score_sheet",
                sheet_id,
                f"Scoring started on {defn.label}",
                at=self.ws.now(),
                nominal_id=nominal_id,
            )
        return Changes.of(Topic.SCORE_SHEETS, nominal_id=nominal_id).made(self.get(sheet_id))

    def save_draft(
        self, sheet_id: int, inputs: dict[str, Any], *, pnc_marker: bool | None = None
    ) -> Made[ScoreSheet]:
        """Save a draft's inputs (called, debounced, as the panel types). Final sheets are refused."""
        sheet = self.get(sheet_id)
        if sheet.final:
            raise ServiceError(
                _("This sheet is final and is never rewritten; start a new sheet to re-score.")
            )
        defn = self.definition_of(sheet)
        try:
            breakdown = score(defn, inputs)
        except InputError as exc:
            raise ServiceError(str(exc)) from exc
        marker = sheet.pnc_marker if pnc_marker is None else pnc_marker
        if inputs == sheet.inputs and marker == sheet.pnc_marker:
            return Changes().made(sheet)
        before = sheet.line_scores()
        changed = {ln.key: ln.score for ln in breakdown.lines if before.get(ln.key) != ln.score}
        with self.ws.writing() as db:
            db.table("score_sheets").update(
                sheet_id,
                {
                    "inputs": json.dumps(inputs),
                    "breakdown": json.dumps(breakdown.to_json(compact=True)),
                    "total": breakdown.total,
                    "pnc_marker": int(marker),
                    "scorer": self.ws.user.id,
                    "scored_on": self.ws.today().isoformat(),
                },
            )
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "score_sheet",
                sheet_id,
                "Draft score sheet saved",
                at=self.ws.now(),
                nominal_id=sheet.nominal_id,
                before={"total": sheet.total, **{k: before.get(k) for k in changed}},
                after={"total": breakdown.total, **changed},
            )
        # A draft is not a record yet: its own tag, so screens of final scores need not refresh.
        return Changes.of(Topic.SCORE_DRAFTS, nominal_id=sheet.nominal_id).made(self.get(sheet_id))

    def finalise(self, sheet_id: int) -> Made[ScoreSheet]:
        sheet = self.get(sheet_id)
        if sheet.final:
            raise ServiceError(_("This sheet is already final."))
        defn = self.definition_of(sheet)
        breakdown = score(defn, sheet.inputs)  # re-derived, so the record matches the engine exactly
        with self.ws.writing() as db:
            db.table("score_sheets").update(
                sheet_id,
                {
                    "state": SheetState.FINAL.value,
                    "breakdown": json.dumps(breakdown.to_json(compact=True)),
                    "total": breakdown.total,
                    "scored_on": self.ws.today().isoformat(),
                    "scorer": self.ws.user.id,
                },
            )
            self.ws.audit.record(
                AuditKind.ALTERATION,
                "score_sheet",
                sheet_id,
                f"Score sheet finalised: {breakdown.total:g} on {defn.label}",
                at=self.ws.now(),
                nominal_id=sheet.nominal_id,
                before={"state": "draft"},
                after={"state": "final", "total": breakdown.total, "inputs": sheet.inputs},
            )
        return Changes.of(Topic.SCORE_SHEETS, nominal_id=sheet.nominal_id).made(self.get(sheet_id))

    # -- reading -------------------------------------------------------------------------
    def get(self, sheet_id: int) -> ScoreSheet:
        return rows.score_sheet(self.ws.row("score_sheets", sheet_id, "score sheet"))

    def history(self, nominal_id: int) -> list[ScoreSheet]:
        """Every sheet for a nominal, newest first (a draft, if any, comes first)."""
        return [
            rows.score_sheet(r)
            for r in self.ws.db.query(
                "SELECT * FROM score_sheets WHERE nominal_id = ? "
                "ORDER BY state = 'draft' DESC, scored_on DESC, id DESC",
                [nominal_id],
            )
        ]

    def draft_of(self, nominal_id: int) -> ScoreSheet | None:
        return next((s for s in self.history(nominal_id) if not s.final), None)

    def previous_final(self, sheet: ScoreSheet) -> ScoreSheet | None:
        """The final sheet before ``sheet`` on the same matrix (what the widget shows beside each line):
        a total on another matrix — ASSET before AssetPlus, a P&D sheet before a move to C&C — is not
        a previous score of this one (it showed as "previous 19 (-19)")."""
        finals = [
            s
            for s in self.history(sheet.nominal_id)
            if s.final
            and s.matrix_id == sheet.matrix_id
            and s.id != sheet.id
            and (not sheet.final or (s.scored_on, s.id) < (sheet.scored_on, sheet.id))
        ]
        return finals[0] if finals else None

    @staticmethod
    def compare(before: ScoreSheet | None, after: ScoreSheet) -> list[LineChange]:
        """Line by line, what changed from the previous sheet (unchanged lines are left out)."""
        old = before.line_scores() if before else {}
        new = after.line_scores()
        labels = {
            str(ln["key"]): str(ln["label"]) for sheet in (before, after) if sheet for ln in sheet.lines()
        }
        out = []
        for key in sorted(set(old) | set(new), key=lambda k: list(labels).index(k)):
            prev, now = old.get(key, 0.0), new.get(key, 0.0)
            if now != prev:
                out.append(LineChange(key, labels[key], prev if before else None, now))
        return out

    def person_facts(self, nominal_id: int) -> dict[str, Fact]:
        """What profile criteria know of the person, not of the sheet: age and the case facts the
        coordinator recorded (read once per sheet shown)."""
        cases = Cases(self.ws)
        lapses = facts.lapsing(self.ws.profile())
        known = Custody(self.ws).facts(nominal_id)
        return facts.person_facts(cases.nominal(nominal_id), known, self.ws.today(), lapses)

    def profile_flags(
        self, nominal_id: int, breakdown: Breakdown, person: dict[str, Fact] | None = None
    ) -> tuple[CriterionResult, ...]:
        """The scheme profile's inclusion criteria (e.g. the London definition) on this sheet and person.

        Facts: the sheet's (offence count, tagged offences, lifestyle answers) plus the person's age
        and recorded case facts. A fact nobody has recorded (e.g. residence) makes its criterion
        "not known", never "no".
        """
        known: dict[str, Fact] = dict(breakdown.facts)
        known.update(person if person is not None else self.person_facts(nominal_id))
        return evaluate_all(self.ws.profile().criteria, known)

    def _nominated_strand(self, nominal_id: int) -> Strand:
        found = list(
            self.ws.db.query(
                "SELECT strand FROM nominations WHERE nominal_id = ? ORDER BY nominated_on DESC LIMIT 1",
                [nominal_id],
            )
        )
        if found:
            return Strand(found[0]["strand"])
        profile = self.ws.profile()  # nobody nominated them: C&C's matrix, where the scheme scores C&C
        scored = Strand.CATCH_CONVICT if Strand.CATCH_CONVICT in profile.matrices else None
        return scored or next(iter(profile.matrices), profile.strands[0])
