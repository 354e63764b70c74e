"""The one place the app meets the operating system (issue: Windows-ready by construction).

- ``lock_watcher()``: lock when the OS does — D-Bus signals on Linux (``linux_lock``), WTS session
  notifications through Qt's native event filter on Windows (``windows``); elsewhere the idle lock
  and Ctrl+L stand alone.
- ``keep_off_shared_screens(window)``: on Windows, the chair console and every dialog are left out
  of screen capture (``WDA_EXCLUDEFROMCAPTURE``), so a shared screen in a hybrid meeting shows only
  the projector; a no-op where the OS offers no such thing.
- Private files (POSIX modes), data and config folders and the keyring choice live in
  ``ppo_desktop`` (``output_files``, ``paths``, ``keyring_policy``): they need no Qt.

Each Windows path is behind the same interface and unit-tested with the OS calls faked.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


def lock_watcher(parent: QObject | None = None, platform: str = sys.platform) -> Any:
    """An object with a ``lock_requested(str)`` signal, for this OS."""
    if platform == "win32":
        from ui.platform.windows import SessionLockFilter

        return SessionLockFilter(parent)
    from ui.platform.linux_lock import OsLockWatcher

    return OsLockWatcher(parent)


def keep_off_shared_screens(window: QWidget, platform: str = sys.platform, user32: Any = None) -> bool:
    """Leave ``window`` out of screen capture where the OS can; whether it was done."""
    if platform != "win32":
        return False
    from ui.platform.windows import exclude_from_capture

    return exclude_from_capture(window, user32)


class CaptureGuard(QObject):
    """Installed once on the application: every window it shows — the coordinator's screens, the
    chair console, every dialog — is kept off shared screens as it first appears; the projector, the
    one window meant for the room, is not."""

    def __init__(
        self, parent: QObject | None = None, platform: str = sys.platform, user32: Any = None
    ) -> None:
        super().__init__(parent)
        self.platform, self.user32 = platform, user32
        self.kept: list[str] = []  # the windows kept off (their class names), for the self-test

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and not getattr(watched, "for_the_room", False)
            and keep_off_shared_screens(watched, self.platform, self.user32)
        ):
            self.kept.append(type(watched).__name__)
        return False
