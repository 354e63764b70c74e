"""Score sheets: drafts, finalising, never rewriting, history, line-by-line change, ranking the pool."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ppo_desktop.domain import Basis, Status, Strand
from ppo_desktop.rules.ranking import PoolEntry, rank
from ppo_desktop.scoring import DefinitionError, shipped
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.pools import Pools
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.workspace import ServiceError, Workspace


def nominal_on(ws: Workspace, strand: Strand = Strand.CATCH_CONVICT, name: str = "Quillfeather") -> int:
    cases = Cases(ws)
    nominal = cases.add_nominal(NominalDraft(name, "Zebedee")).record
    Memberships(cases.ws).select(
        nominal.id, strand, Basis.PROLIFIC, Status.OFFENDING_CJS, on=dt.date(2026, 1, 5)
    )
    return nominal.id


def test_draft_finalise_rescore_and_history(ws: Workspace) -> None:
    sheets = ScoreSheets(ws)
    nid = nominal_on(ws)
    draft = sheets.start(nid).record
    assert draft.matrix_id == "thurrock-2009-appendix2" and draft.total == 0 and not draft.final
    assert sheets.start(nid).record.id == draft.id  # one draft at a time
    inputs = dict(draft.inputs)
    inputs["offences"] = {"robbery": {"convicted": 2}}
    inputs["impact"] = "serious"
    changes = sheets.save_draft(draft.id, inputs, pnc_marker=True)
    saved = changes.record
    assert saved.total == 10 + 5 + 3  # robbery 2×5, impact 5, serial 2 offences → 3
    assert saved.pnc_marker and "score_drafts" in changes.topics  # a draft, not yet a record
    final = sheets.finalise(draft.id).record
    assert final.final
    with pytest.raises(ServiceError, match="never rewritten"):
        sheets.save_draft(final.id, inputs)
    with pytest.raises(Exception, match="never rewritten"):  # the store refuses too
        ws.db.execute("UPDATE score_sheets SET total = 0 WHERE id = ?", [final.id])

    second = sheets.start(nid).record
    inputs2 = dict(second.inputs)
    inputs2["offences"] = {"robbery": {"convicted": 1}, "shoplifting": {"suspected": 1}}
    inputs2["impact"] = "serious"
    second = sheets.save_draft(second.id, inputs2).record
    assert sheets.previous_final(second) == final
    differences = {c.key: (c.before, c.after) for c in sheets.compare(final, second)}
    assert differences == {"robbery": (10, 5), "shoplifting": (0, 2)}
    backwards = {c.key: (c.before, c.after) for c in sheets.compare(second, final)}
    assert backwards == {"robbery": (5, 10), "shoplifting": (2, 0)}  # a line gone to nothing still shows
    assert {c.key: c.after for c in sheets.compare(None, final)} == {"robbery": 10, "impact": 5, "serial": 3}
    sheets.finalise(second.id)
    history = sheets.history(nid)
    assert [s.total for s in history] == [15, 18] and all(s.final for s in history)


def test_every_draft_save_is_audited(ws: Workspace) -> None:
    sheets = ScoreSheets(ws)
    draft = sheets.start(nominal_on(ws)).record
    inputs = dict(draft.inputs)
    inputs["intelligence"] = 3
    sheets.save_draft(draft.id, inputs)
    last = list(ws.db.query("SELECT * FROM audit ORDER BY seq DESC LIMIT 1"))[0]
    assert last["entity"] == "score_sheet" and last["kind"] == "alteration"
    assert '"intelligence": 5' in last["after"]
    count = ws.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    sheets.save_draft(draft.id, inputs)  # nothing changed: nothing written
    assert ws.db.execute("SELECT count(*) FROM audit").fetchone()[0] == count


def test_bad_inputs_refused_with_message(ws: Workspace) -> None:
    sheets = ScoreSheets(ws)
    draft = sheets.start(nominal_on(ws)).record
    with pytest.raises(ServiceError, match="count cannot be negative"):
        sheets.save_draft(draft.id, {**draft.inputs, "offences": {"robbery": {"convicted": -2}}})
    assert sheets.get(draft.id).inputs == draft.inputs


def test_pd_nominal_scored_on_asset(ws: Workspace) -> None:
    sheet = ScoreSheets(ws).start(nominal_on(ws, Strand.PREVENT_DETER)).record
    assert sheet.matrix_id == "pd-asset-2008"


def test_definition_changed_in_place_is_refused(ws: Workspace) -> None:
    sheets = ScoreSheets(ws)
    sheets.start(nominal_on(ws))
    defn = shipped().get("thurrock-2009-appendix2", "1.0")
    tampered = dataclasses.replace(defn, title="Edited in place")
    with pytest.raises(DefinitionError, match="edited in place"):
        sheets.start(nominal_on(ws, name="Mossbottom"), tampered)


def test_profile_sets_review_cadence(ws: Workspace) -> None:
    nid = nominal_on(ws, Strand.PREVENT_DETER)
    assert Memberships(ws).current_membership(nid).next_review_on == dt.date(2026, 4, 5)  # type: ignore[union-attr]
    with ws.writing() as db:
        db.table("settings").insert({"key": "profile", "value": "stockton-2009"}, replace=True)
    other = nominal_on(ws, Strand.CATCH_CONVICT, name="Nettlebed")
    assert Memberships(ws).current_membership(other).next_review_on == dt.date(2026, 4, 5)  # type: ignore[union-attr]


def entry(ref: str, total: float | None, member: bool, day: int = 1) -> PoolEntry:
    return PoolEntry(int(ref[1:]), ref, ref, total, member, dt.date(2026, 1, day))


def test_ranking_rule_line_and_swaps() -> None:
    pool = [
        entry("N1", 30, True),
        entry("N2", 12, True),
        entry("N3", 25, False),
        entry("N4", 25, False, 2),
        entry("N5", None, False),
        entry("N6", 25, True, 3),
    ]
    ranking = rank(pool, capacity=3)
    assert [r.entry.ref for r in ranking.rows] == ["N1", "N3", "N4", "N6", "N2", "N5"]
    assert [r.above_line for r in ranking.rows] == [True, True, True, False, False, False]
    assert [e.ref for e in ranking.members_below_line] == ["N6", "N2"]
    assert [e.ref for e in ranking.candidates_above_line] == ["N3", "N4"]
    assert "earlier" in ranking.tie_break


def test_pool_ranks_candidates_with_cohort(ws: Workspace) -> None:
    sheets = ScoreSheets(ws)
    member = nominal_on(ws)
    cases = Cases(ws)
    candidate = cases.add_nominal(NominalDraft("Picklesham", "Rufus")).record
    Nominations(ws).nominate(
        candidate.id,
        agency="Police",
        nominator="PC Example",
        strand=Strand.CATCH_CONVICT,
        basis=Basis.PROLIFIC,
        reason="volume",
        on=dt.date(2026, 2, 1),
    )
    for nid, robberies in ((member, 1), (candidate.id, 3)):
        sheet = sheets.start(nid).record
        sheets.save_draft(sheet.id, {**sheet.inputs, "offences": {"robbery": {"convicted": robberies}}})
    ranking = Pools(ws).pool(Strand.CATCH_CONVICT)
    assert [(r.entry.nominal_id, r.entry.is_member, r.entry.draft) for r in ranking.rows] == [
        (candidate.id, False, True),
        (member, True, True),
    ]
    assert ranking.capacity == 30  # Thurrock C&C max


def test_london_definition_flag(ws: Workspace) -> None:
    from ppo_desktop.services.settings import Settings

    Settings(ws).set_profile("london-haringey-2007")
    cases = Cases(ws)
    nominal = cases.add_nominal(NominalDraft("Crumpleton", "Horatio", dob=dt.date(1995, 3, 1))).record
    Memberships(cases.ws).select(nominal.id, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS)
    sheets = ScoreSheets(ws)
    sheet = sheets.start(nominal.id).record
    inputs = {
        **sheet.inputs,
        "offences": {"robbery": {"convicted": 1}, "shoplifting": {"suspected": 3}},
        "lifestyle": {"drugs": "yes"},
    }
    sheet = sheets.save_draft(sheet.id, inputs).record
    defn = sheets.definition_of(sheet)
    from ppo_desktop.scoring import score

    flags = {f.key: f for f in sheets.profile_flags(nominal.id, score(defn, sheet.inputs))}
    london = flags["london_definition"]
    assert london.met is False
    assert "indications of criminal activity in 2 years 4 (needs ≥ 6)" in london.text
    assert flags["drug_alcohol"].met is True and flags["drug_alcohol"].advisory
    inputs["offences"]["shoplifting"] = {"suspected": 5}
    sheet = sheets.save_draft(sheet.id, inputs).record
    london = {f.key: f for f in sheets.profile_flags(nominal.id, score(defn, sheet.inputs))}[
        "london_definition"
    ]
    assert london.met is None and "lives in the borough not known" in london.text  # residence never guessed
