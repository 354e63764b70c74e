"""The app locks when the OS screen locks or the machine suspends (Linux desktops, over D-Bus):
a real child app on a private bus, sent the very signals the desktop sends."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ppo_desktop.demo import DEMO_PASSPHRASE

pytestmark = pytest.mark.slow  # processes killed, daemons started: left out of ./dev test --fast

ROOT = Path(__file__).resolve().parents[2]
SIGNALS = {
    "screen lock": ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged"),
    "suspend": ("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep"),
}


@pytest.fixture
def bus() -> Iterator[str]:
    if not (shutil.which("dbus-daemon") and shutil.which("dbus-send")):
        pytest.skip(
            "dbus-daemon / dbus-send are not installed here (./dev test installs them on Debian/Ubuntu)"
        )
    with subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as daemon:  # fmt: skip
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        try:
            yield address
        finally:
            daemon.terminate()


@pytest.mark.parametrize("event", list(SIGNALS))
def test_the_app_locks_when_the_os_does(bus: str, demo_store: Path, event: str) -> None:
    # The private bus plays both the session bus (screensaver) and the system bus (logind).
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": bus, "DBUS_SYSTEM_BUS_ADDRESS": bus}
    with subprocess.Popen(
        [sys.executable, "-m", "tests.integration.os_lock_child", str(demo_store), DEMO_PASSPHRASE],
        cwd=ROOT, env={**env, "QT_QPA_PLATFORM": "offscreen"}, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    ) as child:  # fmt: skip
        assert child.stdout is not None
        watchdog = threading.Timer(60, child.kill)  # a child that never locks fails the test, not CI
        watchdog.start()
        listening = child.stdout.readline()
        assert "org.freedesktop.ScreenSaver" in listening and "PrepareForSleep" in listening, listening
        path, member = SIGNALS[event]
        # dbus-send registers on the bus only with --session (with --address it is not delivered).
        subprocess.run(
            ["dbus-send", "--session", "--type=signal", path, member, "boolean:true"], env=env, check=True
        )
        try:
            assert child.stdout.readline().strip() == "locked"
        finally:
            watchdog.cancel()
            child.kill()
