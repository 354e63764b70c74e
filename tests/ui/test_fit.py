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


def test_the_chair_console_fits_with_a_score_sheet_open(qtbot: QtBot, ctx: AppContext) -> None:
    """The console grew past the screen when a sheet opened (1,504 px on a 1,366 screen), cutting off
    the decisions and the action form."""
    from ppo_desktop.domain import Strand
    from tests.ui.test_meeting_e2e import planned_meeting
    from ui.meeting.console import ChairConsole

    meeting = planned_meeting(ctx)
    member = next(r for r in ctx.cases.cohort(include_former=False)
                  if r.membership and r.membership.strand is Strand.CATCH_CONVICT)  # fmt: skip
    ctx.meetings.add_item(meeting, "Member", nominal_id=member.nominal.id)
    console = ChairConsole(ctx, meeting)
    qtbot.addWidget(console)
    console.resize(*SMALLEST)
    console.show()
    console.go_to(next(i for i, it in enumerate(console.items) if it.nominal_id == member.nominal.id))
    console.scoring.score_now()
    console.tabs.setCurrentWidget(console.scoring)
    hint = console.minimumSizeHint()
    assert hint.width() <= SMALLEST[0] and hint.height() <= SMALLEST[1], (hint.width(), hint.height())
    assert console.size().width() == SMALLEST[0]  # it did not grow
    console.close()
