"""Restoring a backup from the first window (issue 28: restore as a first-class path): said before it
is done, never over a store that is there, checked, then unlocked like any store — from the unlock
dialog (a damaged store) or instead of creating one (a new laptop)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.services.backups import Backups
from ppo_desktop.services.session import unlock
from tests.conftest import DEMO_DAY
from tests.ui.conftest import HeldRunner
from ui.create_dialog import CreateStoreDialog
from ui.restore_dialog import RestoreDialog
from ui.tasks import SyncRunner
from ui.unlock_dialog import UnlockDialog


@pytest.fixture
def bundle(demo_store: Path, tmp_path: Path) -> Path:
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    try:
        folder = tmp_path / "backups"
        folder.mkdir()
        return Backups(ws).backup(folder).path
    finally:
        ws.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _button(dialog: object, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)  # type: ignore[attr-defined]


def _fill(dialog: RestoreDialog, bundle: Path, folder: Path, name: str, passphrase: str) -> None:
    dialog.bundle.setText(str(bundle))
    dialog.folder.setText(str(folder))
    dialog.name.setText(name)
    dialog.secret.setText(passphrase)


def test_a_backup_is_restored_from_the_unlock_dialog_then_unlocked_and_the_store_there_is_untouched(
    qtbot: QtBot, demo_store: Path, bundle: Path, tmp_path: Path
) -> None:
    before = _digest(demo_store)
    dialog = UnlockDialog(demo_store, DeviceSecrets(None), SyncRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(_button(dialog, "Restore a &backup instead…"), Qt.MouseButton.LeftButton)
    restore = dialog.restore_dialog
    assert isinstance(restore, RestoreDialog) and restore.isVisible()
    _fill(restore, bundle, demo_store.parent, "demo", DEMO_PASSPHRASE)  # the live store's own name
    said = restore.said.text()
    assert str(demo_store.parent / "demo.ppo") in said and "No store there now" in said
    restore.attempt()
    assert "There is already a store" in restore.error.text() and restore.isVisible()
    _fill(restore, bundle, tmp_path / "elsewhere", "restored", "not the passphrase at all")
    (tmp_path / "elsewhere").mkdir()
    restore.attempt()
    assert restore.error.text() and restore.restored is None  # refused, said in words
    assert not (tmp_path / "elsewhere" / "restored.ppo").exists()  # and nothing left half-made
    restore.secret.setText(DEMO_PASSPHRASE)
    qtbot.mouseClick(_button(restore, "&Restore and check"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not restore.isVisible())
    restored = tmp_path / "elsewhere" / "restored.ppo"
    assert dialog.store == restored and dialog.store_label.text() == str(restored)
    dialog.secret.setText(DEMO_PASSPHRASE)
    dialog.attempt()
    assert dialog.workspace is not None
    try:
        assert dialog.workspace.vault.paths.store == restored
        assert any("Restored from" in e.summary for e in dialog.workspace.audit.search(limit=5))
        assert dialog.workspace.audit.verify().ok
    finally:
        dialog.workspace.close()
    assert _digest(demo_store) == before  # the store that was there: not touched


def test_a_new_laptop_restores_instead_of_creating(qtbot: QtBot, bundle: Path, tmp_path: Path) -> None:
    dialog = CreateStoreDialog(tmp_path / "panel.ppo", DeviceSecrets(None), runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(_button(dialog, "Restore a backup &instead…"), Qt.MouseButton.LeftButton)
    restore = dialog.restore_dialog
    assert isinstance(restore, RestoreDialog)
    assert restore.folder.text() == str(tmp_path)  # where the new store would have gone
    _fill(restore, bundle, tmp_path, "panel", DEMO_PASSPHRASE)
    restore.attempt()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.restored == tmp_path / "panel.ppo" and dialog.workspace is None  # nothing created
    assert dialog.result() == CreateStoreDialog.DialogCode.Rejected  # (the restored store is unlocked next)


def test_the_restore_runs_on_a_worker_and_the_dialog_waits_for_it(
    qtbot: QtBot, bundle: Path, tmp_path: Path
) -> None:
    """With the app's real runner (a thread pool), not the tests' inline one: the restore's own
    connection opens and closes on the worker, and the dialog stays busy until it is back."""
    from ui.tasks import TaskRunner

    restore = RestoreDialog(tmp_path, DeviceSecrets(None), TaskRunner(), today=DEMO_DAY)
    qtbot.addWidget(restore)
    restore.show()
    _fill(restore, bundle, tmp_path, "restored", DEMO_PASSPHRASE)
    restore.attempt()
    assert not restore.restore_button.isEnabled() and restore.busy.isVisible()  # the click came back at once
    qtbot.waitUntil(lambda: restore.restored is not None, timeout=60_000)
    assert restore.restored == tmp_path / "restored.ppo" and not restore.isVisible()
    again = unlock(restore.restored, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    try:
        assert again.audit.verify().ok
        assert any("Restored from" in e.summary for e in again.audit.search(limit=5))
    finally:
        again.close()


def test_cancel_stops_a_restore_that_is_running_and_leaves_nothing_of_it(
    qtbot: QtBot, bundle: Path, tmp_path: Path
) -> None:
    runner = HeldRunner()
    dialog = RestoreDialog(tmp_path, DeviceSecrets(None), runner, today=DEMO_DAY)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, bundle, tmp_path, "stopped", DEMO_PASSPHRASE)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.busy.isVisible() and not dialog.restore_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Cancel while it runs: the dialog stays until it stops
    assert dialog.isVisible() and dialog.error.text() == "Stopping…"
    runner.let_run()
    assert dialog.isVisible() and dialog.restored is None
    assert "Stopped before it finished: nothing was restored" in dialog.error.text()
    assert dialog.restore_button.isEnabled()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("stopped")]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # not running now: Cancel closes it
    assert not dialog.isVisible()
