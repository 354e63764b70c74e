from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.services.session import create_store, unlock
from ppo_desktop.services.workspace import Workspace
from tests.conftest import CHEAP

ADMIN_PASS = "admin passphrase 1"
CLOCK = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def blank_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new store, made once per session as every ``ws`` was made (a copy is a fraction of the
    cost of making one: the schema's steps and the first audit entries are already there)."""
    folder = tmp_path_factory.mktemp("blank-template")
    workspace, _ = create_store(
        folder / "panel",
        user_id="admin",
        display_name="Test Admin",
        passphrase=ADMIN_PASS,
        partnership="Testshire CSP (TEST)",
        device=DeviceSecrets(None, "no keyring (test)"),
        cost=CHEAP,
        clock=lambda: CLOCK,
    )
    workspace.close()
    return folder / "panel.ppo"


@pytest.fixture
def ws(blank_template: Path, tmp_path: Path, no_device: DeviceSecrets) -> Iterator[Workspace]:
    """A new store of the test's own (a copy of the session's blank one), unlocked as its admin."""
    for f in blank_template.parent.iterdir():
        if f.name.startswith(blank_template.name) and not f.name.endswith(".lock"):
            shutil.copy2(f, tmp_path / f.name)
    workspace = unlock(tmp_path / blank_template.name, ADMIN_PASS, device=no_device, clock=lambda: CLOCK)
    yield workspace
    workspace.close()


@pytest.fixture
def demo(demo_store: Path) -> Iterator[Workspace]:
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    yield ws
    ws.close()


@pytest.fixture
def laptop(tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost) -> Iterator[Workspace]:
    ws, _ = create_store(
        tmp_path / "chair", user_id="chair", display_name="Demo Chair", passphrase="chair passphrase 1",
        partnership="Fictionshire CSP (DEMO)", device=no_device, cost=cost,
    )  # fmt: skip
    yield ws
    ws.close()
