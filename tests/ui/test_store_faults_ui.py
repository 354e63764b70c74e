"""What the person sees when the store cannot take a change: a full disk keeps what they typed for
a retry; a read-only store says so in a banner and blocks opening cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.services.session import unlock
from tests.ui.conftest import StoreContext, show_active
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.nomination_dialog import NominationDialog


def test_a_full_disk_keeps_the_nomination_for_a_retry(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = NominationDialog(ctx)
    show_active(qtbot, dialog)
    for field, text in (
        (dialog.family, "Noodleworth"),
        (dialog.given, "Fictional"),
        (dialog.agency, "Police"),
        (dialog.nominator, "PC Example"),
    ):
        qtbot.keyClicks(field, text)
    dialog.reason.setText("Fictional: a run of burglaries " * 2000)  # long enough to need new pages
    pages = ctx.ws.db.execute("PRAGMA page_count").fetchone()[0]
    ctx.ws.db.execute(f"PRAGMA max_page_count = {pages}")
    before = ctx.ws.db.execute("SELECT count(*) FROM nominals").fetchone()[0]
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[union-attr]
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "disk is full" in dialog.error.text() and dialog.isVisible()
    assert dialog.family.text() == "Noodleworth" and dialog.reason.text().startswith("Fictional: a run")
    assert ctx.ws.db.execute("SELECT count(*) FROM nominals").fetchone()[0] == before
    ctx.ws.db.execute("PRAGMA max_page_count = 1073741823")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # the same edit, retried
    assert (
        dialog.nominal_id is not None
        and ctx.services.cases.nominal(dialog.nominal_id).family_name == "Noodleworth"
    )


def test_a_read_only_store_shows_a_banner_and_opens_no_case(
    qtbot: QtBot, demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "db.store_files.unwritable", lambda _paths: "the folder /media/usb cannot be written to"
    )
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    window = MainWindow(StoreContext(ws))
    qtbot.addWidget(window)
    window.show()
    assert window.banner.isVisible() and "Read-only: the folder /media/usb" in window.banner.text()
    assert window.cohort.model.rowCount() > 0  # the lists are there
    first = window.cohort.model.row_object(0).nominal.id
    window.open_case(first)
    assert window.stack.currentWidget() is window.cohort and "was not opened" in window.banner.text()
    window.close()
    assert not ws.vault.is_open
