from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.services.session import create_store, unlock
from ppo_desktop.services.workspace import Workspace

ADMIN_PASS = "admin passphrase 1"


@pytest.fixture
def ws(tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost) -> Iterator[Workspace]:
    clock = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    workspace, _ = create_store(
        tmp_path / "panel",
        user_id="admin",
        display_name="Test Admin",
        passphrase=ADMIN_PASS,
        partnership="Testshire CSP (TEST)",
        device=no_device,
        cost=cost,
        clock=lambda: clock,
    )
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
