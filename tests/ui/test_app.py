"""The composition root's pieces with the real thread pool: demo creation and unlocking off the UI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.paths import store_exists
from ui.app import ensure_demo_store, parse_args
from ui.tasks import TaskRunner
from ui.unlock_dialog import UnlockDialog

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass


@pytest.mark.slow
def test_demo_store_built_on_a_worker(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "demo" / "demo-partnership.ppo"
    monkeypatch.setattr("ppo_desktop.paths.demo_store", lambda: target)
    assert ensure_demo_store(TaskRunner()) == target
    assert store_exists(target)
    assert ensure_demo_store(TaskRunner()) == target  # second time: nothing rebuilt
    assert not any(p.suffix in (".db", ".sqlite", ".tmp") for p in target.parent.iterdir())


def test_unlock_with_the_real_thread_pool(qtbot: QtBot, demo_store: Path) -> None:
    dialog = UnlockDialog(demo_store, DeviceSecrets(None), TaskRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.secret, DEMO_PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert dialog.workspace is not None
    # The connection was made on this (the UI) thread, so it is usable here.
    assert dialog.workspace.db.execute("SELECT count(*) FROM nominals").fetchone()[0] == 80
    dialog.workspace.close()


def test_arguments() -> None:
    args = parse_args(["--demo"])
    assert args.demo and args.store is None and args.screenshots is None
    assert parse_args(["--store", "x.ppo"]).store == Path("x.ppo")


def test_the_unlock_dialog_does_not_wait_for_the_keyring(qtbot: QtBot, demo_store: Path) -> None:
    """Finding the OS keyring is slow (~0.3 s with a Secret Service): the dialog is up at once, says
    what it found when it has, and unlocks with it."""
    import threading

    from ppo_desktop.keyring_policy import PendingDevice

    release = threading.Event()

    def slow_discovery() -> DeviceSecrets:
        release.wait()  # the look-up is still going while the dialog is built and shown
        return DeviceSecrets(None, "No trusted OS keyring is available (test).")

    pending = PendingDevice(slow_discovery)
    dialog = UnlockDialog(demo_store, pending, TaskRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not pending.ready and dialog.isVisible() and dialog.keyring_note.isHidden()
    release.set()
    qtbot.waitUntil(lambda: dialog.keyring_note.isVisible())
    assert "No trusted OS keyring" in dialog.keyring_note.text()
    assert dialog.height() >= dialog.sizeHint().height()  # grown to fit the note (no squeezed rows)
    qtbot.keyClicks(dialog.secret, DEMO_PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert dialog.workspace is not None
    dialog.workspace.close()


def test_a_failing_keyring_look_up_means_passphrase_only_never_a_hang() -> None:
    from ppo_desktop.keyring_policy import PendingDevice

    def broken() -> DeviceSecrets:
        raise RuntimeError("D-Bus went away")

    device = PendingDevice(broken).get()
    assert not device.available and "No keyring could be loaded (RuntimeError)" in device.reason


def test_a_store_created_at_first_run_is_the_one_the_lock_reopens(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Created under another name and folder than the default: the session, its lock and the next
    launch use the store made, not the one first offered (the store was "lost" at the first lock)."""
    from ppo_desktop import paths
    from ui.app import first_window
    from ui.create_dialog import CreateStoreDialog, RecoveryKeyDialog
    from ui.session_controller import SessionController
    from ui.tasks import SyncRunner

    given, chosen = tmp_path / "given" / "northtown.ppo", tmp_path / "chosen"
    given.parent.mkdir()
    chosen.mkdir()
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path / "data")
    monkeypatch.setattr(paths, "_last_store_note", lambda: tmp_path / "config" / "last-store")
    offered: list[tuple[str, str]] = []

    def person_fills_it_in(dialog: CreateStoreDialog) -> int:
        offered.append((dialog.folder.text(), dialog.name.text()))
        dialog.folder.setText(str(chosen))
        dialog.name.setText("southtown panel")
        for field, text in (
            (dialog.partnership, "Southtown Fictional Partnership"),
            (dialog.user_id, "s.coord"),
            (dialog.passphrase, "a long enough fictional passphrase"),
            (dialog.confirm, "a long enough fictional passphrase"),
        ):
            qtbot.keyClicks(field, text)
        dialog.attempt()
        return int(dialog.result())

    monkeypatch.setattr(CreateStoreDialog, "exec", person_fills_it_in)
    monkeypatch.setattr(RecoveryKeyDialog, "exec", lambda self: 1)
    opened = first_window(given, DeviceSecrets(None), SyncRunner(), "", create=True)
    assert offered == [(str(given.parent), "northtown")]  # the name given with --store is offered
    assert opened is not None
    store, ws = opened
    assert store == chosen / "southtown panel.ppo" and store_exists(store) and not store_exists(given)
    assert not (tmp_path / "data").exists()  # the default folder is not made for a store elsewhere

    controller = SessionController(store, DeviceSecrets(None), SyncRunner())
    window = controller.start(ws)
    qtbot.addWidget(window)
    dialog = controller.lock("test")
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.secret, "a long enough fictional passphrase")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None)
    back = controller.window
    assert back is not None
    qtbot.addWidget(back)
    assert back.ctx.session.user.id == "s.coord"

    assert paths.remembered_store() is None
    paths.remember_store(store)  # what the launch does once the store is open
    assert paths.remembered_store() == store  # the next launch without --store opens it
    back.close()


def test_a_remembered_store_that_has_gone_is_not_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ppo_desktop import paths

    note = tmp_path / "last-store"
    monkeypatch.setattr(paths, "_last_store_note", lambda: note)
    paths.remember_store(tmp_path / "moved-away")
    assert note.read_text(encoding="utf-8").strip() == str(tmp_path / "moved-away.ppo")
    assert paths.remembered_store() is None  # no store there: the default (or --store) is used
    note.write_bytes(b"\xff\xfe not text")
    assert paths.remembered_store() is None
