"""The plumbing every screen relies on: the worker relay reports whatever a job raises; change topics are
declared, so a screen cannot watch one that does not exist."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ui.tasks import SyncRunner, TaskRunner

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass


def _exit() -> None:
    raise SystemExit(3)  # not an Exception: before, the waiting screen never heard


def test_a_job_that_raises_system_exit_still_reports_its_failure(qtbot: QtBot) -> None:
    failures: list[BaseException] = []
    runner = TaskRunner()  # as a session keeps its runner
    runner.run(_exit, lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], SystemExit) and failures[0].code == 3


def test_the_inline_runner_reports_the_same() -> None:
    failures: list[BaseException] = []
    SyncRunner().run(_exit, lambda _r: None, failures.append)
    assert isinstance(failures[0], SystemExit)


def test_a_screen_watching_a_topic_that_does_not_exist_is_refused(qtbot: QtBot, ctx: object) -> None:
    """A typo in a watch set used to mean a screen that silently never refreshed."""
    import pytest
    from PySide6.QtWidgets import QWidget

    from ppo_desktop.services import Changes
    from ui.refresh import RefreshWhenShown

    class Screen(RefreshWhenShown, QWidget):
        def reload(self) -> None:
            pass

    screen = Screen()
    qtbot.addWidget(screen)
    with pytest.raises(ValueError, match="not a change topic: agenda"):
        screen.watch(ctx, {"agenda", "meetings"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a change topic: agendas"):
        Changes.of("agendas")
    assert Changes.of("agenda_items").topics == {"agenda_items"}


def test_a_wheel_over_a_control_without_focus_changes_nothing(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox, QVBoxLayout, QWidget

    from ui import input_guard

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    guard = input_guard.install(app)
    try:
        page = QWidget()
        layout = QVBoxLayout(page)
        fact, count = QComboBox(), QSpinBox()
        fact.addItems(["not known", "yes", "no"])
        fact.setCurrentIndex(1)
        count.setValue(5)
        for w in (fact, count):
            layout.addWidget(w)
        qtbot.addWidget(page)
        page.show()

        def notch(widget: QWidget) -> None:
            event = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, -120),
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
            QApplication.sendEvent(widget, event)

        notch(fact)
        notch(count)
        assert (fact.currentIndex(), count.value()) == (1, 5)  # the wheel passed by
        page.activateWindow()
        count.setFocus()
        qtbot.waitUntil(count.hasFocus)
        notch(count)
        assert count.value() == 4  # the person is in it: it turns
    finally:
        app.removeEventFilter(guard)
