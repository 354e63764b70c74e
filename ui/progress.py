"""Long work's window: what it is doing and how far it has got, with Cancel (issue 23: merges and
imports run on a worker, the window goes on answering)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from ppo_desktop.i18n import _
from ppo_desktop.services.workspace import Stopped

SHOWN_AFTER_MS = 400  # quick work finishes before the window would flash up


class Hook(QObject):
    """A worker's progress hook, heard on the window's thread: ``report`` (called on the worker)
    raises Stopped once ``stop`` has been asked, and otherwise passes the stage on (``moved``,
    queued to the window's thread)."""

    moved = Signal(str, int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()

    def report(self, stage: str, done: int, total: int) -> None:
        if self._stop.is_set():
            raise Stopped(_("Stopped before it finished: nothing was changed."))
        self.moved.emit(stage, done, total)

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()


class Waiting(Hook):
    """A window-modal progress dialog fed from a worker thread (``report`` is the job's hook): once
    Cancel is pressed the job stops at its next report, and its transaction rolls back."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.dialog = QProgressDialog(title, _("&Cancel"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOWN_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setAccessibleName(title)
        self.dialog.canceled.connect(self.cancel)
        self.moved.connect(self._show)

    def cancel(self) -> None:
        self.stop()
        self.dialog.setLabelText(_("Stopping… (nothing will be changed)"))

    def _show(self, stage: str, done: int, total: int) -> None:
        if self.stopping:
            return
        self.dialog.setMaximum(max(total, 0))  # 0: busy, no count known
        self.dialog.setValue(min(done, total) if total else 0)
        said = _(stage)  # a stage the core marked (N_) is said in the language in use
        self.dialog.setLabelText(
            _("{stage}… {done:,} of {total:,}").format(stage=said, done=done, total=total)
            if total
            else f"{said}…"
        )

    def finish(self) -> None:
        if not isValid(self.dialog):  # its window closed meanwhile (the app locked)
            return
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
