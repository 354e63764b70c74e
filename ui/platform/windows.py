"""Windows: the session's lock (WTS notifications, read by Qt's native event filter) and windows
kept out of screen capture. The OS calls are made through ``user32`` / ``wtsapi32`` objects that tests
replace with fakes (this module imports and runs on any OS; it calls Windows only on Windows)."""

from __future__ import annotations

import ctypes
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WTS_SESSION_LOGOFF = 0x6
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0
WDA_EXCLUDEFROMCAPTURE = 0x11


class MSG(ctypes.Structure):
    """The part of Windows' MSG the filter reads."""

    _fields_ = [("hwnd", ctypes.c_void_p), ("message", ctypes.c_uint), ("wParam", ctypes.c_size_t),
                ("lParam", ctypes.c_ssize_t)]  # fmt: skip


def why_lock(message: int, wparam: int) -> str:
    """What a window message says about the session ("" when it asks for no lock)."""
    if message == WM_WTSSESSION_CHANGE and wparam in (WTS_SESSION_LOCK, WTS_SESSION_LOGOFF):
        return "the screen locked" if wparam == WTS_SESSION_LOCK else "the user is signing out"
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return "the computer is going to sleep"
    return ""


class _Filter(QAbstractNativeEventFilter):
    def __init__(self, owner: SessionLockFilter) -> None:
        super().__init__()
        self.owner = owner

    def nativeEventFilter(self, event_type: Any, message: Any) -> tuple[bool, int]:  # noqa: N802
        if bytes(event_type) == b"windows_generic_MSG":
            msg = MSG.from_address(int(message))
            self.owner.seen(msg.message, msg.wParam)
        return False, 0


class SessionLockFilter(QObject):
    """Windows' counterpart of the D-Bus watcher: the session locking or signing out, or the machine
    suspending, asks the app to lock. Registered for the session's notifications on the window
    given to ``register`` (the main window)."""

    lock_requested = Signal(str)

    def __init__(self, parent: QObject | None = None, app: Any = None) -> None:
        super().__init__(parent)
        self.filter = _Filter(self)
        self.listening = ["Windows session notifications"]
        application = app or QCoreApplication.instance()
        if application is not None:
            application.installNativeEventFilter(self.filter)

    def register(self, window: QWidget, wtsapi32: Any = None) -> bool:
        api = wtsapi32 or ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined]
        return bool(api.WTSRegisterSessionNotification(int(window.winId()), NOTIFY_FOR_THIS_SESSION))

    def seen(self, message: int, wparam: int) -> None:
        why = why_lock(message, wparam)
        if why:
            self.lock_requested.emit(why)


def exclude_from_capture(window: QWidget, user32: Any = None) -> bool:
    """SetWindowDisplayAffinity(WDA_EXCLUDEFROMCAPTURE): the window is black in a screen share or a
    screenshot, and shown as usual on the screen itself (Windows 10 2004 and later)."""
    api = user32 or ctypes.WinDLL("user32")  # type: ignore[attr-defined]
    return bool(api.SetWindowDisplayAffinity(int(window.winId()), WDA_EXCLUDEFROMCAPTURE))
