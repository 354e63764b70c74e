"""What every unlock checks before anything is written, tried as an insider with raw SQL access (the
data key) or a copied folder would: the audit log's tail cut, an earlier copy of the store put back,
the append-only guards dropped, a role raised. Each is found, blocks writing, and stays found until
an administrator acknowledges it (which is itself audited)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop import cli
from ppo_desktop.domain import Role
from ppo_desktop.services import integrity
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.session import StoreProblem, create_store, unlock
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import PermissionDenied, StoreBlocked, Workspace

ADMIN, MEMBER = "admin passphrase 1", "member passphrase 22"
CUT_TAIL = (  # the last three entries removed, and the guard put back to hide it
    "DROP TRIGGER audit_no_delete",
    "DELETE FROM audit WHERE seq > (SELECT max(seq) - 3 FROM audit)",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END",
)


@pytest.fixture
def store(tmp_path: Path, device: DeviceSecrets, cost: KdfCost) -> Path:
    ws, _ = create_store(tmp_path / "panel", user_id="admin", display_name="Admin", passphrase=ADMIN,
                         partnership="Testshire", device=device, cost=cost)  # fmt: skip
    Users(ws).add("member", "Member", Role.PANEL_MEMBER, MEMBER, cost)
    for name in ("Alpha", "Beta", "Gamma"):
        Cases(ws).add_nominal(NominalDraft(name, "Fictional"))
    ws.close()
    return tmp_path / "panel.ppo"


def admin(store: Path, device: DeviceSecrets) -> Workspace:
    return unlock(store, ADMIN, user_id="admin", device=device)


def raw_sql(store: Path, device: DeviceSecrets, *statements: str) -> None:
    """What someone holding the data key can do with any SQLCipher tool, outside the app."""
    ws = admin(store, device)
    for statement in statements:
        ws.db.execute(statement)
    ws.db.conn.commit()
    ws.vault.close()  # closed without the app recording where the log ends


def test_a_cut_audit_tail_is_found_by_verify_and_by_every_unlock(
    store: Path, device: DeviceSecrets, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw_sql(store, device, *CUT_TAIL)
    for _ in range(2):  # found, and found again: opening does not move the anchor back
        ws = admin(store, device)
        assert "cut short" in ws.blocked
        before = ws.db.execute("SELECT count(*) FROM audit").fetchone()[0]
        with pytest.raises(StoreBlocked):
            Cases(ws).add_nominal(NominalDraft("Delta", "Fictional"))
        assert ws.db.execute("SELECT count(*) FROM audit").fetchone()[0] == before  # not even the unlock
        ws.close()
    monkeypatch.setenv("PPO_PASSPHRASE", ADMIN)
    code = cli.main(["verify", str(store), "--user", "admin"])
    assert code == 1 and "unlock checks: FAILED" in capsys.readouterr().out


def test_an_earlier_copy_of_the_store_and_its_key_file_is_found_by_the_keyring_copy(
    store: Path, device: DeviceSecrets, tmp_path: Path
) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    for f in store.parent.glob("panel.ppo*"):
        if not f.name.endswith(".lock"):
            shutil.copy2(f, saved / f.name)
    ws = admin(store, device)
    Cases(ws).add_nominal(NominalDraft("Delta", "Fictional"))  # then a record is made
    ws.close()
    for f in saved.iterdir():  # and the folder is put back as it was
        shutil.copy2(f, store.parent / f.name)
    ws = admin(store, device)
    assert "this computer's keyring" in ws.blocked
    ws.close()


def test_dropped_guards_are_found(store: Path, device: DeviceSecrets) -> None:
    raw_sql(store, device, "DROP TRIGGER score_sheets_final_is_final")
    ws = admin(store, device)
    assert "append-only guards were removed (score_sheets_final_is_final)" in ws.blocked
    ws.close()


def test_a_role_raised_with_raw_sql_is_refused(store: Path, device: DeviceSecrets) -> None:
    raw_sql(store, device, "UPDATE users SET role = 'administrator' WHERE id = 'member'")
    with pytest.raises(StoreProblem, match="changed outside PPO Panel"):
        unlock(store, MEMBER, user_id="member", device=device)
    ws = admin(store, device)
    assert "user record(s) changed outside PPO Panel: member" in ws.blocked
    ws.close()


def test_a_blank_seal_does_not_bless_a_raised_role(store: Path, device: DeviceSecrets) -> None:
    """The attack: raise the role and blank the seal, so that the record passes as one from before
    the seal (and would be sealed as legitimate at the next unlock)."""
    raw_sql(store, device, "UPDATE users SET role = 'administrator', seal = '' WHERE id = 'member'")
    with pytest.raises(StoreProblem, match="changed outside PPO Panel"):
        unlock(store, MEMBER, user_id="member", device=device)
    ws = admin(store, device)
    assert "user record(s) changed outside PPO Panel: member" in ws.blocked
    assert ws.db.execute("SELECT seal FROM users WHERE id = 'member'").fetchone()[0] == ""  # not re-sealed
    ws.close()


def test_records_from_before_the_seal_are_sealed_once(store: Path, device: DeviceSecrets) -> None:
    """A store from before the seal (no record sealed, nothing noted): its records are sealed at the
    first unlock, and from then on a blank seal is an edit."""
    forget = f"DELETE FROM settings WHERE key = '{integrity.USERS_SEALED}'"
    raw_sql(store, device, "UPDATE users SET seal = ''", forget)
    ws = unlock(store, MEMBER, user_id="member", device=device)
    assert ws.blocked == "" and ws.user.role is Role.PANEL_MEMBER
    assert ws.db.execute("SELECT count(*) FROM users WHERE seal = ''").fetchone()[0] == 0
    assert ws.setting(integrity.USERS_SEALED) == "1"
    ws.close()


def test_only_an_administrator_acknowledges_and_it_is_audited(
    store: Path, device: DeviceSecrets, cost: KdfCost
) -> None:
    raw_sql(store, device, *CUT_TAIL)
    ws = admin(store, device)
    blocked = ws.blocked
    ws.user = ws.user.__class__("admin", "Admin", Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        integrity.acknowledge(ws, "looked at it")
    ws.user = ws.user.__class__("admin", "Admin", Role.ADMINISTRATOR)
    integrity.acknowledge(ws, "Checked with the DPO: a test restore")
    last = ws.audit.entries(limit=1)[0]
    assert last.summary.startswith("Failed store check acknowledged") and blocked in (last.before or "")
    assert last.justification == "Checked with the DPO: a test restore"
    Cases(ws).add_nominal(NominalDraft("Delta", "Fictional"))  # writing is allowed again
    ws.close()
    again = admin(store, device)
    assert again.blocked == "" and again.audit.verify().ok
    again.close()


def test_removing_a_user_rekeys_the_store_and_marks_older_backups(
    store: Path, device: DeviceSecrets, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from ppo_desktop.services.backups import Backups

    folder = tmp_path / "backups"
    folder.mkdir()
    ws = admin(store, device)
    old_backup = Backups(ws).backup(folder).path
    ws.close()
    kept = (store.parent / "panel.ppo.keys").read_bytes()  # the member copies the key file
    monkeypatch.setenv("PPO_PASSPHRASE", ADMIN)
    code = cli.main(["remove-user", str(store), "member", "--user", "admin", "--why", "Left the partnership"])
    assert code == 0 and "new data key" in capsys.readouterr().out
    (store.parent / "panel.ppo.keys.copy").write_bytes(kept)
    ws = admin(store, device)
    assert ws.vault.key_generation == 2 and ws.blocked == ""
    assert ws.audit.verify().ok  # the chain made under the first key still verifies
    entry = next(e for e in reversed(ws.audit.entries(limit=20)) if e.summary.startswith("Store re-keyed"))
    assert entry.justification == "Left the partnership"
    assert "made before the store was re-keyed" in Backups(ws).verify_bundle(old_backup)[0]
    ws.close()
    (store.parent / "panel.ppo.keys").write_bytes(kept)  # the old key file put back: opens nothing
    with pytest.raises(StoreProblem):
        unlock(store, MEMBER, user_id="member", device=device)


def test_a_guard_replaced_by_a_same_named_trigger_that_does_nothing_is_found_and_put_back(
    store: Path, device: DeviceSecrets
) -> None:
    """The attack: keep the name, drop the teeth — then rewrite a final score sheet with no audit entry.
    Checked by what the trigger does (its SQL), and acknowledging puts the real guard back."""
    raw_sql(
        store, device,
        "DROP TRIGGER score_sheets_final_is_final",
        "CREATE TRIGGER score_sheets_final_is_final BEFORE UPDATE ON score_sheets BEGIN SELECT 1; END",
        "CREATE TRIGGER quietly AFTER INSERT ON decisions BEGIN UPDATE decisions SET kind = 'retain'; END",
    )  # fmt: skip
    ws = admin(store, device)
    assert "guards were rewritten outside PPO Panel (score_sheets_final_is_final)" in ws.blocked
    assert "triggers PPO Panel does not make were added to the store (quietly)" in ws.blocked
    integrity.acknowledge(ws, "Checked with the DPO")
    assert integrity.guard_problems(ws) == []
    ws.close()
    again = admin(store, device)
    assert again.blocked == ""
    again.close()


def test_acknowledging_a_raised_role_puts_the_recorded_role_back(store: Path, device: DeviceSecrets) -> None:
    """Acknowledging "user record changed outside PPO Panel" never makes the raised role legitimate:
    the record goes back to what the audit log last recorded for it."""
    raw_sql(store, device, "UPDATE users SET role = 'administrator' WHERE id = 'member'")
    ws = admin(store, device)
    integrity.acknowledge(ws, "Probably a glitch")
    assert ws.db.execute("SELECT role, active FROM users WHERE id = 'member'").fetchone() == (
        Role.PANEL_MEMBER.value, 1
    )
    last = ws.audit.entries(limit=1)[0]
    reverted = {"member": {"role": "panel-member", "active": 1}}
    assert json.loads(last.after or "{}") == {"users_reverted": reverted}
    ws.close()
    member = unlock(store, MEMBER, user_id="member", device=device)
    assert member.user.role is Role.PANEL_MEMBER and member.blocked == ""
    member.close()


def test_entries_written_before_a_crash_cannot_be_cut_unnoticed(store: Path, device: DeviceSecrets) -> None:
    """The anchor moves with every committed change, not only at a clean close: after a kill -9,
    entries cut from the log's end with a SQLCipher tool (no anchor edited) are still found."""
    from db.vault import Vault

    ws = admin(store, device)
    for name in ("Delta", "Epsilon"):
        Cases(ws).add_nominal(NominalDraft(name, "Fictional"))
    ws.vault.close()  # the process dies here: no clean close
    tool = Vault.open(store, ADMIN, user="admin", device=device)  # the data key, outside the app
    for statement in CUT_TAIL:
        tool.db.execute(statement)
    tool.db.conn.commit()
    tool.close()
    again = admin(store, device)
    assert "cut short" in again.blocked
    again.close()


