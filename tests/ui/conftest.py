from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.services.bundle import Services
from ppo_desktop.services.session import unlock
from ppo_desktop.services.workspace import Workspace
from tests.ppo_desktop.conftest import demo  # noqa: F401 (the demo store unlocked: tests without widgets)
from ui.context import AppContext
from ui.tasks import SyncRunner, TaskRunner


@pytest.fixture(params=["en", "cy"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The test once in each language the app speaks (a translation picks its own access keys, and
    its words are often longer than the English)."""
    from ppo_desktop import i18n

    i18n.use(request.param)
    yield request.param
    i18n.use(i18n.ENGLISH)


@pytest.fixture(autouse=True)
def qt_words(qapp: QApplication) -> None:
    """As the app does at start: Qt's own buttons speak the language in use."""
    from ui import qt_words

    qt_words.install(qapp)


@contextlib.contextmanager
def app_theme(qapp: QApplication, text: float = 1.0, floor: float = 0.0) -> Iterator[QApplication]:
    """The app's own theme, as the app runs (palette, style sheet, type sizes), at the person's text
    size times ``text`` (from at least ``floor`` points), put back afterwards so the next test sees the
    application as it found it."""
    from ui import theme

    font, sheet, palette = QFont(qapp.font()), qapp.styleSheet(), qapp.palette()
    if text != 1.0:
        scaled = QFont(font)
        scaled.setPointSizeF(text * max(font.pointSizeF(), floor))
        qapp.setFont(scaled)
    theme.apply(qapp)
    try:
        yield qapp
    finally:
        qapp.setFont(font)
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    with app_theme(qapp) as app:
        yield app


class StoreContext(AppContext):
    """The screens' context (services and status, never the Workspace) with the test's own handle
    on the store beside it, to set up or look at what no screen may reach."""

    def __init__(self, ws: Workspace, runner: TaskRunner | None = None) -> None:
        super().__init__(Services(ws), runner or SyncRunner())
        self.ws = ws


@pytest.fixture
def ctx(demo_store: Path, qapp: object) -> Iterator[AppContext]:
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    context = StoreContext(ws)
    yield context
    if ws.vault.db.conn is not None:
        try:
            ws.close()
        except Exception:  # already closed by the window
            pass


def show_active(qtbot: object, window: object) -> None:
    """Show a window and wait until it is active (window shortcuts only fire in the active window)."""
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # type: ignore[attr-defined]


class HeldRunner(SyncRunner):
    """Holds each job until the test lets it run (as a worker would, later), first made first."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[tuple[object, object, object]] = []

    def run(self, fn, on_done, on_error) -> None:  # type: ignore[no-untyped-def]
        self.held.append((fn, on_done, on_error))

    def let_run(self) -> None:
        fn, on_done, on_error = self.held.pop(0)
        SyncRunner.run(self, fn, on_done, on_error)  # type: ignore[arg-type]


class CancellingRunner(SyncRunner):
    """Runs jobs inline, but presses Cancel on the progress window of the one named first."""

    def __init__(self, parent: object, title: str) -> None:
        super().__init__()
        self.parent, self.title, self.pressed = parent, title, False

    def run(self, fn, on_done, on_error) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtWidgets import QProgressDialog, QPushButton

        shown = [d for d in self.parent.findChildren(QProgressDialog) if d.labelText() == self.title]
        for dialog in shown:
            dialog.findChild(QPushButton).click()  # the dialog's own Cancel button
            self.pressed = True
        super().run(fn, on_done, on_error)
