"""What a screen reader hears (issue 26, accessibility): the real app on a real X server, with Qt's
accessibility bridge on a private accessibility bus, read through AT-SPI by the same client library
Orca uses (pyatspi, in the system's Python). On every screen, every case tab and the chair console,
each control that takes the keyboard has a name and a role."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ppo_desktop.demo import DEMO_PASSPHRASE
from tests.integration.atspi_child import APP_NAME
from ui.main_window import NAV

pytestmark = pytest.mark.slow  # daemons and an X server started: left out of ./dev test --fast

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
SYSTEM_PYTHON = Path("/usr/bin/python3")
NAMELESS_BY_NATURE = {"table cell"}  # a cell's name is its content: an empty cell is read as blank
CASE_TABS = 8


def _have_pyatspi() -> bool:
    return SYSTEM_PYTHON.exists() and subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import pyatspi"], capture_output=True, check=False
    ).returncode == 0


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private session bus, the accessibility bus launcher on it, and an X server."""
    if not (shutil.which("dbus-daemon") and shutil.which("Xvfb") and LAUNCHER.exists() and _have_pyatspi()):
        pytest.skip("dbus, Xvfb, at-spi2-core or python3-pyatspi missing (./dev test installs them)")
    started: list[subprocess.Popen[str]] = []
    try:
        daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
        started.append(daemon)
        assert daemon.stdout is not None
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": daemon.stdout.readline().strip(),
               "XDG_RUNTIME_DIR": str(tmp_path)}  # fmt: skip
        started.append(subprocess.Popen([str(LAUNCHER), "--launch-immediately"], env=env, text=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        display = next(n for n in range(60, 90) if not Path(f"/tmp/.X{n}-lock").exists())
        xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1366x768x24", "-nolisten", "tcp",
                                 "-displayfd", "1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True)  # fmt: skip
        started.append(xvfb)
        assert xvfb.stdout is not None and xvfb.stdout.readline().strip() == str(display)  # ready
        bridge = {"QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
        yield {**env, **bridge, "DISPLAY": f":{display}"}
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()


def heard(env: dict[str, str]) -> dict[str, object]:
    walker = ROOT / "tests" / "integration" / "atspi_walk.py"
    run = subprocess.run([str(SYSTEM_PYTHON), str(walker), APP_NAME],
                         env=env, capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    return dict(json.loads(run.stdout))


def unnamed(objects: list[dict[str, object]]) -> list[str]:
    return [
        f"{o['role']} (depth {o['depth']})"
        for o in objects
        if o["focusable"] and (o["role"] == "unknown" or (not o["name"] and not o["labelled"]
                                                          and o["role"] not in NAMELESS_BY_NATURE))
    ]  # fmt: skip


def test_every_control_a_screen_reader_reaches_has_a_name_and_a_role(
    desktop: dict[str, str], demo_store: Path
) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.integration.atspi_child", str(demo_store), DEMO_PASSPHRASE],
        cwd=ROOT, env=desktop, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True,
    ) as child:  # fmt: skip
        assert child.stdin is not None and child.stdout is not None
        watchdog = threading.Timer(240, child.kill)  # a child that hangs fails the test, not CI
        watchdog.start()
        try:
            assert child.stdout.readline().strip() == "ready"
            steps = [f"screen {n}" for n in NAV] + [f"case {i}" for i in range(CASE_TABS)] + ["console"]
            found: dict[str, list[str]] = {}
            controls = 0
            for step in steps:
                child.stdin.write(step + "\n")
                child.stdin.flush()
                assert child.stdout.readline().strip() == f"shown {step}"
                said = heard(desktop)
                assert APP_NAME in said["applications"], said["applications"]  # on the bus, by its name
                objects = list(said["objects"])  # type: ignore[call-overload]
                controls += sum(1 for o in objects if o["focusable"])
                if missing := unnamed(objects):
                    found[step] = missing
            child.stdin.write("plant\n")  # an entry box with no name, as a careless change would add
            child.stdin.flush()
            assert child.stdout.readline().strip() == "shown plant"
            planted = unnamed(list(heard(desktop)["objects"]))  # type: ignore[call-overload]
            child.stdin.write("quit\n")
            child.stdin.flush()
        finally:
            watchdog.cancel()
            child.kill()
    assert controls > 200  # the walk reached the controls (the cohort alone shows dozens)
    assert found == {}
    assert planted and all(p.startswith("text") for p in planted), planted  # and would hear one unnamed
