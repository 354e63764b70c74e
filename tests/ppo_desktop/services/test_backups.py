"""Backups are encrypted, verified by restoring them, and restore into a new place with every check."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from ppo_desktop.services.backups import Backups, restore
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.workspace import ServiceError, Stopped, Workspace
from tests.ppo_desktop.conftest import ADMIN_PASS

SECRET = "Wafflestone-Backuptest"


def backed_up(ws: Workspace, tmp_path: Path) -> Path:
    Cases(ws).add_nominal(NominalDraft(SECRET, "Fictional"))
    folder = tmp_path / "backups"
    folder.mkdir()
    return Backups(ws).backup(folder).path


def test_backup_is_encrypted_and_verifies(ws: Workspace, tmp_path: Path) -> None:
    bundle = backed_up(ws, tmp_path)
    data = bundle.read_bytes()
    assert SECRET.encode() not in data and b"SQLite format 3\x00" not in data
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600  # nobody else's to read, even encrypted
    assert Backups(ws).verify_bundle(bundle) == []
    assert ws.audit.entries(limit=5)[0].summary == "Encrypted backup written"


def test_damaged_bundle_is_reported(ws: Workspace, tmp_path: Path) -> None:
    bundle = backed_up(ws, tmp_path)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bundle.write_bytes(bytes(data))
    problems = Backups(ws).verify_bundle(bundle)
    assert problems and ("checksums do not match" in problems[0] or "not a readable" in problems[0])


def test_restore_into_a_new_place(ws: Workspace, tmp_path: Path, no_device: DeviceSecrets) -> None:
    bundle = backed_up(ws, tmp_path)
    restored = restore(bundle, tmp_path / "restored", passphrase=ADMIN_PASS, device=no_device)
    try:
        names = [r.nominal.family_name for r in Cases(restored).cohort()]
        assert names == [SECRET]
        assert restored.audit.verify().ok
        assert restored.audit.entries(limit=1)[0].summary == f"Restored from {bundle.name}"
    finally:
        restored.close()
    with pytest.raises(Exception, match="already exists"):
        restore(bundle, tmp_path / "restored", passphrase=ADMIN_PASS, device=no_device)


def test_wrong_passphrase_restore_leaves_nothing(
    ws: Workspace, tmp_path: Path, no_device: DeviceSecrets
) -> None:
    bundle = backed_up(ws, tmp_path)
    with pytest.raises(Exception, match="does not open"):
        restore(bundle, tmp_path / "elsewhere", passphrase="not the passphrase", device=no_device)
    assert not list(tmp_path.glob("elsewhere*"))


def test_backup_folder_must_exist(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="does not exist"):
        Backups(ws).backup(tmp_path / "nowhere")


def test_a_backup_taken_while_writing_is_one_consistent_snapshot(
    ws: Workspace, tmp_path: Path, no_device: DeviceSecrets
) -> None:
    import threading

    from db.backup import BackupInfo

    cases = Cases(ws)
    for i in range(200):
        cases.add_nominal(NominalDraft(f"Before{i}", "Fictional", address="x" * 2000))
    folder = tmp_path / "backups"
    folder.mkdir()
    job = Backups(ws).start(folder)
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(job()))
    worker.start()
    written = 0
    while worker.is_alive() or written < 5:  # the coordinator keeps working during the backup
        cases.add_nominal(NominalDraft(f"During{written}", "Fictional"))
        written += 1
    worker.join()
    info = results[0]
    assert isinstance(info, BackupInfo), results
    restored = restore(info.path, tmp_path / "restored.ppo", passphrase=ADMIN_PASS, device=no_device)
    try:
        names = {r[0] for r in restored.db.execute("SELECT family_name FROM nominals")}
        assert {f"Before{i}" for i in range(200)} <= names  # everything committed before it began
        during = sorted(int(n[6:]) for n in names if n.startswith("During"))
        assert during == list(range(len(during)))  # a clean prefix of what was written during it
        assert restored.audit.verify().ok and restored.vault.integrity_check() == []
    finally:
        restored.close()
    assert ws.db.execute("SELECT count(*) FROM nominals").fetchone()[0] == 200 + written


def test_the_next_scheduled_backup_falls_due(ws: Workspace, tmp_path: Path) -> None:
    backups = Backups(ws)
    assert backups.due(7) is None  # never backed up: nothing to repeat yet
    backups.backup(tmp_path)
    assert backups.due(7) is None  # just done
    ws.db.execute(
        "UPDATE settings SET value = ? WHERE key = 'last_backup'", [f"2026-11-01T09:00:00+00:00|{tmp_path}"]
    )
    assert backups.due(7) == tmp_path and backups.due(0) is None


def test_restoring_on_the_same_laptop_with_a_keyring_is_not_a_log_cut_short(
    tmp_path: Path, device: DeviceSecrets
) -> None:
    """Restored beside the live store, on the laptop whose keyring holds the live store's anchor: the
    copy was read as the live store's log "cut short", and acknowledging it then blocked the live
    store. The keyring's note is per store file now."""
    from ppo_desktop.services.session import create_store, unlock
    from tests.conftest import CHEAP

    live = tmp_path / "live"
    ws, _ = create_store(live, user_id="admin", display_name="Admin", passphrase=ADMIN_PASS,
                         partnership="Testshire", device=device, cost=CHEAP)  # fmt: skip
    bundle = backed_up(ws, tmp_path)
    for name in ("After1", "After2"):
        Cases(ws).add_nominal(NominalDraft(name, "Fictional"))  # the live store moves on
    ws.close()
    restored = restore(bundle, tmp_path / "restored.ppo", passphrase=ADMIN_PASS, device=device)
    assert restored.blocked == ""  # not "cut short": its note in the keyring is its own
    assert restored.vault.external_anchor == restored.audit.anchor()
    restored.close()
    again = unlock(tmp_path / "live.ppo", ADMIN_PASS, user_id="admin", device=device)
    assert again.blocked == "" and again.vault.external_anchor  # the live store's note is untouched
    again.close()


