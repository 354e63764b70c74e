"""Lock when the operating system does: the screen locking, or the machine going to sleep.

Linux desktops announce both on D-Bus: the session's screensaver (freedesktop, GNOME and KDE
interfaces) says ActiveChanged(true) as the screen locks; logind says Lock() to the session and
PrepareForSleep(true) before a suspend. Where there is no bus (Windows, macOS, a bare session) the
idle lock and Ctrl+L still stand; the watcher says which signals it could listen for.
"""

from __future__ import annotations

import os

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

SCREENSAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),  # KDE
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)


class OsLockWatcher(QObject):
    lock_requested = Signal(str)  # why

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listening: list[str] = []
        session = QDBusConnection.sessionBus()
        if session.isConnected():
            for path, interface in SCREENSAVERS:
                if self._listen(session, path, interface, "ActiveChanged", "screen_saver(bool)"):
                    self.listening.append(f"{interface} on {path}")
        system = QDBusConnection.systemBus()
        if system.isConnected():
            manager = ("/org/freedesktop/login1", "org.freedesktop.login1.Manager")
            if self._listen(system, *manager, "PrepareForSleep", "before_sleep(bool)"):
                self.listening.append("logind PrepareForSleep")
            session_id = os.environ.get("XDG_SESSION_ID", "")
            path = f"/org/freedesktop/login1/session/{_escape(session_id)}"
            if session_id and self._listen(
                system, path, "org.freedesktop.login1.Session", "Lock", "session_locked()"
            ):
                self.listening.append("logind session Lock")

    def _listen(self, bus: QDBusConnection, path: str, interface: str, name: str, slot: str) -> bool:
        return bool(bus.connect("", path, interface, name, self, SLOT(slot)))  # type: ignore[call-overload]

    @Slot(bool)
    def screen_saver(self, active: bool) -> None:
        if active:
            self.lock_requested.emit("the screen locked")

    @Slot(bool)
    def before_sleep(self, going: bool) -> None:
        if going:
            self.lock_requested.emit("the computer is going to sleep")

    @Slot()
    def session_locked(self) -> None:
        self.lock_requested.emit("the session locked")


def _escape(session_id: str) -> str:
    """logind object paths escape every character outside [A-Za-z0-9] as _xx (hex)."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):02x}" for c in session_id)
