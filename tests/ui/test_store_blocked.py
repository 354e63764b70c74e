"""A store that failed its unlock checks: the window says so, nothing can be saved, and an
administrator acknowledges it from the banner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.services.session import unlock
from tests.ui.conftest import StoreContext
from ui.main_window import MainWindow


def test_the_banner_blocks_and_an_administrator_acknowledges(
    qtbot: QtBot, demo_store: Path, qapp: object
) -> None:
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    ws.db.execute("DROP TRIGGER meeting_amendments_no_update")  # raw SQL by someone holding the key
    ws.db.conn.commit()
    ws.vault.close()
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    window = MainWindow(StoreContext(ws))
    qtbot.addWidget(window)
    window.show()
    assert window.blocked.isVisible() and "meeting_amendments_no_update" in window.blocked_text.text()
    window.ask_acknowledgement = lambda: "Trigger removed during a supervised repair (test)"
    qtbot.mouseClick(window.acknowledge_button, Qt.MouseButton.LeftButton)
    assert not window.blocked.isVisible() and ws.blocked == ""
    assert ws.audit.entries(limit=1)[0].justification.startswith("Trigger removed")
    ws.close()


def test_the_last_resort_handler_shows_no_values(capsys: object, monkeypatch: object) -> None:
    import sys

    from PySide6.QtWidgets import QMessageBox

    from ui.errors import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # type: ignore[attr-defined]  # put back after
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)  # type: ignore[attr-defined]
    install_excepthook()
    try:
        raise ValueError("NOODLEHAM, Rufus, 12 Imaginary Lane")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "ValueError in" in err and "NOODLEHAM" not in err and "Imaginary" not in err
    assert shown and "NOODLEHAM" not in shown[0] and "ValueError" in shown[0]
