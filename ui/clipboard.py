"""Personal data copied to the clipboard does not linger: cleared 10 seconds after a copy from this
app, and at once when the store locks. Another program's later copy is never touched."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 10_000


class ClipboardGuard(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clipboard = QGuiApplication.clipboard()
        self.copied: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CLEAR_AFTER_MS)
        self.timer.timeout.connect(self.clear_now)
        self.clipboard.dataChanged.connect(self._changed)

    def _changed(self) -> None:
        text = self.clipboard.text()
        # Ours if the platform says so, or if the copy happened while one of our windows had focus.
        ours = self.clipboard.ownsClipboard() or QGuiApplication.focusWindow() is not None
        if ours and text:
            self.copied = text
            self.timer.start()

    def clear_now(self) -> None:
        self.timer.stop()
        if self.copied is not None and self.clipboard.text() == self.copied:
            self.clipboard.clear()
        self.copied = None

    def stop(self) -> None:
        self.clear_now()
        self.clipboard.dataChanged.disconnect(self._changed)
