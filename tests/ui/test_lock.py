"""Locking: the projector blanks, drafts are kept (encrypted), the store closes, and unlocking returns
to the same place; idle time is clamped to 1–15 minutes and cannot be switched off."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.domain import MeetingState
from ppo_desktop.services.session import unlock
from ppo_desktop.services.settings import lock_minutes
from tests.ui.conftest import show_active
from ui.lock import IdleWatcher
from ui.main_window import MainWindow
from ui.session_controller import SessionController
from ui.tasks import SyncRunner


@pytest.mark.parametrize(
    ("setting", "minutes"), [(None, 5), ("", 5), ("3", 3), ("0", 5), ("16", 5), ("never", 5), ("15", 15)]
)
def test_lock_minutes_clamped(setting: str | None, minutes: int) -> None:
    """Whatever is in the store (edited by hand, say), the lock is 1–15 minutes, 5 by default."""

    class Store:
        def setting(self, key: str, default: str = "") -> str:
            return default if setting is None else setting

    assert lock_minutes(Store()) == minutes  # type: ignore[arg-type]


def test_idle_watcher_fires_and_input_resets(qtbot: QtBot, qapp: object) -> None:
    watcher = IdleWatcher(1)
    watcher.timer.setInterval(50)  # the same mechanism, minutes shortened for the test
    watcher.timer.start()
    with qtbot.waitSignal(watcher.idle, timeout=2000):
        pass
    watcher.stop()


def unlock_again(qtbot: QtBot, controller: SessionController, dialog: object) -> MainWindow:
    """The passphrase typed into the unlock dialog the lock showed; the window that comes back."""
    secret = dialog.secret  # type: ignore[attr-defined]
    qtbot.keyClicks(secret, DEMO_PASSPHRASE)
    qtbot.keyClick(secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None)
    back = controller.window
    assert back is not None
    qtbot.addWidget(back)
    return back


def test_lock_and_return(qtbot: QtBot, demo_store: Path) -> None:
    device = DeviceSecrets(None)
    controller = SessionController(demo_store, device, SyncRunner())
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=device)
    window = controller.start(ws)
    qtbot.addWidget(window)
    nominal = ws.db.execute(
        "SELECT nominal_id FROM memberships WHERE strand = 'C&C' AND removed_on IS NULL LIMIT 1"
    ).fetchone()[0]
    window.open_case(nominal)
    panel = window.case_view.scoring
    panel.score_now()
    model = panel.widget.model
    assert model is not None
    row = next(i for i, it in enumerate(model.items) if it.key == "robbery")
    model.setData(model.index(row, 2), 3)  # typed, not yet autosaved
    meeting = next(m.id for m in window.ctx.services.meetings.all() if m.state is MeetingState.PLANNED)
    window.ctx.services.meetings.add_item(meeting, "Person", nominal_id=nominal, reasons=["lock test"])
    made = window.ctx.services.meetings.add_item(
        meeting, "Another", nominal_id=nominal, reasons=["lock test"]
    )
    second = made.record
    console = window.open_console(meeting)
    console.go_to(next(i for i, it in enumerate(console.items) if it.id == second.id))
    console.toggle_projector()  # shown to the room (F5), as the chair does
    projector = console.projector

    dialog = controller.lock("test")
    assert dialog is not None
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QPushButton

    assert not [b for b in dialog.findChildren(QPushButton) if "Restore" in b.text()]  # its own store only
    assert projector.curtained and projector.visible_texts() == []
    assert not projector.isVisible() and controller.window is None
    with pytest.raises(Exception, match="closed"):
        ws.db.execute("SELECT 1")

    back = unlock_again(qtbot, controller, dialog)
    assert back.stack.currentWidget() is back.case_view and back.case_view.case is not None
    assert back.case_view.case.nominal.id == nominal
    assert meeting in back.consoles  # the chair's console is back too, its projector as it was
    returned = back.consoles[meeting]
    assert returned.projector.isVisible() and not returned.projector.curtained
    assert returned.current.id == second.id  # type: ignore[union-attr]  # the same item
    shown_again = back.ctx.services.audit.search(kind="disclosure", limit=1)[0]
    assert shown_again.summary == "Projected to the room: Another"  # the room's view recorded again first
    draft = back.case_view.scoring.widget.sheet
    assert draft is not None and not draft.final and draft.total > 0  # the typed count was kept
    summaries = [e.summary for e in back.ctx.services.audit.search(limit=20)]
    assert "Store locked" in summaries
    for c in list(back.consoles.values()):
        c.close()
    back.close()


def test_clipboard_cleared_after_a_copy_and_on_lock(qtbot: QtBot, qapp: object) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    from ui.clipboard import CLEAR_AFTER_MS, ClipboardGuard

    window = QWidget()
    show_active(qtbot, window)  # copies come from one of our focused windows
    guard = ClipboardGuard()
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("QUILLFEATHER, Zebedee 99/123456Z")
    assert guard.timer.isActive() and guard.timer.interval() == CLEAR_AFTER_MS == 10_000
    guard.timer.timeout.emit()  # ten seconds pass
    assert clipboard.text() == ""
    clipboard.setText("another fictional name")
    guard.clear_now()  # what locking does
    assert clipboard.text() == "" and not guard.timer.isActive()
    clipboard.setText("a fictional name, copied here")
    clipboard.blockSignals(True)  # another program replaces it (no copy seen from this app)
    clipboard.setText("copied in another program")
    clipboard.blockSignals(False)
    guard.clear_now()
    assert clipboard.text() == "copied in another program"  # never clears someone else's copy
    guard.stop()


def test_lock_minutes_setting(qtbot: QtBot, demo_store: Path) -> None:
    from ppo_desktop.services.settings import Settings
    from ppo_desktop.services.workspace import ServiceError

    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    try:
        with pytest.raises(ServiceError, match="cannot be turned off"):
            Settings(ws).set_lock_minutes(0)
        Settings(ws).set_lock_minutes(9)
        assert lock_minutes(ws) == 9
    finally:
        ws.close()


def test_recovery_unlock_asks_for_a_new_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    from ppo_desktop.services.session import create_store
    from tests.conftest import CHEAP

    device = DeviceSecrets(None)
    ws, recovery = create_store(
        tmp_path / "r",
        user_id="coord",
        display_name="Coordinator",
        passphrase="forgotten passphrase",
        partnership="T",
        device=device,
        cost=CHEAP,
    )
    ws.close()
    controller = SessionController(tmp_path / "r.ppo", device, SyncRunner())
    window = controller.start(unlock(tmp_path / "r.ppo", recovery_key=recovery, device=device))
    qtbot.addWidget(window)
    dialog = controller.reenrol_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.first, "a brand new passphrase")  # type: ignore[attr-defined]
    qtbot.keyClicks(dialog.second, "a brand new passphrase")  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.accepted, timeout=60000):  # a real-cost key derivation, on a busy machine
        dialog.attempt()  # type: ignore[attr-defined]
    summaries = [e.summary for e in window.ctx.services.audit.search(limit=5)]
    assert "Passphrase reset (re-enrolled)" in summaries
    window.close()
    again = unlock(tmp_path / "r.ppo", "a brand new passphrase", user_id="coord", device=device)
    assert again.user.id == "coord"
    again.close()


def test_a_due_backup_runs_by_itself_after_unlocking(qtbot: QtBot, demo_store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    device = DeviceSecrets(None)
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=device)
    with ws.transaction():
        ws.db.table("settings").upsert(
            {"key": "last_backup", "value": f"2026-10-01T09:00:00+00:00|{folder}"}, pk="key"
        )
    controller = SessionController(demo_store, device, SyncRunner())
    window = controller.start(ws)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "Scheduled backup written and verified" in window.statusBar().currentMessage())
    assert len(list(folder.glob("*.ppo-backup"))) == 1
    assert ws.setting("last_backup").endswith(str(folder))
    controller.scheduled_backup(window)  # not due again yet: no second copy
    assert len(list(folder.glob("*.ppo-backup"))) == 1
    window.close()


@pytest.mark.slow  # a second or more: every screen
def test_no_idle_lock_while_a_meeting_is_in_progress_and_the_item_time_resumes(
    qtbot: QtBot, demo_store: Path
) -> None:
    """The idle lock fired mid-meeting (projector blanked, item timer reset): not while the console
    has a meeting in progress; a lock the chair asks for still locks, and the item's time goes on."""
    device = DeviceSecrets(None)
    controller = SessionController(demo_store, device, SyncRunner())
    window = controller.start(unlock(demo_store, DEMO_PASSPHRASE, device=device))
    qtbot.addWidget(window)
    nominal = window.ctx.services.cases.cohort(include_former=False)[0].nominal.id
    meeting = next(m.id for m in window.ctx.services.meetings.all() if m.state is MeetingState.PLANNED)
    window.ctx.services.meetings.add_item(meeting, "Person", nominal_id=nominal, reasons=["idle test"])
    console = window.open_console(meeting)
    console.go_to(0)
    assert controller.idle is not None
    controller.idle.idle.emit()  # five minutes without a key pressed
    assert controller.window is window and window.ctx.session.is_open  # not locked
    assert "a meeting is in progress" in window.statusBar().currentMessage()
    assert controller.idle.timer.isActive()  # watched again
    console.presenter._started = console.presenter._clock() - 125  # two minutes on the item so far
    dialog = controller.lock("Ctrl+L")  # the chair's own lock still locks
    assert dialog is not None and controller.window is None
    qtbot.addWidget(dialog)
    back = unlock_again(qtbot, controller, dialog)
    assert back.consoles[meeting].presenter.seconds_on_item() >= 125  # the item's time goes on
    for c in list(back.consoles.values()):
        c.close()
    back.close()
