"""Faults of the disk and the file: truncated stores, a full disk, a read-only store. Each asserts
that nothing committed is lost and that the person is told what happened in plain words."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from db.errors import StoreDamaged, StoreReadOnly
from db.keyfile import KdfCost
from db.vault import Vault
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.session import StoreProblem, create_store, unlock
from ppo_desktop.services.workspace import NotSaved, Workspace

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass

PASS = "fault passphrase 1"


@pytest.fixture
def store(tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost) -> Iterator[Path]:
    ws, _ = create_store(
        tmp_path / "faults", user_id="admin", display_name="Admin", passphrase=PASS,
        partnership="Faults (TEST)", device=no_device, cost=cost,
    )  # fmt: skip
    Cases(ws).add_nominal(NominalDraft("Wobbleford", "Fictional"))
    ws.close()
    yield tmp_path / "faults.ppo"


def _families(ws: Workspace) -> list[str]:
    return sorted(r.nominal.family_name for r in Cases(ws).cohort())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("keep", [10, "half", 4096])
def test_a_truncated_store_is_refused_and_left_as_it_is(store: Path, keep: int | str) -> None:
    data = store.read_bytes()
    cut = len(data) // 2 if keep == "half" else int(keep)
    store.write_bytes(data[:cut])
    before = _sha(store)
    with pytest.raises(StoreProblem, match="damaged") as caught:
        unlock(store, PASS, device=DeviceSecrets(None))
    assert isinstance(caught.value.__cause__, StoreDamaged)  # the vault's finding, in the app's own type
    assert _sha(store) == before and store.stat().st_size == cut  # never "repaired" or re-created


def test_a_full_disk_rolls_the_change_back_and_keeps_what_was_typed(store: Path) -> None:
    ws = unlock(store, PASS, device=DeviceSecrets(None))
    try:
        pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
        ws.db.execute(f"PRAGMA max_page_count = {pages}")  # the store may not grow: SQLITE_FULL
        draft = NominalDraft("Quillfeather", "Fictional", address="x" * 200_000)
        with pytest.raises(NotSaved, match="disk is full") as caught:
            Cases(ws).add_nominal(draft)
        assert "what you typed is kept" in str(caught.value)
        assert _families(ws) == ["Wobbleford"]  # rolled back
        assert ws.vault.integrity_check() == []
        ws.db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the same edit goes through
        Cases(ws).add_nominal(draft)
        assert _families(ws) == ["Quillfeather", "Wobbleford"]
        assert ws.audit.verify().ok
    finally:
        ws.close()


def test_a_read_only_store_opens_for_reading_and_blocks_every_change(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI runs as root, where chmod does not stop writes: the vault is told the place is not writable.
    monkeypatch.setattr(
        "db.store_files.unwritable", lambda _paths: "the folder /media/usb cannot be written to"
    )
    before = {p.name: _sha(p) for p in store.parent.iterdir() if p.is_file()}
    ws = unlock(store, PASS, device=DeviceSecrets(None))
    try:
        assert ws.vault.read_only == "the folder /media/usb cannot be written to"
        assert _families(ws) == ["Wobbleford"]  # reading works
        with pytest.raises(NotSaved, match="read-only"):
            Cases(ws).add_nominal(NominalDraft("Quillfeather", "Fictional"))
        nid = Cases(ws).cohort()[0].nominal.id
        with pytest.raises(NotSaved, match="read-only"):
            Cases(ws).open_case(
                nid, purpose="Case review"
            )  # a consultation that cannot be recorded does not happen
    finally:
        ws.close()
    after = {p.name: _sha(p) for p in store.parent.iterdir() if p.is_file()}
    assert after == before  # not a byte written, not a lock or WAL file made


def test_read_only_refuses_a_store_that_needs_updating(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("db.store_files.unwritable", lambda _paths: "the file is read-only")
    monkeypatch.setattr("db.migrations.latest_version", lambda: 99)
    with pytest.raises(StoreReadOnly, match="must be updated once where it can be written"):
        Vault.open(store, PASS, device=DeviceSecrets(None))
