"""Every screen of the main window fits a 1280×720 screen: the window's own minimum fits, and no
screen needs a sideways scroll to be read (a long line wraps or the control is laid out in one
column instead)."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from ui.context import AppContext
from ui.main_window import NAV, MainWindow

SMALLEST = (1280, 720)


def test_every_screen_fits_the_smallest_supported_screen(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SMALLEST)
    window.show()
    qtbot.waitExposed(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALLEST[0] and hint.height() <= SMALLEST[1], (hint.width(), hint.height())
    sideways: dict[str, list[str]] = {}
    for name in NAV:
        window.show_screen(name)
        screen = window.stack.currentWidget()
        for area in screen.findChildren(QScrollArea):
            inner, room = area.widget(), area.viewport().width()
            if area.isVisible() and inner is not None and inner.minimumSizeHint().width() > room:
                sideways.setdefault(name, []).append(f"{inner.minimumSizeHint().width()} > {room}")
    assert window.size().width() == SMALLEST[0]
    assert sideways == {}, sideways
