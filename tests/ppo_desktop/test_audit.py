"""The audit chain verifies, and detects edited, deleted and reordered entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from ppo_desktop.audit import AuditKind
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.workspace import Workspace


def populate(ws: Workspace, n: int = 5) -> None:
    cases = Cases(ws)
    for i in range(n):
        cases.add_nominal(NominalDraft(f"Fictional{i}", "Testperson"))


def test_chain_verifies(ws: Workspace) -> None:
    populate(ws)
    report = ws.audit.verify()
    assert report.ok, report.problem
    assert report.checked == ws.db.execute("SELECT count(*) FROM audit").fetchone()[0] >= 6


def test_append_only_triggers(ws: Workspace) -> None:
    populate(ws, 1)
    with pytest.raises(Exception, match="append-only"):
        ws.db.execute("UPDATE audit SET summary = 'nothing happened' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"):
        ws.db.execute("DELETE FROM audit WHERE seq = 1")


def _bypass_triggers(ws: Workspace) -> None:
    ws.db.execute("DROP TRIGGER audit_no_update")
    ws.db.execute("DROP TRIGGER audit_no_delete")


def test_edited_row_detected(ws: Workspace) -> None:
    populate(ws)
    _bypass_triggers(ws)
    ws.db.execute("UPDATE audit SET user_id = 'someone-else' WHERE seq = 3")
    report = ws.audit.verify()
    assert not report.ok
    assert report.problem == "entry 3 has been altered"


def test_deleted_row_detected(ws: Workspace) -> None:
    populate(ws)
    _bypass_triggers(ws)
    ws.db.execute("DELETE FROM audit WHERE seq = 2")
    report = ws.audit.verify()
    assert not report.ok
    assert "entry 2 is missing" in report.problem


def test_every_entry_names_user_and_workstation(ws: Workspace) -> None:
    populate(ws, 2)
    rows = ws.db.execute("SELECT user_id, workstation, kind FROM audit").fetchall()
    assert all(r[0] == "admin" and r[1] for r in rows)
    assert {r[2] for r in rows} >= {AuditKind.COLLECTION.value}


def test_record_many_continues_the_chain(ws: Workspace) -> None:
    populate(ws, 2)
    with ws.vault.transaction():
        last = ws.audit.record_many(
            [
                {"kind": AuditKind.COMBINATION, "entity": "import", "entity_id": i, "summary": f"row {i}"}
                for i in range(50)
            ]
        )
    assert last == ws.db.execute("SELECT max(seq) FROM audit").fetchone()[0]
    assert ws.audit.verify().ok
    populate(ws, 1)
    assert ws.audit.verify().ok


def test_dropping_the_newest_entries_is_noticed_at_the_next_unlock(tmp_path: Path, cost: object) -> None:
    from db.device import DeviceSecrets
    from db.vault import Vault
    from ppo_desktop.services.session import create_store, unlock

    device = DeviceSecrets(None)
    ws, _ = create_store(
        tmp_path / "p",
        user_id="admin",
        display_name="A",
        passphrase="a long passphrase",
        partnership="T",
        device=device,
        cost=cost,
    )  # type: ignore[arg-type]
    populate(ws, 5)
    ws.close()  # records where the log ends
    ws = unlock(tmp_path / "p.ppo", "a long passphrase", device=device)
    assert ws.background_checks()() == []  # a clean store: nothing to report
    ws.close()

    # Someone with the key cuts the log short, outside the app (so nothing re-records the end).
    vault = Vault.open(tmp_path / "p.ppo", "a long passphrase", device=device)
    vault.db.execute("DROP TRIGGER audit_no_delete")
    vault.db.execute("DELETE FROM audit WHERE seq > (SELECT max(seq) - 3 FROM audit)")
    vault.db.conn.commit()
    vault.close()
    ws = unlock(tmp_path / "p.ppo", "a long passphrase", device=device)
    problems = ws.background_checks()()
    ws.vault.close()  # not ws.close(): that would record the shortened end as the new anchor
    assert len(problems) == 1 and "missing (the log was cut short)" in problems[0]


def test_an_edited_entry_is_reported_by_the_background_check(ws: Workspace) -> None:
    populate(ws, 3)
    _bypass_triggers(ws)
    ws.db.execute("UPDATE audit SET summary = 'nothing to see' WHERE seq = 2")
    ws.db.conn.commit()
    problems = ws.background_checks()()
    assert problems == ["audit chain BROKEN: entry 2 has been altered"]


def test_search_and_dpo_export(ws: Workspace) -> None:
    import csv
    import datetime as dt
    import io

    from ppo_desktop.services.documents import Documents
    from ppo_desktop.spreadsheet import neutralise

    cases = Cases(ws)
    nominal = cases.add_nominal(NominalDraft("=cmd|' /C calc'!A0", "Fictional")).record
    cases.open_case(nominal.id, purpose='=HYPERLINK("x")')
    assert [e.kind for e in ws.audit.search(nominal_id=nominal.id)] == ["consultation", "collection"]
    assert ws.audit.search(kind="consultation", since=dt.date(2026, 11, 24), until=dt.date(2026, 11, 24))
    assert ws.audit.search(kind="consultation", since=dt.date(2026, 11, 25)) == []
    assert ws.audit.users() == ["admin"]
    data, people = Documents(ws).audit_export(nominal_id=nominal.id)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][0] == "seq" and len(rows) == 4 and people == [nominal.id]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert rows[2][9] == '\'=HYPERLINK("x")'  # kept as text, never a formula
    assert neutralise("-1+cmd|' /C calc'!A0").startswith("'") and neutralise("plain") == "plain"
    assert neutralise("-2.75") == "-2.75"  # a plain number stays a number


def test_entries_from_before_redaction_still_verify(ws: Workspace) -> None:
    """A store upgraded from the first chain format: its old (version 1) entries are chained over
    their content, the new ones over digests; one chain verifies across both, and edits are caught."""
    from ppo_desktop.audit import FIELDS, GENESIS

    head = ws.audit.anchor()
    prev, seq = (head["mac"], head["seq"]) if head else (GENESIS, 0)
    for i in range(3):  # what the earlier version wrote
        seq += 1
        row = dict.fromkeys(FIELDS, "")
        row.update(seq=seq, at="2026-01-01T00:00:00+00:00", kind="collection", entity="nominal",
                   entity_id=str(i), nominal_id=None, before=None, v=1)  # fmt: skip
        row["after"] = '{"family_name": "Oldstyle"}'

        row["mac"] = prev = ws.audit._mac(prev, row)
        ws.db.table("audit").insert(row)
    Cases(ws).add_nominal(NominalDraft("Newstyle", "Fictional"))  # a version-2 entry after them
    assert ws.audit.verify().ok
    ws.db.execute("DROP TRIGGER audit_no_update")
    ws.db.execute('UPDATE audit SET after = \'{"family_name": "Forged"}\' WHERE seq = ?', [seq])
    assert "altered" in ws.audit.verify().problem


def test_an_entry_is_written_only_inside_the_transaction_of_its_change(ws: Workspace) -> None:
    """Written on its own, a crash between the change and its entry would keep one without the
    other: the log refuses, and nothing is written."""
    from ppo_desktop.audit import OutsideTransaction

    before = ws.audit.anchor()
    with pytest.raises(OutsideTransaction):
        ws.audit.record(AuditKind.CONSULTATION, "nominal", 1, "Viewed (planted)")
    assert ws.audit.anchor() == before
    with ws.transaction():
        ws.audit.record(AuditKind.CONSULTATION, "nominal", 1, "Viewed")
    assert ws.audit.anchor()["seq"] == before["seq"] + 1
