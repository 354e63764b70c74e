"""The platform seam: the Windows paths behind the same interface as Linux's, with the OS calls
faked — the session lock read from a real MSG structure, and every window but the projector kept out
of screen capture."""

from __future__ import annotations

import ctypes

from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from ui import platform
from ui.meeting.projector import ProjectorWindow
from ui.platform.linux_lock import OsLockWatcher
from ui.platform.windows import (
    MSG,
    PBT_APMSUSPEND,
    WDA_EXCLUDEFROMCAPTURE,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    SessionLockFilter,
    why_lock,
)


class FakeUser32:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def SetWindowDisplayAffinity(self, hwnd: int, affinity: int) -> int:  # noqa: N802 - Windows' name
        self.calls.append((hwnd, affinity))
        return 1


class FakeWtsApi:
    def __init__(self) -> None:
        self.registered: list[int] = []

    def WTSRegisterSessionNotification(self, hwnd: int, flags: int) -> int:  # noqa: N802 - Windows' name
        self.registered.append(hwnd)
        return 1


def test_each_os_gets_its_own_lock_watcher(qapp: QApplication) -> None:
    assert isinstance(platform.lock_watcher(None, "linux"), OsLockWatcher)
    windows = platform.lock_watcher(None, "win32")
    assert isinstance(windows, SessionLockFilter)
    qapp.removeNativeEventFilter(windows.filter)


def test_the_windows_session_lock_is_read_from_the_message(qtbot: QtBot, qapp: QApplication) -> None:
    assert why_lock(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) == "the screen locked"
    assert why_lock(WM_POWERBROADCAST, PBT_APMSUSPEND) == "the computer is going to sleep"
    assert why_lock(WM_WTSSESSION_CHANGE, 0x8) == ""  # unlocking asks for nothing
    watcher = SessionLockFilter(None, qapp)
    try:
        msg = MSG(None, WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, 0)
        with qtbot.waitSignal(watcher.lock_requested) as locked:
            watcher.filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(msg))
        assert locked.args == ["the screen locked"]
        window, api = QWidget(), FakeWtsApi()
        qtbot.addWidget(window)
        assert watcher.register(window, api) and api.registered == [int(window.winId())]
    finally:
        qapp.removeNativeEventFilter(watcher.filter)


def test_every_window_but_the_projector_is_kept_off_a_shared_screen(qtbot: QtBot, qapp: QApplication) -> None:
    user32 = FakeUser32()
    guard = platform.CaptureGuard(None, "win32", user32)
    qapp.installEventFilter(guard)
    try:
        dialog, projector = QDialog(), ProjectorWindow()
        for w in (dialog, projector):
            qtbot.addWidget(w)
            w.show()
        assert user32.calls == [(int(dialog.winId()), WDA_EXCLUDEFROMCAPTURE)]
        assert guard.kept == ["QDialog"]
    finally:
        qapp.removeEventFilter(guard)
    linux = platform.CaptureGuard(None, "linux", user32)
    assert not platform.keep_off_shared_screens(dialog, "linux", user32) and linux.kept == []
