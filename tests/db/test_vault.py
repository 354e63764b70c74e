"""The vault: round trips, key slots, device secrets and every refusal leaving the disk unchanged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import filelock
import pytest

from db.device import DeviceSecrets, is_trusted
from db.errors import (
    DeviceSecretUnavailable,
    FolderNotWritable,
    KeyFileDamaged,
    KeyFileMissing,
    SlotError,
    StoreDamaged,
    StoreExists,
    StoreLocked,
    StoreMissing,
    WrongPassphrase,
)
from db.keyfile import KdfCost
from db.vault import Vault, VaultPaths

pytestmark = pytest.mark.dateless  # nothing here depends on the day: left out of CI's moved-clock pass

PASS = "correct horse battery"
SECRET_NAME = "Zebedee Quillfeather-Testperson"


@pytest.fixture
def store(tmp_path: Path, device: DeviceSecrets, cost: KdfCost) -> Iterator[tuple[Path, str]]:
    vault, recovery = Vault.create(tmp_path / "panel", "admin", PASS, device=device, cost=cost)
    with vault.transaction() as db:
        db.execute("CREATE TABLE people (name TEXT)")
        db.execute("INSERT INTO people VALUES (?)", [SECRET_NAME])
    vault.close()
    yield tmp_path / "panel.ppo", recovery


def digest(*paths: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


def files(store_path: Path) -> list[Path]:
    p = VaultPaths.of(store_path)
    return [p.store, p.keyfile, Path(f"{p.store}-wal")]


def names(vault: Vault) -> list[str]:
    return [r[0] for r in vault.db.execute("SELECT name FROM people")]


def test_round_trip(store: tuple[Path, str], device: DeviceSecrets) -> None:
    path, _ = store
    vault = Vault.open(path, PASS, device=device)
    try:
        assert names(vault) == [SECRET_NAME]
        assert vault.integrity_check() == []
        assert vault.unlocked_by == "admin"
    finally:
        vault.close()


def test_no_plaintext_on_disk(store: tuple[Path, str]) -> None:
    path, _ = store
    for f in files(path):
        if f.exists():
            assert SECRET_NAME.encode() not in f.read_bytes()
            assert b"people" not in f.read_bytes()
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"


def test_wrong_passphrase_is_refused_and_changes_nothing(
    store: tuple[Path, str], device: DeviceSecrets
) -> None:
    path, _ = store
    before = digest(*files(path))
    with pytest.raises(WrongPassphrase, match="passphrase does not open this store"):
        Vault.open(path, "not the passphrase", device=device)
    assert digest(*files(path)) == before


def test_recovery_key_opens_and_is_forgiving_about_format(
    store: tuple[Path, str], device: DeviceSecrets
) -> None:
    path, recovery = store
    vault = Vault.open(path, recovery_key=recovery.lower().replace("-", " "), device=device)
    assert vault.unlocked_by == "recovery"
    assert names(vault) == [SECRET_NAME]
    vault.close()
    with pytest.raises(WrongPassphrase, match="recovery key"):
        Vault.open(path, recovery_key="AAAA-" + recovery[5:], device=device)


def test_change_passphrase(store: tuple[Path, str], device: DeviceSecrets, cost: KdfCost) -> None:
    path, _ = store
    vault = Vault.open(path, PASS, device=device)
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("admin", "wrong old passphrase", "new passphrase 123", cost)
    store_before = digest(path)
    vault.change_passphrase("admin", PASS, "new passphrase 123", cost)
    assert digest(path) == store_before  # a slot is rewritten, never the store
    assert json.loads(VaultPaths.of(path).keyfile.read_text())["store_salt"] == path.read_bytes()[:16].hex()
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.open(path, PASS, device=device)
    vault = Vault.open(path, "new passphrase 123", device=device)
    assert names(vault) == [SECRET_NAME]
    vault.close()


def test_added_and_removed_slots(store: tuple[Path, str], device: DeviceSecrets, cost: KdfCost) -> None:
    path, _ = store
    vault = Vault.open(path, PASS, device=device)
    vault.add_user_slot("chair", "chair passphrase 1", cost)
    with pytest.raises(SlotError, match="already has a key slot"):
        vault.add_user_slot("chair", "another passphrase", cost)
    vault.close()
    vault = Vault.open(path, "chair passphrase 1", user="chair", device=device)
    assert vault.unlocked_by == "chair"
    vault.remove_user_slot("chair")
    kinds = sorted((s["kind"], s["label"]) for s in vault.slots())
    assert kinds == [("passphrase", "admin"), ("recovery", "recovery")]
    with pytest.raises(SlotError, match="last passphrase slot"):
        vault.remove_user_slot("admin")
    vault.close()
    with pytest.raises(WrongPassphrase, match="no user 'chair'"):
        Vault.open(path, "chair passphrase 1", user="chair", device=device)


def test_short_passphrase_refused(tmp_path: Path, device: DeviceSecrets, cost: KdfCost) -> None:
    with pytest.raises(SlotError, match="at least 10 characters"):
        Vault.create(tmp_path / "p", "admin", "short", device=device, cost=cost)
    assert list(tmp_path.glob("p.ppo*")) in ([], [tmp_path / "p.ppo.lock"])
    assert not (tmp_path / "p.ppo").exists()


def test_device_secret_binds_store_to_this_keyring(
    store: tuple[Path, str], memory_keyring: object, device: DeviceSecrets
) -> None:
    path, recovery = store
    elsewhere = DeviceSecrets(None, "another computer")
    with pytest.raises(DeviceSecretUnavailable, match="recovery key"):
        Vault.open(path, PASS, device=elsewhere)
    # The recovery key still works elsewhere, and re-enrols the passphrase for that machine.
    vault = Vault.open(path, recovery_key=recovery, device=elsewhere)
    vault.replace_passphrase("admin", PASS, KdfCost(n=2**10))
    vault.close()
    vault = Vault.open(path, PASS, device=elsewhere)
    assert names(vault) == [SECRET_NAME]
    vault.close()


def test_passphrase_only_when_no_keyring(tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost) -> None:
    vault, _ = Vault.create(tmp_path / "p", "admin", PASS, device=no_device, cost=cost)
    assert not vault.device_bound
    vault.close()
    slots = json.loads((tmp_path / "p.ppo.keys").read_text())["slots"]
    assert [s["device_bound"] for s in slots] == [False, False]


@pytest.mark.parametrize("module", ["keyring.backends.fail", "keyring.backends.null", "keyrings.alt.file"])
def test_untrusted_keyrings_refused(module: str) -> None:
    fake = type("Keyring", (), {"__module__": module})()
    assert not is_trusted(fake)


def test_a_keyring_that_calls_itself_trusted_is_not() -> None:
    """Production code once trusted any backend carrying a test flag: a plaintext keyring package
    could declare it. The policy is told what stands in for an OS keyring; an object cannot say so."""
    fake = type("Keyring", (), {"__module__": "keyrings.alt.file", "ppo_trusted_test_backend": True})()
    assert not is_trusted(fake)


def test_real_os_keyrings_trusted() -> None:
    fake = type("Keyring", (), {"__module__": "keyring.backends.SecretService"})()
    assert is_trusted(fake)


def test_second_instance_refused(store: tuple[Path, str], device: DeviceSecrets) -> None:
    path, _ = store
    first = Vault.open(path, PASS, device=device)
    try:
        with pytest.raises(StoreLocked, match="already open"):
            Vault.open(path, PASS, device=device)
    finally:
        first.close()
    Vault.open(path, PASS, device=device).close()  # released on close


def test_missing_key_file(store: tuple[Path, str], device: DeviceSecrets) -> None:
    path, _ = store
    VaultPaths.of(path).keyfile.unlink()
    before = digest(path)
    with pytest.raises(KeyFileMissing, match="key file panel.ppo.keys is missing"):
        Vault.open(path, PASS, device=device)
    assert digest(path) == before


def test_damaged_key_file(store: tuple[Path, str], device: DeviceSecrets) -> None:
    path, _ = store
    VaultPaths.of(path).keyfile.write_text("{not json")
    with pytest.raises(KeyFileDamaged, match="damaged"):
        Vault.open(path, PASS, device=device)


def test_key_file_from_another_store(
    store: tuple[Path, str], tmp_path: Path, device: DeviceSecrets, cost: KdfCost
) -> None:
    path, _ = store
    other, _ = Vault.create(tmp_path / "other", "admin", PASS, device=device, cost=cost)
    other.close()
    VaultPaths.of(path).keyfile.write_bytes((tmp_path / "other.ppo.keys").read_bytes())
    with pytest.raises(KeyFileDamaged, match="belongs to a different store"):
        Vault.open(path, PASS, device=device)


def test_damaged_store_told_apart_from_wrong_key(store: tuple[Path, str], device: DeviceSecrets) -> None:
    path, _ = store
    data = bytearray(path.read_bytes())
    data[100:200] = bytes(100)  # page 1 damaged
    path.write_bytes(bytes(data))
    before = digest(*files(path))
    with pytest.raises(StoreDamaged, match="damaged"):
        Vault.open(path, PASS, device=device)
    assert digest(*files(path)) == before
    with pytest.raises(WrongPassphrase):
        Vault.open(path, "still the wrong one", device=device)


def test_empty_store_refused_not_recreated(store: tuple[Path, str], device: DeviceSecrets) -> None:
    path, _ = store
    path.write_bytes(b"")
    with pytest.raises(StoreDamaged, match="empty"):
        Vault.open(path, PASS, device=device)
    assert path.stat().st_size == 0


def test_missing_store(tmp_path: Path, device: DeviceSecrets) -> None:
    with pytest.raises(StoreMissing, match="no store at"):
        Vault.open(tmp_path / "nothing.ppo", PASS, device=device)
    assert list(tmp_path.iterdir()) == []


def test_create_refuses_existing_store(store: tuple[Path, str], device: DeviceSecrets, cost: KdfCost) -> None:
    path, _ = store
    before = digest(*files(path))
    with pytest.raises(StoreExists):
        Vault.create(path, "admin", PASS, device=device, cost=cost)
    assert digest(*files(path)) == before


def test_create_in_missing_folder(tmp_path: Path, device: DeviceSecrets, cost: KdfCost) -> None:
    with pytest.raises(FolderNotWritable, match="does not exist"):
        Vault.create(tmp_path / "no" / "such" / "p", "admin", PASS, device=device, cost=cost)


def test_unwritable_folder_named(
    store: tuple[Path, str], device: DeviceSecrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock file is the first write; a permission error there is reported as the folder's."""
    path, _ = store

    def refuse(self: filelock.FileLock, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    with pytest.raises(FolderNotWritable, match="cannot be written to"):
        Vault.open(path, PASS, device=device)


def test_migrations_from_empty_store(tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost) -> None:
    vault, _ = Vault.create(tmp_path / "p", "admin", PASS, device=no_device, cost=cost)
    version = vault.schema_version()
    tables = set(vault.db.table_names())
    vault.close()
    assert version >= 2
    assert {"nominals", "memberships", "nominations", "actions", "audit", "score_sheets"} <= tables
    vault = Vault.open(tmp_path / "p.ppo", PASS, device=no_device)
    assert vault.schema_version() == version  # nothing re-applied
    vault.close()


def test_connection_profile_applied(store: tuple[Path, str], device: DeviceSecrets) -> None:
    path, _ = store
    vault = Vault.open(path, PASS, device=device)
    try:
        pragma = {
            name: vault.db.execute(f"PRAGMA {name}").fetchone()[0]
            for name in (
                "journal_mode",
                "synchronous",
                "foreign_keys",
                "secure_delete",
                "temp_store",
                "cipher_page_size",
                "cipher_hmac_algorithm",
            )
        }
    finally:
        vault.close()
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "secure_delete": 1,
        "temp_store": 2,
        "cipher_page_size": "4096",
        "cipher_hmac_algorithm": "HMAC_SHA512",
    }


