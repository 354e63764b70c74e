"""Shared fixtures: offscreen Qt, an in-memory keyring, cheap key derivation, the demo store."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# The app's per-user notes (the last store opened, outputs being written) go to a folder of the run's
# own, never the developer's home.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="ppo-tests-state-")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="ppo-tests-config-")

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from db.device import DeviceSecrets, trust_backend_type  # noqa: E402
from db.keyfile import KdfCost, KdfPolicy, use_kdf_policy  # noqa: E402

CHEAP = KdfCost(n=2**10, r=8, p=1)  # tests only: real stores use the default cost
use_kdf_policy(KdfPolicy(slots=CHEAP, packs=CHEAP))  # once, for the whole suite (the app runs standard)

# CI draws the same examples on every run (a red run is reproduced by running it again); a developer's
# run draws new ones each time (and keeps failures in .hypothesis/ to try first).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _test_now() -> dt.datetime:
    """The instant every test runs at: 24 Nov 2026 09:30 UTC, or the day in ``PPO_TEST_TODAY``
    (YYYY-MM-DD; CI runs the suite a second time 18 months ahead to prove no test needs the day)."""
    day = dt.date.fromisoformat(os.environ.get("PPO_TEST_TODAY") or "2026-11-24")
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC)


TEST_NOW = _test_now()
DEMO_DAY = TEST_NOW.date()


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[dt.datetime]:
    """The app's clock, frozen at ``TEST_NOW`` for every test (services, the CLI, screens)."""
    from ppo_desktop import clock

    with clock.installed(lambda: TEST_NOW):
        yield TEST_NOW


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring that the device policy accepts as a test double (told so below)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


trust_backend_type(MemoryKeyring)  # the policy is told; the class claims nothing


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """No test ever touches the machine's real keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def device(memory_keyring: MemoryKeyring) -> DeviceSecrets:
    return DeviceSecrets(memory_keyring)


@pytest.fixture
def no_device() -> DeviceSecrets:
    return DeviceSecrets(None, "no keyring (test)")


@pytest.fixture
def cost() -> KdfCost:
    return CHEAP


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ppo_desktop.demo import build_demo

    folder = tmp_path_factory.mktemp("demo-template")
    build_demo(folder / "demo.ppo", today=DEMO_DAY, cost=CHEAP)
    return folder / "demo.ppo"


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store (store + key file) for one test."""
    target = tmp_path / "demo.ppo"
    shutil.copy2(demo_template, target)
    shutil.copy2(demo_template.with_name("demo.ppo.keys"), tmp_path / "demo.ppo.keys")
    return target
