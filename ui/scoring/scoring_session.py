"""One sheet being scored, without its widgets (issue 17): the inputs as typed, the breakdown worked
out again on every edit (the engine is cheap), whether there is anything unsaved, the draft saved
and the sheet finalised. The scheme profile's flags read the person's facts and the profile's
criteria once per sheet — not the store on every keystroke. No Qt is imported here."""

from __future__ import annotations

import copy
from typing import Any

from ppo_desktop.domain import ScoreSheet
from ppo_desktop.scoring import Breakdown, Definition, score
from ppo_desktop.scoring.criteria import CriterionResult, evaluate_all
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.workspace import Made


class ScoringSession:
    def __init__(self, sheets: ScoreSheets, sheet: ScoreSheet) -> None:
        self.sheets = sheets
        self.sheet = sheet
        self.defn: Definition = sheets.definition_of(sheet)
        self.inputs: dict[str, Any] = copy.deepcopy(dict(sheet.inputs))
        previous = sheets.previous_final(sheet)
        self.previous: dict[str, float] | None = previous.line_scores() if previous else None
        self.previous_total: float | None = previous.total if previous else None
        self.person = sheets.person_facts(sheet.nominal_id)
        self.criteria = sheets.criteria()  # the profile in force when the sheet was opened
        self.breakdown: Breakdown = score(self.defn, self.inputs)
        self.dirty = False

    @property
    def final(self) -> bool:
        return self.sheet.final

    # -- editing --------------------------------------------------------------------------------
    def set_count(self, section: str, row: str, column: str, count: int) -> Breakdown:
        cells = self.inputs.setdefault(section, {}).setdefault(row, {})
        if count:
            cells[column] = count
        else:
            cells.pop(column, None)
            if not cells:
                self.inputs[section].pop(row)
        return self._edited()

    def set_value(self, section: str, value: Any) -> Breakdown:
        self.inputs[section] = value
        return self._edited()

    def set_sub_value(self, section: str, key: str, value: Any) -> Breakdown:
        self.inputs.setdefault(section, {})[key] = value
        return self._edited()

    def marker_changed(self) -> None:
        self.dirty = True

    def _edited(self) -> Breakdown:
        self.breakdown = score(self.defn, self.inputs)
        self.dirty = True
        return self.breakdown

    def flags(self) -> tuple[CriterionResult, ...]:
        """The matrix's own flags and the scheme profile's criteria on this sheet and person."""
        known = dict(self.breakdown.facts)
        known.update(self.person)
        return tuple(self.breakdown.flags) + evaluate_all(self.criteria, known)

    # -- saving ---------------------------------------------------------------------------------
    def save_draft(self, pnc_marker: bool) -> Made[ScoreSheet] | None:
        """The draft saved (None: nothing to save). A refusal (ServiceError) leaves it unsaved."""
        if not self.dirty or self.sheet.final:
            return None
        made = self.sheets.save_draft(self.sheet.id, copy.deepcopy(self.inputs), pnc_marker=pnc_marker)
        self.sheet = made.record
        self.dirty = False
        return made

    def finalise(self) -> Made[ScoreSheet]:
        made = self.sheets.finalise(self.sheet.id)
        self.sheet = made.record
        return made
