"""Returns for boards and national returns: the cohort list, removals, and a year's re-offending
cohort, as CSV. Each export is a disclosure recorded (with recipient and justification) before the
bytes are handed over; every cell is neutralised against formula injection."""

from __future__ import annotations

import json

from ppo_desktop import spreadsheet
from ppo_desktop.i18n import _
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.cohort_years import CohortYears
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.workspace import ServiceError, Workspace

KINDS = ("cohort", "removals", "reoffending")
COHORT_HEADER = (
    "Reference",
    "Family name",
    "Given names",
    "Date of birth",
    "PNC",
    "CRO",
    "Gender",
    "Ethnicity",
    "Area",
    "Strand",
    "Basis",
    "Status",
    "Date added",
    "Next review",
    "Agency",
    "Reason",
)


class Exports:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def build(self, kind: str, *, year_label: str = "") -> tuple[str, bytes, list[int]]:
        """(title, CSV bytes, the people in it) — nothing has left the app yet."""
        if kind == "cohort":
            return self._cohort()
        if kind == "removals":
            return self._removals()
        if kind == "reoffending":
            return self._reoffending(year_label)
        raise ServiceError(
            _("There is no export {kind!r}; choose one of {join}.").format(kind=kind, join=", ".join(KINDS))
        )

    def export(
        self, kind: str, *, how: str, recipient: str, justification: str, year_label: str = ""
    ) -> bytes:
        self.ws.require("Exporting personal data in bulk")
        title, data, people = self.build(kind, year_label=year_label)
        Documents(self.ws).disclose_export(
            title, data, people, how=how, recipient=recipient, justification=justification
        )
        return data

    def _cohort(self) -> tuple[str, bytes, list[int]]:
        nominations = {
            r["nominal_id"]: r
            for r in self.ws.db.query(
                "SELECT nominal_id, agency, reason FROM nominations ORDER BY nominated_on"
            )
        }
        rows, people = [], []
        for line in Cases(self.ws).cohort(include_former=False):
            n, m = line.nominal, line.membership
            assert m is not None
            nomination = nominations.get(n.id, {"agency": "", "reason": ""})
            rows.append(
                (
                    n.ref,
                    n.family_name,
                    n.given_names,
                    n.dob.isoformat() if n.dob else "",
                    n.pnc_id,
                    n.cro,
                    n.gender,
                    n.ethnicity,
                    n.area,
                    m.strand.value,
                    m.basis.value,
                    m.status.label,
                    m.added_on.isoformat(),
                    m.next_review_on.isoformat() if m.next_review_on else "",
                    nomination["agency"],
                    nomination["reason"],
                )
            )
            people.append(n.id)
        return "Cohort list", spreadsheet.to_csv([COHORT_HEADER, *rows]), people

    def _removals(self) -> tuple[str, bytes, list[int]]:
        labels = Documents(self.ws).reason_labels()
        rows, people = [], []
        for r in self.ws.db.query(
            "SELECT n.id, n.ref, n.family_name, n.given_names, m.strand, m.added_on, m.removed_on, "
            "m.removal_reason, m.removal_authority, m.removal_outcomes FROM memberships m "
            "JOIN nominals n ON n.id = m.nominal_id WHERE m.removed_on IS NOT NULL ORDER BY m.removed_on"
        ):
            outcomes = ", ".join(json.loads(r["removal_outcomes"] or "[]"))
            rows.append(
                (
                    r["ref"],
                    r["family_name"],
                    r["given_names"],
                    r["strand"],
                    r["added_on"],
                    r["removed_on"],
                    labels.get(r["removal_reason"], r["removal_reason"]),
                    r["removal_authority"],
                    outcomes,
                )
            )
            people.append(r["id"])
        header = ("Reference", "Family name", "Given names", "Strand", "Date added", "Date removed", "Reason",
                  "On whose authority", "Outcomes")  # fmt: skip
        return "Removals", spreadsheet.to_csv([header, *rows]), sorted(set(people))

    def _reoffending(self, label: str) -> tuple[str, bytes, list[int]]:
        years = CohortYears(self.ws)
        year = next((y for y in years.all() if y.label == label), None)
        if year is None:
            known = ", ".join(y.label for y in years.all()) or "none yet"
            raise ServiceError(
                _("There is no cohort year {label!r} (known: {known}).").format(label=label, known=known)
            )
        counts = years.counts(year.id)
        rows = [
            (
                n.ref,
                n.family_name,
                n.given_names,
                n.pnc_id,
                *("" if c is None else c for c in counts[n.id]),
                sum(c or 0 for c in counts[n.id]),
            )  # fmt: skip
            for n in years.members(year.id)
        ]
        header = ("Reference", "Family name", "Given names", "PNC", "Q1", "Q2", "Q3", "Q4", "Year")
        return f"Re-offending cohort {year.label}", spreadsheet.to_csv([header, *rows]), list(counts)
