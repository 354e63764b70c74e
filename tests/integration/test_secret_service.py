"""The keyring policy against a real Secret Service: gnome-keyring in a private D-Bus session
(dbus-run-session), as on a Linux desktop. ./dev test installs both on Debian/Ubuntu."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # processes killed, daemons started: left out of ./dev test --fast

ROOT = Path(__file__).resolve().parents[2]
UNLOCK = 'eval "$(printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"'


def run_child(home: Path, *args: str) -> list[str]:
    """One desktop session: a D-Bus session bus, gnome-keyring unlocked, the child inside it."""
    (home / "data").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "KEYRING_PASSWORD": "login"}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    script = f'{UNLOCK} >/dev/null 2>&1; exec "{sys.executable}" -m tests.integration.keyring_child "$@"'
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script, "child", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


@pytest.fixture(autouse=True)
def needs_gnome_keyring() -> None:
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} could not be installed here (./dev test installs them with apt)")


def test_a_store_bound_to_a_real_secret_service_and_recovered_when_it_is_lost(tmp_path: Path) -> None:
    store = str(tmp_path / "bound")
    laptop = tmp_path / "laptop"
    created = run_child(laptop, "create", store)
    assert created[0] == "backend: keyring.backends.SecretService" and created[1] == "bound: True"
    recovery = created[2].removeprefix("recovery: ")
    assert run_child(laptop, "open", f"{store}.ppo")[-1] == "opened with the passphrase"  # same keyring

    replaced = tmp_path / "new-laptop"  # another machine, or the keyring wiped: the secret is gone
    lines = run_child(replaced, "recover", f"{store}.ppo", recovery)
    assert lines[1:] == [
        "the passphrase alone is refused",
        "re-enrolled, bound: True",
        "opened with the passphrase",
    ]
