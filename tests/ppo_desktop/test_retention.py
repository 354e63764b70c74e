"""Retention review and erasure: who is due, who may erase, what is left afterwards (nothing of the
person but digests), and that the audit chain still proves itself — and notices forged blanking."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ppo_desktop.audit import REDACTED
from ppo_desktop.domain import Basis, RemovalReason, Role, Status, Strand
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.meetings import Meetings
from ppo_desktop.services.retention import Retention
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import PermissionDenied, ServiceError, Workspace

FAMILY = "Gobbledygook-Retentiontest"


def _former(ws: Workspace, family: str, removed: dt.date) -> int:
    cases = Cases(ws)
    draft = NominalDraft(family, "Fictional", address=f"1 {family} Row, Fictionshire")
    nominal = cases.add_nominal(draft).record
    spell = cases.select(nominal.id, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS,
                            on=removed - dt.timedelta(days=400), authority="Test panel").record  # fmt: skip
    sheets = ScoreSheets(ws)
    sheet = sheets.start(nominal.id).record
    sheets.finalise(sheet.id)
    cases.open_case(nominal.id, purpose="Review")
    cases.remove(spell.id, RemovalReason.STOPPED_OFFENDING, authority="Test chair", on=removed)
    return nominal.id


def _texts(ws: Workspace) -> str:
    """Every text value in every table, joined: what a search of the decrypted store would find."""
    tables = [r[0] for r in ws.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return "\n".join(
        str(v)
        for t in tables
        for row in ws.db.execute(f"SELECT * FROM {t}")
        for v in row
        if isinstance(v, str)
    )


def test_who_is_due_for_review(ws: Workspace) -> None:
    old = _former(ws, FAMILY, dt.date(2019, 3, 1))
    recent = _former(ws, "Recentlygone", dt.date(2025, 6, 1))
    current = Cases(ws).add_nominal(NominalDraft("Stillhere", "Fictional")).record
    due = Retention(ws).due()
    assert [c.nominal_id for c in due] == [old] and "over 6 years ago" in due[0].why
    assert recent not in {c.nominal_id for c in due} and current.id not in {c.nominal_id for c in due}


def test_erasure_leaves_nothing_of_the_person_and_the_chain_still_verifies(
    ws: Workspace, tmp_path: Path
) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    meeting = Meetings(ws).plan("Panel", dt.date(2019, 2, 1)).record
    title = f"{FAMILY.upper()}, Fictional"
    item = Meetings(ws).add_item(meeting.id, title, nominal_id=nid, reasons=["x"]).record
    assert FAMILY in _texts(ws)
    retention = Retention(ws)
    with pytest.raises(ServiceError, match="needs its reason"):
        retention.erase(nid, justification=" ")
    survivor = _former(ws, "Recentlygone", dt.date(2025, 6, 1))
    with pytest.raises(ServiceError, match="not due for erasure"):
        retention.erase(survivor, justification="Retention review")
    retention.erase(nid, justification="Retention review 2026, agreed by the DPO")
    assert FAMILY not in _texts(ws) and f"1 {FAMILY} Row" not in _texts(ws)
    assert Meetings(ws).item(item.id).title == "(erased)" and Meetings(ws).item(item.id).nominal_id is None
    report = ws.audit.verify()
    assert report.ok, report
    entries = ws.audit.search(nominal_id=nid)
    erasure = entries[0]
    assert erasure.kind == "erasure" and erasure.summary == "Record erased after the retention review"
    assert json.loads(erasure.after or "{}")["audit_entries_redacted"] == len(entries) - 1
    assert all(e.summary == REDACTED and e.before is None and e.after is None for e in entries[1:])
    wal = Path(f"{ws.vault.paths.store}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # no copy of the old pages beside the store


def test_only_an_administrator_erases(ws: Workspace) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    user = Users(ws).add("coord", "Coordinator", Role.COORDINATOR, "coordinator passphrase 1").record
    with pytest.raises(PermissionDenied):
        Retention(Workspace(ws.vault, user)).erase(nid, justification="Retention review")


def test_blanking_entries_without_an_erasure_is_noticed(ws: Workspace) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    ws.db.execute("DROP TRIGGER audit_no_update")  # what an attacker with the key could do
    ws.db.execute("INSERT INTO erasing VALUES (?)", [nid])
    redacted, _ = ws.audit.redact(nid)
    assert redacted > 0
    report = ws.audit.verify()
    assert not report.ok and "blanked without an erasure" in report.problem
    seq = ws.db.execute("SELECT min(seq) FROM audit WHERE nominal_id = ?", [nid]).fetchone()[0]
    ws.db.execute("UPDATE audit SET summary = 'something else' WHERE seq = ?", [seq])
    assert "altered" in ws.audit.verify().problem


def test_the_store_refuses_to_blank_entries_outside_an_erasure(ws: Workspace) -> None:
    nid = _former(ws, FAMILY, dt.date(2019, 3, 1))
    with pytest.raises(Exception, match="append-only"):
        ws.audit.redact(nid)


def test_every_table_about_people_is_erased_with_the_person() -> None:
    """A table added with a person in it (a nominal_id column) must be in the erasure too, or be one
    the erasure handles otherwise — else an erased person leaves records behind (or fails on a key)."""
    import sqlcipher3
    from sqlite_utils import Database

    from db import migrations
    from ppo_desktop.services.retention import PERSON_TABLES

    db = Database(sqlcipher3.connect(":memory:"))
    migrations.apply(db)
    about_people = {t for t in db.table_names() if "nominal_id" in {c.name for c in db[t].columns}}
    handled_otherwise = {"agenda_items": "kept, anonymised", "audit": "redacted to digests",
                         "erasing": "the erasure's own marker"}  # fmt: skip
    assert about_people - set(PERSON_TABLES) - set(handled_otherwise) == set()
