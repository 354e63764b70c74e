"""Alt mnemonics are unique in every window as the person sees it: each screen of the main window,
each tab of a case, the chair console, and the dialogs, in each language the app speaks. A repeated
one reaches two widgets."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ppo_desktop.domain import DecisionKind
from ppo_desktop.keyring_policy import no_device
from tests.ui.meeting.test_meeting_e2e import planned_meeting
from ui.action_dialog import ActionDialog
from ui.context import AppContext
from ui.create_dialog import CreateStoreDialog
from ui.imports.import_dialog import ImportDialog
from ui.main_window import NAV, MainWindow
from ui.meeting.console import ChairConsole
from ui.meeting.decision_dialog import DecisionDialog
from ui.nomination_dialog import NominationDialog
from ui.restore_dialog import RestoreDialog
from ui.screens.meetings import NewMeetingDialog
from ui.screens.person_details_dialog import PersonDetailsDialog
from ui.screens.subject_access_dialog import SubjectAccessDialog
from ui.tasks import SyncRunner

MNEMONIC = re.compile(r"&([^&\s])")


def repeated(window: object) -> dict[str, list[str]]:
    """Mnemonic letter → the texts that use it, where more than one visible widget does."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget, QWidget

    assert isinstance(window, QWidget)
    found: dict[str, list[str]] = defaultdict(list)
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window):
            continue
        texts = []
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QLabel) and w.buddy() is not None:
            texts.append(w.text())
        if isinstance(w, QGroupBox):
            texts.append(w.title())
        if isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        for text in texts:
            if m := MNEMONIC.search(text.replace("&&", "")):
                found[m.group(1).lower()].append(text)
    return {k: v for k, v in found.items() if len(v) > 1}


def test_the_scale_would_catch_a_repeat(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    for text in ("&Open", "Sc&oring", "&Print"):
        layout.addWidget(QPushButton(text))
    window.show()
    assert repeated(window) == {"o": ["&Open", "Sc&oring"]}


@pytest.mark.slow  # a second or more: every screen
def test_every_screen_and_tab_of_the_main_window(qtbot: QtBot, ctx: AppContext, language: str) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    for name in NAV:
        window.show_screen(name)
        assert repeated(window) == {}, name
    window.open_case(ctx.services.cases.cohort()[0].nominal.id)
    tabs = window.case_view.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        assert repeated(window) == {}, tabs.tabText(i)


def test_the_chair_console_and_the_dialogs(qtbot: QtBot, ctx: AppContext, language: str) -> None:
    console = ChairConsole(ctx, planned_meeting(ctx))
    qtbot.addWidget(console)
    console.show()
    for i in range(console.tabs.count()):
        console.tabs.setCurrentIndex(i)
        assert repeated(console) == {}, console.tabs.tabText(i)
    for kind in DecisionKind:
        dialog = DecisionDialog(kind, ctx.ws.profile(), None, ctx.ws.today())
        qtbot.addWidget(dialog)
        dialog.show()
        assert repeated(dialog) == {}, kind.value
    for dialog in (
        NominationDialog(ctx),
        ImportDialog(ctx, "nominations"),
        CreateStoreDialog(Path("panel.ppo"), no_device()),
        NewMeetingDialog(ctx.ws.today()),
        ActionDialog(ctx, nominal_id=ctx.services.cases.cohort()[0].nominal.id),
        SubjectAccessDialog(ctx),
        ActionDialog(ctx),
        PersonDetailsDialog(ctx, ctx.services.cases.cohort()[0].nominal),
        RestoreDialog(Path("."), no_device(), SyncRunner(), today=ctx.session.today()),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        assert repeated(dialog) == {}, type(dialog).__name__
    console.close()
