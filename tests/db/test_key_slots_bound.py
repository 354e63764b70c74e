"""Key slots bound to whom they are for, a key file sealed as a whole, and re-keying: each test
tries what a panel member with the key file in a text editor, or a removed user, would try."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import db.vault as vault_module
from db.device import DeviceSecrets
from db.errors import KeyFileDamaged, StoreExists, VaultError, WrongPassphrase
from db.keyfile import KdfCost, KeyFile, Slot, _wrapping_key
from db.vault import Vault, VaultPaths

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass

ADMIN, MEMBER = "admin passphrase 1", "member passphrase 2"
NAME = "Horatio Fictional-Testperson"


@pytest.fixture
def store(tmp_path: Path, device: DeviceSecrets, cost: KdfCost) -> Iterator[Path]:
    vault, _ = Vault.create(tmp_path / "panel", "admin", ADMIN, device=device, cost=cost)
    vault.add_user_slot("member", MEMBER, cost)
    with vault.transaction() as db:
        db.execute("CREATE TABLE people (name TEXT)")
        db.execute("INSERT INTO people VALUES (?)", [NAME])
    vault.close()
    yield tmp_path / "panel.ppo"


def keys(path: Path) -> dict[str, object]:
    return json.loads(VaultPaths.of(path).keyfile.read_text())


def test_a_relabelled_slot_opens_nothing(store: Path, device: DeviceSecrets) -> None:
    """The attack: the member renames their own slot 'admin' (and the admin's out of the way) and
    unlocks as the administrator with their own passphrase."""
    raw = keys(store)
    for slot in raw["slots"]:  # type: ignore[attr-defined]
        slot["label"] = {"member": "admin", "admin": "admin-old"}.get(slot["label"], slot["label"])
    VaultPaths.of(store).keyfile.write_text(json.dumps(raw))
    with pytest.raises(WrongPassphrase):
        Vault.grant(store, MEMBER, user="admin", device=device)


def test_any_edit_to_the_key_file_is_refused(store: Path, device: DeviceSecrets) -> None:
    raw = keys(store)
    raw["anchor"] = {"seq": 1, "mac": "0" * 64}  # e.g. moving the audit anchor back
    VaultPaths.of(store).keyfile.write_text(json.dumps(raw))
    with pytest.raises(KeyFileDamaged, match="changed outside PPO Panel"):
        Vault.grant(store, ADMIN, user="admin", device=device)


def before_the_seal(store: Path, device: DeviceSecrets) -> None:
    """Make the store as stores were before key files were sealed: nothing inside notes the seal."""
    vault = Vault.open(store, ADMIN, user="admin", device=device)
    with vault.transaction() as db:
        db.execute("DELETE FROM settings WHERE key = ?", [vault_module.KEYFILE_SEALED])
    vault.close()


def test_a_key_file_stripped_of_its_seal_is_refused(store: Path, device: DeviceSecrets) -> None:
    """The attack: edit the file (here: the member's slot takes the administrator's label) and delete
    its ``mac`` so that it passes as a file from before the seal — and is then re-sealed as genuine."""
    raw = keys(store)
    for slot in raw["slots"]:  # type: ignore[attr-defined]
        slot["label"] = {"admin": "admin-old"}.get(slot["label"], slot["label"])
    del raw["mac"]  # type: ignore[attr-defined]
    edited = json.dumps(raw)
    VaultPaths.of(store).keyfile.write_text(edited)
    with pytest.raises(KeyFileDamaged, match="lost its seal"):
        Vault.open(store, MEMBER, user="member", device=device)
    assert VaultPaths.of(store).keyfile.read_text() == edited  # not re-sealed as the app's own


def test_a_version_1_slot_is_made_version_2_when_its_owner_unlocks(
    store: Path, device: DeviceSecrets, cost: KdfCost
) -> None:
    """Key files made before slots were bound still open, and are upgraded (and sealed) on use."""
    before_the_seal(store, device)
    grant = Vault.grant(store, ADMIN, user="admin", device=device)
    old = KeyFile.read(VaultPaths.of(store).keyfile)
    slot = old.slots_of("passphrase", "member")[0]
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapping = _wrapping_key(MEMBER, salt, cost, device.get(old.store_id), slot.id)
    sealed = AESGCM(wrapping).encrypt(nonce, grant.data_key, old._aad(slot.id))
    b64 = [base64.b64encode(x).decode() for x in (salt, nonce, sealed)]
    v1 = Slot(slot.id, "passphrase", "member", True, cost.n, cost.r, cost.p, *b64)
    old.slots = [v1 if s.id == slot.id else s for s in old.slots]
    old.mac = ""  # as files were before the seal
    old.write(VaultPaths.of(store).keyfile)
    vault = Vault.open(store, MEMBER, user="member", device=device)
    vault.close()
    now = KeyFile.read(VaultPaths.of(store).keyfile)
    assert now.slots_of("passphrase", "member")[0].v == 2 and now.mac
    assert now.sealed_by(grant.data_key)


def test_rekey_shuts_out_the_old_key_file_and_a_removed_user(store: Path, device: DeviceSecrets) -> None:
    paths = VaultPaths.of(store)
    old_keys = paths.keyfile.read_bytes()
    vault = Vault.open(store, ADMIN, user="admin", device=device)
    vault.remove_user_slot("member")
    assert vault.rekey() == 0
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.open(store, MEMBER, user="member", device=device)
    reopened = Vault.open(store, ADMIN, user="admin", device=device)
    assert [r[0] for r in reopened.db.execute("SELECT name FROM people")] == [NAME]
    reopened.close()
    paths.keyfile.write_bytes(old_keys)  # the removed member kept a copy of the old key file
    with pytest.raises(VaultError):
        Vault.open(store, MEMBER, user="member", device=device)


def test_a_rekey_killed_before_the_key_file_is_replaced_finishes_at_the_next_unlock(
    store: Path, device: DeviceSecrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Vault.open(store, ADMIN, user="admin", device=device)
    paths = VaultPaths.of(store)
    replace = vault_module.os.replace

    def dies(src: str, dst: str) -> None:
        if Path(dst) == paths.keyfile and Path(src) == paths.next_keyfile:
            raise KeyboardInterrupt  # the process stops between re-keying the store and the key file
        replace(src, dst)

    monkeypatch.setattr(vault_module.os, "replace", dies)
    with pytest.raises(KeyboardInterrupt):
        vault.rekey()
    monkeypatch.undo()
    vault.db.close()
    vault._lock.release()  # type: ignore[union-attr]
    assert paths.next_keyfile.exists()
    reopened = Vault.open(store, MEMBER, user="member", device=device)
    assert [r[0] for r in reopened.db.execute("SELECT name FROM people")] == [NAME]
    reopened.close()
    assert not paths.next_keyfile.exists()
    again = Vault.open(store, ADMIN, user="admin", device=device)
    again.close()


def test_a_failed_create_leaves_no_lock_file(tmp_path: Path, device: DeviceSecrets, cost: KdfCost) -> None:
    with pytest.raises(VaultError):
        Vault.create(tmp_path / "panel", "admin", "short", device=device, cost=cost)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    Vault.create(tmp_path / "panel", "admin", ADMIN, device=device, cost=cost)[0].close()
    with pytest.raises(StoreExists):
        Vault.create(tmp_path / "panel", "admin", ADMIN, device=device, cost=cost)


@pytest.mark.parametrize("weak", [" " * 10, "a" * 10, "password123", "qwertyuiop", "1234567890"])
def test_a_guessable_passphrase_is_refused_with_a_reason(
    weak: str, tmp_path: Path, device: DeviceSecrets, cost: KdfCost
) -> None:
    with pytest.raises(VaultError, match="too easy to guess"):
        Vault.create(tmp_path / "panel", "admin", weak, device=device, cost=cost)
    assert list(tmp_path.iterdir()) == []  # nothing left behind
    Vault.create(tmp_path / "panel", "admin", "fictional-demo-only", device=device, cost=cost)[0].close()
