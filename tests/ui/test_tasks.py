"""The worker relay: whatever a job raises reaches the screen waiting for it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.tasks import SyncRunner, TaskRunner


def _exit() -> None:
    raise SystemExit(3)  # not an Exception: before, the waiting screen never heard


def test_a_job_that_raises_system_exit_still_reports_its_failure(qtbot: QtBot) -> None:
    failures: list[BaseException] = []
    TaskRunner().run(_exit, lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], SystemExit) and failures[0].code == 3


def test_the_inline_runner_reports_the_same() -> None:
    failures: list[BaseException] = []
    SyncRunner().run(_exit, lambda _r: None, failures.append)
    assert isinstance(failures[0], SystemExit)