def test_background_check_on_its_own_connection(store: tuple[Path, str], device: DeviceSecrets) -> None:
    import threading

    path, _ = store
    vault = Vault.open(path, PASS, device=device)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(vault.background_check()()))
    worker.start()
    worker.join()
    vault.close()
    assert result == [[]]


def test_background_check_reports_a_damaged_page(
    tmp_path: Path, device: DeviceSecrets, cost: KdfCost
) -> None:
    vault, _ = Vault.create(tmp_path / "big", "admin", PASS, device=device, cost=cost)
    with vault.transaction() as db:
        db.execute("CREATE TABLE filler (x TEXT)")
        db.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(400)])
    vault.close()
    path = tmp_path / "big.ppo"
    data = bytearray(path.read_bytes())
    data[4096 * 5 + 100 : 4096 * 5 + 200] = bytes(100)  # a page in the middle, not page 1
    path.write_bytes(bytes(data))
    grant = Vault.grant(path, PASS, device=device)
    vault = Vault.open_granted(grant, device=device, quick_check=False)  # opens: page 1 is fine
    try:
        problems = vault.background_check()()
    finally:
        vault.close()
    assert problems and "malformed" in problems[0]
    with pytest.raises(StoreDamaged):
        Vault.open(path, PASS, device=device)  # the full open checks at once and refuses


