"""What a screen reader and a keyboard-and-mouse user meet (EN 301 549 ch. 11, WCAG 2.2): every
control that takes the focus has a name a screen reader can say — its own, its label's (a buddy), or
its text — and nothing a person clicks or types into is under 24 px high (2.5.8). Checked on every
screen of the main window, the unlock and create-store dialogs, and the chair console."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from db.device import DeviceSecrets
from ppo_desktop.keyring_policy import no_device
from tests.ui.meeting.test_meeting_e2e import planned_meeting
from ui.context import AppContext
from ui.create_dialog import CreateStoreDialog
from ui.main_window import NAV, MainWindow
from ui.meeting.console import ChairConsole
from ui.restore_dialog import RestoreDialog
from ui.tasks import SyncRunner
from ui.unlock_dialog import UnlockDialog

TARGETS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton)
MIN_TARGET = 24


def problems(top: QWidget) -> list[str]:
    """Controls without a name a screen reader can say, and click targets under 24 px."""
    labelled = {label.buddy() for label in top.findChildren(QLabel) if label.buddy() is not None}
    found = []
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top) or w.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if w.objectName().startswith("qt_"):
            continue  # Qt's own parts (a spin box's text field) are named through their owner
        texted = isinstance(w, QAbstractButton) and bool(w.text().strip())
        named = bool(w.accessibleName()) or w in labelled or texted
        if not named:
            found.append(f"no name: {type(w).__name__} in {type(w.parent()).__name__}")
        if isinstance(w, TARGETS) and 0 < w.height() < MIN_TARGET:
            found.append(f"{w.height()} px high: {type(w).__name__} {w.accessibleName() or ''}".strip())
    return found


def test_the_scale_would_catch_an_unnamed_or_small_control(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QVBoxLayout

    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    box = QLineEdit()
    box.setFixedHeight(20)
    layout.addWidget(box)
    page.show()
    assert problems(page) == ["no name: QLineEdit in QWidget", "20 px high: QLineEdit"]


@pytest.mark.slow  # a second or more: every screen
@pytest.mark.usefixtures("themed")
def test_every_screen_of_the_main_window(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    found = {}
    for name in NAV:
        window.show_screen(name)
        if issues := problems(window.stack.currentWidget()):
            found[name] = issues
    window.open_case(ctx.services.cases.cohort()[0].nominal.id)
    for i in range(window.case_view.tabs.count()):
        window.case_view.tabs.setCurrentIndex(i)
        if issues := problems(window.case_view):
            found[f"case: {window.case_view.tabs.tabText(i)}"] = issues
    assert found == {}


@pytest.mark.usefixtures("themed")
def test_the_first_dialogs_and_the_chair_console(qtbot: QtBot, ctx: AppContext, demo_store: Path) -> None:
    unlock = UnlockDialog(demo_store, DeviceSecrets(None), SyncRunner())
    create = CreateStoreDialog(Path("panel.ppo"), no_device())
    restore = RestoreDialog(demo_store.parent, no_device(), SyncRunner(), today=ctx.session.today())
    console = ChairConsole(ctx, planned_meeting(ctx))
    found = {}
    for window in (unlock, create, restore, console):
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        if issues := problems(window):
            found[type(window).__name__] = issues
    console.close()
    assert found == {}