def test_a_change_made_outside_the_app_is_not_credited_to_the_last_user(
    store: Path, device: DeviceSecrets
) -> None:
    """Edited with a SQLCipher tool after the app closed, a record was stamped "by admin" (the last
    app user) and travelled to the other laptop under that name."""
    from db.vault import Vault
    from ppo_desktop.services.exchange import Exchange
    from ppo_desktop.transfer.sync import Author

    ws = admin(store, device)
    nid = Cases(ws).add_nominal(NominalDraft("Delta", "Fictional", area="Northbrook")).record.id
    ws.close()
    tool = Vault.open(store, ADMIN, user="admin", device=device)
    tool.db.execute("UPDATE nominals SET area = 'Elsewhere' WHERE id = ?", [nid])
    tool.db.conn.commit()
    tool.close()
    ws = admin(store, device)
    [record] = Exchange(ws).records([("nominals", nid)])
    assert record["by"]["area"][:2] == ["outside", "outside PPO Panel"]
    assert str(Author.of(record["by"]["area"])) == "someone outside PPO Panel (time unknown)"
    assert record["by"][""][0] == "admin"  # making the record (in the app) is still the app user's
    ws.close()


def test_a_rekey_stopped_part_way_is_audited_when_the_next_unlock_finishes_it(
    store: Path, device: DeviceSecrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the store took its new key and before the key file did, the re-key left no audit
    entry: the unlock that finishes it records it."""
    import db.vault as vault_module

    ws = admin(store, device)
    replace = vault_module.os.replace

    def dies(src: str, dst: str) -> None:
        if str(dst).endswith(".ppo.keys"):
            raise KeyboardInterrupt  # the process stops between re-keying the store and its key file
        replace(src, dst)

    monkeypatch.setattr(vault_module.os, "replace", dies)
    with pytest.raises(KeyboardInterrupt):
        Users(ws).rekey("a routine re-key")
    monkeypatch.undo()
    ws.vault.db.close()
    ws.vault._lock.release()  # type: ignore[union-attr]  # (the process is gone)
    again = admin(store, device)
    summaries = [e.summary for e in again.audit.entries(limit=3)]
    assert summaries[0] == "Store unlocked"
    assert summaries[1].startswith("Store re-keyed: finished at this unlock")
    assert again.blocked == ""
    again.close()
