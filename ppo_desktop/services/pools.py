"""Who is ranked for selection: each strand's pool on sheets of its own matrix (its threshold and
capacity applied), and what the agenda proposals read of the sheets (ASSET readings, when each
person was last scored). A service of its own, composed where it is used."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import CaseFact, NominationState, ScoreSheet, Strand
from ppo_desktop.rules import facts
from ppo_desktop.rules.agenda import AssetReading
from ppo_desktop.rules.ranking import PoolEntry, Ranking, rank
from ppo_desktop.scoring import (
    Catalogue,
    DefinitionError,
    InputError,
    score,
    shipped,
)
from ppo_desktop.scoring.criteria import Fact, evaluate_all
from ppo_desktop.services import rows
from ppo_desktop.services.cases import Cases
from ppo_desktop.services.workspace import Workspace


class Pools:
    def __init__(self, ws: Workspace, catalogue: Catalogue | None = None) -> None:
        self.ws = ws
        self.catalogue = catalogue or shipped()

    def pool(self, strand: Strand) -> Ranking:
        """Candidates nominated for ``strand`` and its current cohort, ranked together on sheets of the
        strand's own matrix only (an old ASSET sheet never ranks someone in the C&C pool). Where the
        matrix states a selection threshold (P&D: ASSET > 21 or RoSH), only those who meet it are
        within capacity."""
        cases = Cases(self.ws)
        profile = self.ws.profile()
        if strand not in profile.matrices:
            return self._by_iom_score(strand)
        matrix = profile.matrices[strand]
        current = self.catalogue.get(matrix, on=self.ws.today())
        threshold = next((c for c in current.criteria if c.key == "nominate"), None)
        latest: dict[int, ScoreSheet] = {}
        for r in self.ws.db.query(
            "SELECT * FROM score_sheets WHERE matrix_id = ? ORDER BY scored_on, id", [matrix]
        ):
            latest[r["nominal_id"]] = rows.score_sheet(r)
        people: dict[int, tuple[str, str, bool, dt.date]] = {}
        for row in cases.cohort(include_former=False):
            m = row.membership
            if m is not None and m.strand is strand:
                people[row.nominal.id] = (row.nominal.ref, row.nominal.display_name, True, m.added_on)
        for r in self.ws.db.query(
            "SELECT n.id, n.ref, n.family_name, n.given_names, min(o.nominated_on) AS since "
            "FROM nominations o JOIN nominals n ON n.id = o.nominal_id "
            "WHERE o.state = ? AND o.strand = ? GROUP BY n.id",
            [NominationState.OPEN.value, strand.value],
        ):
            if r["id"] not in people:
                name = f"{r['family_name'].upper()}, {r['given_names']}"
                since = rows.date_or_none(r["since"]) or self.ws.today()
                people[r["id"]] = (r["ref"], name, False, since)
        case_facts: dict[int, list[CaseFact]] = {}
        for r in self.ws.db.query("SELECT * FROM case_facts"):
            case_facts.setdefault(r["nominal_id"], []).append(rows.case_fact(r))
        window = profile.rescore_months.get(strand)
        stale_from = self.ws.today() - relativedelta(months=window) if window else None
        entries = []
        lapses = facts.lapsing(profile)
        for nid, (ref, name, member, since) in people.items():
            sheet = latest.get(nid)
            sheet_facts: dict[str, Fact] = dict(self._facts_of(sheet)) if sheet else {}
            eligible, why = True, ""
            if threshold is not None:
                verdict = evaluate_all((threshold,), sheet_facts)[0]
                answer = {True: "meets it", False: "does not", None: "not known"}[verdict.met]
                eligible, why = verdict.met is True, f"{answer}: {'; '.join(verdict.reasons)}"
            person = facts.person_facts(cases.nominal(nid), case_facts.get(nid, []), self.ws.today(), lapses)
            inclusion = "; ".join(r.text for r in evaluate_all(profile.criteria, {**sheet_facts, **person}))
            entries.append(
                PoolEntry(
                    nid,
                    ref,
                    name,
                    sheet.total if sheet else None,
                    member,
                    since,
                    bool(sheet and not sheet.final),
                    eligible,
                    why,
                    inclusion,
                    sheet.scored_on if sheet else None,
                    bool(sheet and stale_from and sheet.scored_on < stale_from),
                )  # fmt: skip
            )
        again = f"scored again every {window} months ({profile.source_of('rescore_months')})"
        return self._ranked(strand, entries, again if window else "")

    def _by_iom_score(self, strand: Strand) -> Ranking:
        """A cohort with no scoring matrix (IOM's Fixed, Flex and Free): its members, the people
        nominated for it, and everyone on no list whose offences meet its entry rule, ranked by the IOM
        score as at today (computed from their offences; never stored). Only those who meet the rule
        are within capacity; each says why."""
        from ppo_desktop.services.offences import Offences

        day, profile = self.ws.today(), self.ws.profile()
        rule = profile.entry_rules.get(strand)
        scores = Offences(self.ws).scores(day)
        people: dict[int, tuple[bool, dt.date]] = {}
        listed: set[int] = set()
        for r in self.ws.db.execute(
            "SELECT nominal_id, strand, added_on FROM memberships WHERE removed_on IS NULL AND is_lead"
        ):
            listed.add(r[0])
            if r[1] == strand.value:
                people[r[0]] = (True, dt.date.fromisoformat(r[2]))
        for nid, since in self.ws.db.execute(
            "SELECT nominal_id, min(nominated_on) FROM nominations WHERE state = ? AND strand = ? "
            "GROUP BY nominal_id",
            [NominationState.OPEN.value, strand.value],
        ):
            people.setdefault(nid, (False, dt.date.fromisoformat(since)))
        verdicts: dict[int, tuple[bool, str]] = {}
        for nid, score_now in scores.items():
            counted = tuple((o.category, o.on.isoformat()) for o in score_now.counted)
            verdicts[nid] = rule.read(counted, score_now.total) if rule else (True, "")
            if nid not in listed and verdicts[nid][0]:
                people.setdefault(nid, (False, day))  # meets the rule: a candidate, nominated or not
        nominals = {r["id"]: rows.nominal(r) for r in self.ws.db.query("SELECT * FROM nominals")
                    if r["id"] in people}  # fmt: skip
        entries = []
        for nid, (member, since) in people.items():
            scored = scores.get(nid)
            eligible, why = verdicts.get(nid, (rule is None, "no counted offence" if rule else ""))
            n = nominals[nid]
            entries.append(
                PoolEntry(
                    nid, n.ref, n.display_name, scored.total if scored else None, member, since,
                    eligible=eligible, why=f"{'meets' if eligible else 'does not meet'} the entry rule: {why}"
                    if rule else "", scored_on=day, by_entry_rule=rule is not None,
                )  # fmt: skip
            )
        return self._ranked(strand, entries, "")

    def _ranked(self, strand: Strand, entries: list[PoolEntry], stale_note: str) -> Ranking:
        capacity, note = self._capacity_line(strand, len(entries))
        own = self.ws.profile().capacity.get(strand)
        return dataclasses.replace(
            rank(entries, capacity, own.min if own else 0),
            line_note=note,
            stale_note=stale_note,
            group_notes=tuple(self._group_notes(strand)),
        )

    def _group_notes(self, strand: Strand) -> list[str]:
        """Strands counted together (Thurrock: C&C + R&R at least 20): what they hold now against it."""
        out = []
        for group in self.ws.profile().capacity_groups:
            if strand not in group.strands:
                continue
            held = self._held([s.value for s in group.strands])
            short = f": {group.min - held} short of the minimum" if held < group.min else ""
            over = f": {held - group.max} over the maximum" if group.max and held > group.max else ""
            out.append(f"{group.text}; they hold {held} now{short}{over}")
        return out

    def _capacity_line(self, strand: Strand, pool_size: int) -> tuple[int, str]:
        """Where the capacity line falls: the strand's own maximum, else what a group of strands
        counted together leaves for it, else nowhere (everyone eligible is within)."""
        profile = self.ws.profile()
        own = profile.capacity.get(strand)
        if own is not None and own.max is not None:
            return own.max, own.text
        group = next((g for g in profile.capacity_groups if strand in g.strands and g.max is not None), None)
        if group is None or group.max is None:
            return pool_size, "no maximum set"
        others = [s.value for s in group.strands if s is not strand]
        held = self._held(others)
        line = max(0, group.max - held)
        return line, f"{group.text}; {', '.join(others)} hold {held}, leaving {line}"

    def _held(self, strands: list[str]) -> int:
        """People on any of ``strands`` now (their lead strand; the amber list holds no place)."""
        return int(
            self.ws.db.execute(
                f"SELECT count(*) FROM memberships WHERE is_lead AND removed_on IS NULL AND NOT amber "
                f"AND strand IN ({', '.join('?' * len(strands))})",
                strands,
            ).fetchone()[0]
        )

    def last_scored(self) -> dict[tuple[int, str], dt.date]:
        """Each person's latest final sheet date on each matrix (the re-scoring window reads it)."""
        return {
            (r[0], r[1]): dt.date.fromisoformat(r[2])
            for r in self.ws.db.execute(
                "SELECT nominal_id, matrix_id, max(scored_on) FROM score_sheets WHERE state = 'final' "
                "GROUP BY nominal_id, matrix_id"
            )
        }

    def asset_readings(self) -> dict[int, AssetReading]:
        """Each P&D member's latest final sheet on the P&D matrix, read by the matrix now in force:
        its de-selection prompt (ASSET below 21 and no RoSH; on AssetPlus, neither rating high) and
        whether the sheet's total is rising."""
        matrix = self.ws.profile().matrices.get(Strand.PREVENT_DETER)
        if matrix is None:  # a scheme with no P&D (IOM's cohorts)
            return {}
        criteria = self.catalogue.get(matrix, on=self.ws.today()).criteria
        prompt = next((c for c in criteria if c.key == "deselect_prompt"), None)
        sheets: dict[int, list[ScoreSheet]] = {}
        for r in self.ws.db.query(
            "SELECT s.* FROM score_sheets s JOIN memberships m ON m.nominal_id = s.nominal_id "
            "WHERE s.matrix_id = ? AND s.state = 'final' AND m.strand = ? AND m.removed_on IS NULL "
            "ORDER BY s.scored_on, s.id",
            [matrix, Strand.PREVENT_DETER.value],
        ):
            sheets.setdefault(r["nominal_id"], []).append(rows.score_sheet(r))
        out = {}
        for nid, theirs in sheets.items():
            last = theirs[-1]
            result = evaluate_all((prompt,), self._facts_of(last))[0] if prompt else None
            rising = len(theirs) > 1 and last.total > theirs[-2].total
            said = "; ".join(result.reasons) if result else ""
            out[nid] = AssetReading(last.total, last.scored_on, result.met if result else None, rising, said)
        return out

    def _facts_of(self, sheet: ScoreSheet) -> Mapping[str, Fact]:
        """The facts a sheet gives its criteria, re-derived from its inputs on its own definition."""
        try:
            return score(self.catalogue.get(sheet.matrix_id, sheet.matrix_version), sheet.inputs).facts
        except (DefinitionError, InputError):
            return {}
