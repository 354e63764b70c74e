"""Merging two records that are one person (issue 29, deliver 6): everything moves, nothing is lost
(a fact both records hold is set aside for the undo), the history is derived again, it is audited,
and an administrator can undo it exactly."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ppo_desktop.domain import Basis, NominationState, Pathway, RemovalReason, Role, Status, Strand
from ppo_desktop.rules.history import EventKind
from ppo_desktop.services.actions import Actions
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.custody import Custody
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.nominations import Nominations
from ppo_desktop.services.person_history import PersonHistory
from ppo_desktop.services.person_merge import PersonMerge
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.settings import Settings
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import PermissionDenied, ServiceError, Workspace

TABLES = ("nominations", "person_events", "score_sheets", "actions", "case_facts", "memberships")


def _counts(ws: Workspace, nid: int) -> dict[str, int]:
    return {
        t: ws.db.execute(f"SELECT count(*) FROM {t} WHERE nominal_id = ?", [nid]).fetchone()[0]
        for t in TABLES
    }


def _two_records(ws: Workspace) -> tuple[int, int]:
    Settings(ws).set_profile("staffordshire-2005")  # (its inclusion criteria read recorded facts)
    cases, memberships, custody = Cases(ws), Memberships(ws), Custody(ws)
    kept = cases.add_nominal(
        NominalDraft("Holloway-Mergetest", "Bradley James", dob=dt.date(1990, 2, 3))
    ).record.id
    dupe = cases.add_nominal(NominalDraft("Holloway-Mergetest", "Brad", dob=dt.date(1990, 2, 3))).record.id
    memberships.select(
        kept, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS, on=dt.date(2026, 1, 5)
    )
    ScoreSheets(ws).finalise(ScoreSheets(ws).start(kept).record.id)
    custody.record_fact(kept, "dv_incidents_12m", 4)
    rr = Strand.REHABILITATE_RESETTLE
    Nominations(ws).nominate(dupe, agency="Probation", nominator="PO Example", strand=rr,
                             basis=Basis.PROLIFIC, reason="Test", on=dt.date(2026, 3, 1))  # fmt: skip
    memberships.record_activity(dupe, arrest_on=dt.date(2026, 10, 1))
    ScoreSheets(ws).finalise(ScoreSheets(ws).start(dupe).record.id)
    Actions(ws).add(dupe, pathway=Pathway.ETE, description="Training (test)", agency="JCP", owner="Adviser",
                    due_on=dt.date(2027, 1, 5))  # fmt: skip
    custody.record_fact(dupe, "dv_incidents_12m", 7)  # both records hold this fact: the later one stands
    return kept, dupe


def test_a_merge_moves_everything_derives_the_history_again_and_undoes_exactly(ws: Workspace) -> None:
    kept, dupe = _two_records(ws)
    before = {kept: _counts(ws, kept), dupe: _counts(ws, dupe)}
    PersonMerge(ws).merge(kept, dupe, justification="Same PNC record: one person (test)")

    assert ws.db.execute("SELECT 1 FROM nominals WHERE id = ?", [dupe]).fetchone() is None
    after = _counts(ws, kept)
    for table in ("nominations", "person_events", "score_sheets", "actions"):
        assert after[table] == before[kept][table] + before[dupe][table], table
    # one history: the fact as last recorded, on either record, stands (both recordings stay in it)
    assert [(f.fact, f.value) for f in Custody(ws).facts(kept)] == [("dv_incidents_12m", 7)]
    facts = [e for e in PersonHistory(ws).events(kept) if e.kind is EventKind.FACT]
    assert [e.details["value"] for e in facts] == [4, 7]
    case = Cases(ws).case_file(kept)
    assert "HOLLOWAY-MERGETEST, Brad" in case.nominal.aliases
    assert case.state.last_arrest_on == dt.date(2026, 10, 1)  # the history is one history now
    assert Memberships(ws).current_membership(kept) is not None
    [entry] = [e for e in ws.audit.search(nominal_id=kept, limit=5) if "merged into" in e.summary]
    assert json.loads(entry.after or "{}")["set_aside"] == {}
    assert ws.audit.verify().ok

    [merge] = PersonMerge(ws).merges()
    PersonMerge(ws).undo(merge.id, justification="Two people after all (test)")
    assert _counts(ws, kept) == before[kept] and _counts(ws, dupe) == before[dupe]
    assert [(f.fact, f.value) for f in Custody(ws).facts(dupe)] == [("dv_incidents_12m", 7)]
    assert [(f.fact, f.value) for f in Custody(ws).facts(kept)] == [("dv_incidents_12m", 4)]
    assert "HOLLOWAY-MERGETEST, Brad" not in Cases(ws).nominal(kept).aliases
    assert Cases(ws).nominal(dupe).ref == merge.merged_ref
    with pytest.raises(ServiceError, match="already been undone"):
        PersonMerge(ws).undo(merge.id, justification="Again")
    assert ws.audit.verify().ok


def test_merges_are_refused_where_they_should_be(ws: Workspace) -> None:
    kept, dupe = _two_records(ws)
    merge = PersonMerge(ws)
    with pytest.raises(ServiceError, match="two different people"):
        merge.merge(kept, kept, justification="x")
    with pytest.raises(ServiceError, match="needs its reason"):
        merge.merge(kept, dupe, justification=" ")
    member = Users(ws).add("member", "Panel Member", Role.PANEL_MEMBER, "member passphrase 12").record
    with pytest.raises(PermissionDenied):
        PersonMerge(Workspace(ws.vault, member)).merge(kept, dupe, justification="x")
    coordinator = Users(ws).add("coord", "Coordinator", Role.COORDINATOR, "coordinator passphrase 1").record
    PersonMerge(Workspace(ws.vault, coordinator)).merge(kept, dupe, justification="One person (test)")
    [done] = merge.merges()
    with pytest.raises(PermissionDenied):
        PersonMerge(Workspace(ws.vault, coordinator)).undo(done.id, justification="x")


def test_the_guards_let_only_the_person_column_move_and_only_inside_a_merge(ws: Workspace) -> None:
    kept, dupe = _two_records(ws)
    event = ws.db.execute("SELECT id FROM person_events WHERE nominal_id = ?", [dupe]).fetchone()[0]
    with pytest.raises(Exception, match="append-only"):
        ws.db.execute("UPDATE person_events SET nominal_id = ? WHERE id = ?", [kept, event])
    ws.db.execute("INSERT INTO merging VALUES (?), (?)", [kept, dupe])  # an insider's marker
    with pytest.raises(Exception, match="append-only"):
        ws.db.execute("UPDATE person_events SET occurred_on = '2020-01-01' WHERE id = ?", [event])
    sheet = ws.db.execute(
        "SELECT id FROM score_sheets WHERE nominal_id = ? AND state = 'final'", [dupe]
    ).fetchone()[0]
    with pytest.raises(Exception, match="never rewritten"):
        ws.db.execute("UPDATE score_sheets SET total = 999 WHERE id = ?", [sheet])


def test_erasing_the_kept_person_takes_the_merge_record_with_them(ws: Workspace) -> None:
    """The merge keeps the merged record's row (for an undo): an erasure must not leave it behind."""
    from ppo_desktop.services.retention import Retention

    kept, dupe = _two_records(ws)
    PersonMerge(ws).merge(kept, dupe, justification="One person (test)")
    membership = Memberships(ws).current_membership(kept)
    assert membership is not None
    gone = RemovalReason.STOPPED_OFFENDING
    Memberships(ws).remove(membership.id, gone, authority="Test", on=dt.date(2026, 1, 6))
    later = Workspace(ws.vault, ws.user, clock=lambda: dt.datetime(2034, 1, 1, tzinfo=dt.UTC))
    for nomination in Nominations(later).open_nominations():
        Nominations(later).set_state(nomination.id, NominationState.DECLINED, justification="test")
    Retention(later).erase(kept, justification="Retention review (test)")
    assert ws.db.execute("SELECT count(*) FROM person_merges").fetchone()[0] == 0
    assert "Mergetest" not in json.dumps([list(r) for r in ws.db.execute("SELECT * FROM person_merges")])
    assert ws.audit.verify().ok


def test_the_command_line_merges_and_undoes(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ppo_desktop import cli
    from tests.ppo_desktop.conftest import ADMIN_PASS

    kept, dupe = _two_records(ws)
    refs = Cases(ws).nominal(kept).ref, Cases(ws).nominal(dupe).ref
    store = ws.vault.paths.store
    ws.close()
    monkeypatch.setenv("PPO_PASSPHRASE", ADMIN_PASS)
    base = ["merge-people", str(store), "--user", "admin", "--why", "One person (test)"]
    assert cli.main([*base, "--keep", refs[0], "--merge", refs[1]]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"merged {refs[1]} into {refs[0]} (merge 1;")
    assert cli.main([*base, "--keep", refs[0], "--merge", refs[1]]) != 0  # gone now: said, not a traceback
    assert "ppo-admin:" in capsys.readouterr().err
    assert cli.main([*base, "--undo", "1"]) == 0