def _stop_at(wanted: str, calls: int = 1) -> Callable[[str, int, int], None]:
    """A progress hook that stops the work the ``calls``-th time it hears ``wanted``."""
    heard: list[str] = []

    def hook(stage: str, _done: int, _total: int) -> None:
        heard.append(stage)
        if heard.count(wanted) >= calls:
            raise Stopped("Stopped (test)")

    return hook


@pytest.mark.parametrize(
    "stage",
    ["Unpacking the backup", "Checking every page of the restored store", "Checking the audit log's chain"],
)
def test_a_restore_stopped_at_any_stage_leaves_no_file_behind(
    ws: Workspace, tmp_path: Path, no_device: DeviceSecrets, stage: str
) -> None:
    bundle = backed_up(ws, tmp_path)
    target = tmp_path / "restored" / "stopped.ppo"
    target.parent.mkdir()
    with pytest.raises(Stopped):
        restore(bundle, target, passphrase=ADMIN_PASS, device=no_device, progress=_stop_at(stage))
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize(
    "stage", ["Checking the store", "Copying the store", "Writing the backup", "Verifying the backup"]
)
def test_a_backup_stopped_at_any_stage_leaves_no_file_and_the_last_backup_stands(
    ws: Workspace, tmp_path: Path, stage: str
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    earlier = f"2026-11-01T09:00:00+00:00|{folder}"
    ws.db.table("settings").upsert({"key": "last_backup", "value": earlier}, pk="key")
    backups = Backups(ws)
    job = backups.start(folder, _stop_at(stage))
    with pytest.raises(Stopped):
        job()
    assert list(folder.iterdir()) == []  # no bundle, no half-written folder
    backups.stopped(job)
    assert ws.setting("last_backup") == earlier  # the next scheduled backup is due as before
    said = [e.summary for e in ws.audit.search(kind="disclosure")[:2]]
    assert said == [
        "Encrypted backup stopped before it was finished: no file was left",
        "Encrypted backup written",
    ]
    assert ws.audit.verify().ok


def test_a_long_check_is_stopped_in_the_middle_of_its_statement(ws: Workspace) -> None:
    """The checks are single statements (every page; the chain): Cancel reaches into them."""
    from ppo_desktop.services.backups import _stoppable

    counting = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000000) "
    with pytest.raises(Stopped), _stoppable(ws, _stop_at("Counting", calls=3), "Counting"):
        ws.db.execute(counting + "SELECT count(*) FROM c").fetchone()
    assert ws.db.execute("SELECT count(*) FROM users").fetchone()[0] > 0  # the connection goes on