def test_a_hanging_keyring_does_not_hang_the_unlock(tmp_path: Path, cost: KdfCost) -> None:
    import threading

    release = threading.Event()

    class HangingKeyring:
        def get_password(self, service: str, username: str) -> str | None:
            release.wait(30)  # a wallet waiting on a prompt nobody sees
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            release.wait(30)

    device = DeviceSecrets(HangingKeyring(), timeout=0.2)
    vault, recovery = Vault.create(tmp_path / "h", "admin", PASS, device=device, cost=cost)
    assert not vault.device_bound and "did not answer within 0.2 s" in device.reason
    vault.close()
    reopened = Vault.open(tmp_path / "h.ppo", PASS, device=device)  # passphrase-only: still opens
    reopened.close()
    release.set()


def test_a_locked_keyring_falls_back_to_the_recovery_key(
    store: tuple[Path, str], memory_keyring: object, device: DeviceSecrets
) -> None:
    from keyring.errors import KeyringLocked

    class LockedKeyring:
        def get_password(self, service: str, username: str) -> str | None:
            raise KeyringLocked("the login keyring is locked")

    path, recovery = store
    locked = DeviceSecrets(LockedKeyring())
    before = digest(*files(path))
    with pytest.raises(DeviceSecretUnavailable, match="recovery key"):
        Vault.open(path, PASS, device=locked)
    assert "locked" in locked.reason and digest(*files(path)) == before
    vault = Vault.open(path, recovery_key=recovery, device=locked)
    assert names(vault) == [SECRET_NAME]
    vault.close()


def test_a_plaintext_only_keyring_is_never_written(
    tmp_path: Path, cost: KdfCost, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring

    from db.device import system_device_secrets

    writes: list[str] = []

    class PlaintextKeyring:  # what keyrings.alt's file backend looks like to the policy
        def set_password(self, service: str, username: str, password: str) -> None:
            writes.append(username)

        def get_password(self, service: str, username: str) -> str | None:
            return None

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    monkeypatch.setattr(keyring, "get_keyring", lambda: PlaintextKeyring())
    device = system_device_secrets()
    assert not device.available and "No trusted OS keyring" in device.reason
    vault, _ = Vault.create(tmp_path / "plain", "admin", PASS, device=device, cost=cost)
    assert not vault.device_bound
    vault.close()
    assert writes == []  # refused, and never written to
