"""The vault: create, open, close and re-key an encrypted PPO Panel store.

Files, side by side:  ``NAME.ppo`` (SQLCipher 4 store), ``NAME.ppo.keys`` (key slots),
``NAME.ppo.lock`` (single-writer lock). A failed create or open changes nothing on disk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from filelock import FileLock
from sqlite_utils import Database

from db import backup, connection, migrations, store_files
from db.device import DeviceSecrets
from db.errors import (
    N_,
    FolderNotWritable,
    KeyFileDamaged,
    SlotError,
    StoreDamaged,
    StoreExists,
    StoreReadOnly,
    VaultError,
    WrongPassphrase,
)
from db.keyfile import (
    DATA_KEY_BYTES,
    PASSPHRASE_KIND,
    RECOVERY_KIND,
    SLOT_VERSION,
    KdfCost,
    KeyFile,
    Slot,
    describe,
    kdf_policy,
    new_recovery_key,
    normalise_recovery_key,
)
from db.store_paths import VaultPaths

KEYFILE_SEALED = "keyfile.sealed"  # noted in the store once its key file carries a seal (see _trust_key_file)


@dataclass(frozen=True)
class KeyGrant:
    """An unwrapped data key for one store, not yet connected (safe to hand between threads)."""

    paths: VaultPaths
    keyfile: KeyFile
    data_key: bytes = field(repr=False)
    label: str
    # The key file to write once the lock is held: the slot used made again as version 2, a file
    # sealed for the first time, or a re-key that was interrupted after the store was re-keyed.
    rewrite: KeyFile | None = field(default=None, repr=False)
    recovery: bool = False  # opened by the recovery slot: by its kind, never by a label anyone can take
    finishes_rekey: bool = False  # a re-key stopped part-way (killed) is finished by this opening


class Vault:
    """An open store: a keyed sqlite-utils Database plus what is needed to manage its key slots."""

    def __init__(
        self,
        paths: VaultPaths,
        keyfile: KeyFile,
        data_key: bytes,
        db: Database,
        lock: FileLock | None,
        device: DeviceSecrets,
        unlocked_by: str,
        read_only: str = "",
        *,
        by_recovery_key: bool = False,
    ) -> None:
        self.read_only = read_only  # why the store is open read-only ("" when it is writable)
        self.paths = paths
        self._keyfile = keyfile
        self._data_key = data_key
        self.db = db
        self._lock = lock
        self._device = device
        self.unlocked_by = unlocked_by  # the slot label used, or "recovery"
        self.by_recovery_key = by_recovery_key  # the recovery slot opened it (its kind, not a label)
        self.finished_rekey = False  # this opening finished a re-key that was stopped part-way

    # -- lifecycle -----------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        user: str,
        passphrase: str,
        *,
        device: DeviceSecrets,
        cost: KdfCost | None = None,
    ) -> tuple[Vault, str]:
        """Make a new store with one passphrase slot for ``user`` and a recovery slot.

        Returns the open vault and the recovery key, which is shown once and never stored.
        """
        paths = VaultPaths.of(path)
        cost = cost or kdf_policy().slots
        folder = paths.store.parent
        if paths.store.exists() or paths.keyfile.exists():
            raise StoreExists(
                N_("A store already exists at {store}; choose another name or folder."), store=paths.store
            )
        if not folder.is_dir():
            raise FolderNotWritable(N_("The folder {folder} does not exist."), folder=folder)
        if not os.access(folder, os.W_OK):
            raise FolderNotWritable(
                N_("The folder {folder} cannot be written to; choose another folder."), folder=folder
            )
        lock = store_files.acquire(paths)
        data_key = secrets.token_bytes(DATA_KEY_BYTES)
        keyfile = KeyFile.new(data_key)
        device_secret = device.create(keyfile.store_id)
        recovery = new_recovery_key()
        created: list[Path] = []
        try:
            keyfile.add_slot(PASSPHRASE_KIND, user, passphrase, data_key, device_secret, cost)
            keyfile.add_slot(RECOVERY_KIND, RECOVERY_KIND, recovery, data_key, None, cost)
            keyfile.seal(data_key)
            keyfile.write(paths.keyfile)
            created.append(paths.keyfile)
            created.append(paths.store)
            vault = cls._connect(paths, keyfile, data_key, lock, device, user)
            vault.db.execute("INSERT INTO settings (key, value) VALUES (?, '1')", [KEYFILE_SEALED])
            if os.name == "posix":
                os.chmod(paths.store, 0o600)
            vault.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            keyfile.store_salt = store_files.store_salt(paths)
            keyfile.seal(data_key)
            keyfile.write(paths.keyfile)
        except BaseException as exc:
            for f in created:
                for extra in (f, Path(f"{f}-wal"), Path(f"{f}-shm")):
                    extra.unlink(missing_ok=True)
            device.forget(keyfile.store_id)
            lock.release()
            paths.lock.unlink(missing_ok=True)  # a failed create leaves nothing behind
            if isinstance(exc, OSError):
                raise FolderNotWritable(
                    N_("The store could not be written in {folder}: {strerror}."),
                    folder=folder,
                    strerror=exc.strerror,
                ) from exc
            raise
        return vault, recovery

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        passphrase: str | None = None,
        *,
        user: str | None = None,
        recovery_key: str | None = None,
        device: DeviceSecrets,
    ) -> Vault:
        """Unlock with a user's passphrase (any slot when ``user`` is None) or the recovery key."""
        return cls.open_granted(
            cls.grant(path, passphrase, user=user, recovery_key=recovery_key, device=device), device=device
        )

    @staticmethod
    def grant(
        path: str | os.PathLike[str],
        passphrase: str | None = None,
        *,
        user: str | None = None,
        recovery_key: str | None = None,
        device: DeviceSecrets,
    ) -> KeyGrant:
        """The slow, thread-safe half of opening: check the files and unwrap the data key."""
        paths = VaultPaths.of(path)
        store_files.check_files(paths)
        pending = _pending_rekey(paths, passphrase, user, recovery_key, device)
        if pending is not None:
            return pending
        keyfile = KeyFile.read(paths.keyfile)
        data_key, slot, secret = _unwrap(keyfile, passphrase, user, recovery_key, device)
        if not keyfile.matches(data_key):
            raise KeyFileDamaged(
                N_("The key file {name} does not belong to this store."), name=paths.keyfile.name
            )
        if not keyfile.sealed_by(data_key):
            raise KeyFileDamaged(
                N_(
                    "The key file {name} has been changed outside PPO Panel (its seal does not match), so "
                    "it is not trusted. Restore it from a backup."
                ),
                name=paths.keyfile.name,
            )
        rewrite = None
        if slot.v < SLOT_VERSION or not keyfile.mac:
            rewrite = _copy(keyfile)
            if slot.v < SLOT_VERSION:
                fresh = keyfile.upgraded(slot, secret, data_key, device.get(keyfile.store_id))
                rewrite.slots = [fresh if s.id == slot.id else s for s in rewrite.slots]
            rewrite.seal(data_key)
        return _grant(paths, keyfile, data_key, slot, rewrite)

    @classmethod
    def open_granted(cls, grant: KeyGrant, *, device: DeviceSecrets, quick_check: bool = True) -> Vault:
        """The fast half: take the writer lock and connect, on the thread that will use the store.

        ``quick_check=False`` leaves the whole-file check to ``background_check`` (it reads every
        page: seconds on a large store), so the UI can show the cohort at once."""
        store_files.check_files(grant.paths)
        if grant.keyfile.store_salt and grant.keyfile.store_salt != store_files.store_salt(grant.paths):
            raise KeyFileDamaged(
                N_(
                    "The key file {name} belongs to a different store (or the start of {name2} is "
                    "damaged). Put the matching key file beside the store."
                ),
                name=grant.paths.keyfile.name,
                name2=grant.paths.store.name,
            )
        why = store_files.unwritable(grant.paths)
        if why:
            return cls._connect_read_only(grant, device, why)
        lock = store_files.acquire(grant.paths)
        try:
            store_files.remove_half_written(grant.paths)
            keyfile = grant.rewrite or grant.keyfile
            vault = cls._connect(
                grant.paths, keyfile, grant.data_key, lock, device, grant.label, quick_check, grant.recovery
            )
            try:
                vault._trust_key_file(grant)
                if grant.rewrite is not None:  # written only once the store has vouched for it
                    grant.rewrite.write(grant.paths.keyfile)
            except BaseException:
                vault.close()
                raise
            grant.paths.next_keyfile.unlink(missing_ok=True)  # the key file in use opened the store
            vault.finished_rekey = grant.finishes_rekey
            return vault
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _connect_read_only(cls, grant: KeyGrant, device: DeviceSecrets, why: str) -> Vault:
        """A store nobody can write here (a read-only folder, file or medium) opens for reading only:
        it cannot change underneath us, so no lock is needed and the file is read as immutable."""
        conn = connection.connect_read_only(grant.paths.store, grant.data_key, immutable=True)
        db = Database(conn)
        try:
            if migrations.schema_version(db) < migrations.latest_version():
                raise StoreReadOnly(
                    N_(
                        "{name} was made by an older PPO Panel and must be updated once where it can be "
                        "written, but {why}. Copy it (with its key file) to a writable folder."
                    ),
                    name=grant.paths.store.name,
                    why=why,
                )
        except BaseException:
            conn.close()
            raise
        vault = cls(grant.paths, grant.keyfile, grant.data_key, db, None, device, grant.label, why,
                    by_recovery_key=grant.recovery)  # fmt: skip
        try:
            vault._trust_key_file(grant)
        except BaseException:
            vault.close()
            raise
        return vault

    def _trust_key_file(self, grant: KeyGrant) -> None:
        """A key file without its seal passes only for a store that has never had a sealed one (made
        before the seal): the store itself notes, inside the encryption, that its key file is sealed, so
        stripping the ``mac`` field from the file is an edit like any other."""
        noted = self.db.execute("SELECT 1 FROM settings WHERE key = ?", [KEYFILE_SEALED]).fetchone()
        if not grant.keyfile.mac and noted:
            raise KeyFileDamaged(
                N_(
                    "The key file {name} has lost its seal (changed outside PPO Panel), so it is not "
                    "trusted. Restore it from a backup."
                ),
                name=grant.paths.keyfile.name,
            )
        if not noted and not self.read_only:
            with self.transaction() as db:
                db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, '1')", [KEYFILE_SEALED])

    @classmethod
    def _connect(
        cls,
        paths: VaultPaths,
        keyfile: KeyFile,
        data_key: bytes,
        lock: FileLock,
        device: DeviceSecrets,
        label: str,
        quick_check: bool = True,
        by_recovery_key: bool = False,
    ) -> Vault:
        conn = connection.connect(paths.store, data_key)
        try:
            problems = connection.quick_check(conn) if quick_check else []
            if problems:
                raise StoreDamaged(
                    N_("The store {name} failed its quick check: {value}"),
                    name=paths.store.name,
                    value=problems[0],
                )
            db = Database(conn)
            migrations.apply(db)
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise StoreDamaged(
                N_("The store {name} is damaged ({exc}); restore it from a backup."),
                name=paths.store.name,
                exc=exc,
            ) from exc
        except BaseException:
            conn.close()
            raise
        return cls(paths, keyfile, data_key, db, lock, device, label, by_recovery_key=by_recovery_key)

    @property
    def is_open(self) -> bool:
        return bool(self._data_key)

    def close(self, *, checkpoint: bool = True) -> None:
        """Checkpoint the WAL into the store, close it and forget the key. (A worker's copy does not
        checkpoint: the window's connection is still reading.)"""
        if checkpoint and not self.read_only:
            with contextlib.suppress(sqlcipher3.Error):
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
        self._data_key = b""
        if self._lock is not None:
            self._lock.release()

    # -- transactions and derived keys ---------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic change. A full disk, a read-only store or a failing disk rolls it back and is
        reported as such (StoreFull, StoreReadOnly, StoreIOError), never as a bare SQLite error."""
        if self.read_only:
            raise StoreReadOnly(
                N_("This store is open read-only ({read_only}); nothing can be saved."),
                read_only=self.read_only,
            )
        try:
            with self.db.atomic() as db:
                yield db
        except sqlcipher3.OperationalError as exc:
            raise store_files.write_error(exc) from exc

    def derive_key(self, purpose: str) -> bytes:
        """A key for ``purpose`` (e.g. the audit chain), never the data key itself. Derived from the
        store's first data key, kept inside the encrypted store at the first re-key, so the audit
        chain and the seals made before a re-key still verify after it."""
        root = self._derive_root()
        return hmac.new(root, f"ppo-panel derive|{purpose}".encode(), hashlib.sha256).digest()

    def _derive_root(self) -> bytes:
        row = self.db.execute("SELECT value FROM settings WHERE key = 'derive_root'").fetchone()
        return bytes.fromhex(row[0]) if row else self._data_key

    @property
    def store_id(self) -> str:
        return self._keyfile.store_id

    @property
    def key_generation(self) -> int:
        """1 for the data key the store was made with, one more after each re-key."""
        return self._keyfile.generation

    @property
    def device_bound(self) -> bool:
        return any(s.device_bound for s in self._keyfile.slots_of(PASSPHRASE_KIND))

    def background_check(
        self, extra: Callable[[sqlcipher3.Connection], list[str]] | None = None
    ) -> Callable[[], list[str]]:
        """A job for a worker thread: quick_check (and ``extra``, e.g. the audit chain) on its own
        read-only connection (connections are per thread); returns the problems found, if any."""
        paths, key = self.paths, bytes(self._data_key)

        def job() -> list[str]:
            try:
                conn = connection.connect_read_only(paths.store, key)
            except StoreDamaged as exc:
                return [str(exc)]
            try:
                problems = connection.quick_check(conn)
                return problems if problems or extra is None else extra(conn)
            except sqlcipher3.DatabaseError as exc:  # a page that fails its HMAC stops the check
                return [f"{exc} — the store is damaged"]
            finally:
                conn.close()

        return job

    def for_worker(self) -> Callable[[], Vault]:
        """How a worker thread opens this store for long work of its own (a merge, an import): a
        writable connection of its own (connections are per thread), called on the worker. The
        copy holds no lock (this one does) and never moves the anchor (this thread does, after)."""
        if self.read_only:
            raise StoreReadOnly(
                N_("This store is open read-only ({read_only}); nothing can be saved."),
                read_only=self.read_only,
            )
        paths, keyfile, key, device = self.paths, self._keyfile, bytes(self._data_key), self._device
        label, recovery = self.unlocked_by, self.by_recovery_key

        def open_on_worker() -> Vault:
            conn = connection.connect(paths.store, key)
            return Vault(paths, keyfile, key, Database(conn), None, device, label, by_recovery_key=recovery)

        return open_on_worker

    def backup_job(
        self,
        folder: Path,
        now: dt.datetime,
        anchor_of: Callable[[sqlcipher3.Connection], dict[str, Any]] | None = None,
        heard: backup.Heard | None = None,
    ) -> Callable[[], backup.BackupInfo]:
        """The backup as a job for a worker thread: its own read-only connection checks the store
        (integrity and cipher integrity) and copies one committed snapshot of it, while this
        connection goes on writing. ``heard`` hears each stage, and may stop the job by raising
        (inside the check too); nothing is left in ``folder`` then."""
        paths, key, store_id = self.paths, bytes(self._data_key), self.store_id
        stage = "Checking the store"

        def job() -> backup.BackupInfo:
            conn = connection.connect_read_only(paths.store, key)
            try:
                if heard is not None:
                    heard(stage, 0, 0)
                with connection.stoppable(conn, heard and (lambda: heard(stage, 0, 0))):
                    problems = connection.integrity_check(conn)
                if problems:
                    raise backup.BackupError(
                        N_("The store fails its check, so no backup was made: {value}"), value=problems[0]
                    )
                return backup.write_backup(conn, paths, key, store_id, folder, now, anchor_of, heard)
            finally:
                conn.close()

        return job

    def check_copy(
        self,
        store: Path,
        extra: Callable[[sqlcipher3.Connection], list[str]] | None = None,
        ask: Callable[[], None] | None = None,
    ) -> list[str]:
        """Open a copy (a restored backup) with this store's key and run the full checks on it
        (``ask`` may stop them by raising: see ``connection.stoppable``)."""
        conn = connection.connect_read_only(store, self._data_key)
        try:
            with connection.stoppable(conn, ask):
                problems = connection.integrity_check(conn)
                return problems if problems or extra is None else extra(conn)
        finally:
            conn.close()

    @property
    def anchor(self) -> dict[str, Any]:
        return dict(self._keyfile.anchor)

    def set_anchor(self, anchor: dict[str, Any]) -> None:
        """Record where the audit log ended: in the (sealed) key file, and a copy in the OS keyring
        where there is one (outside the store's folder)."""
        if anchor != self._keyfile.anchor:
            self._replace_keyfile(
                dataclasses.replace(self._keyfile, slots=list(self._keyfile.slots), anchor=dict(anchor))
            )
        if anchor and anchor != self.external_anchor:
            self._device.set_note(self.store_id, self._anchor_note, json.dumps(anchor, sort_keys=True))

    @property
    def _anchor_note(self) -> str:
        """The keyring's note for this store *file*: named by the file's own SQLCipher salt, so a
        copy restored from a backup (a new file, with a salt of its own) has a note of its own — it
        is not read as the live store cut short, and acknowledging it never touches the live store's
        — while an earlier copy of the very file put back (the same salt) is still caught."""
        try:
            return f"anchor:{store_files.store_salt(self.paths)}"
        except OSError:
            return "anchor"

    @property
    def external_anchor(self) -> dict[str, Any]:
        """The keyring's copy of where the audit log ended ({} where there is no keyring copy)."""
        text = self._device.get_note(self.store_id, self._anchor_note)
        try:
            value = json.loads(text) if text else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def integrity_check(self) -> list[str]:
        return connection.integrity_check(self.db.conn)

    def schema_version(self) -> int:
        return migrations.schema_version(self.db)

    # -- key slots -----------------------------------------------------------------------
    def slots(self) -> list[dict[str, Any]]:
        return [describe(s) for s in self._keyfile.slots]

    def add_user_slot(self, user: str, passphrase: str, cost: KdfCost | None = None) -> None:
        fresh = _copy(self._keyfile)
        cost = cost or kdf_policy().slots
        fresh.add_slot(PASSPHRASE_KIND, user, passphrase, self._data_key, self._device_secret(), cost)
        self._replace_keyfile(fresh)

    def remove_user_slot(self, user: str) -> None:
        fresh = _copy(self._keyfile)
        before = len(fresh.slots)
        fresh.slots = [s for s in fresh.slots if not (s.kind == PASSPHRASE_KIND and s.label == user)]
        if len(fresh.slots) == before:
            raise SlotError(N_("User {user!r} has no key slot."), user=user)
        if not fresh.slots_of(PASSPHRASE_KIND):
            raise SlotError(N_("The last passphrase slot cannot be removed."))
        self._replace_keyfile(fresh)

    def change_passphrase(self, user: str, old: str, new: str, cost: KdfCost | None = None) -> None:
        """Re-wrap ``user``'s slot; the old passphrase must still open it. The store is not touched."""
        slots = self._keyfile.slots_of(PASSPHRASE_KIND, user)
        if not slots:
            raise SlotError(N_("User {user!r} has no key slot."), user=user)
        self._keyfile.unwrap(slots[0], old, self._device.get(self.store_id))
        self.replace_passphrase(user, new, cost)

    def replace_passphrase(self, user: str, new: str, cost: KdfCost | None = None) -> None:
        """Set ``user``'s passphrase without the old one (after a recovery-key unlock, or by an admin)."""
        fresh = _copy(self._keyfile)
        fresh.slots = [s for s in fresh.slots if not (s.kind == PASSPHRASE_KIND and s.label == user)]
        cost = cost or kdf_policy().slots
        fresh.add_slot(PASSPHRASE_KIND, user, new, self._data_key, self._device_secret(), cost)
        self._replace_keyfile(fresh)

    def rekey(self, users: Collection[str] | None = None) -> int:
        """A new data key for the store: the store re-encrypted with it (PRAGMA rekey) and every
        remaining slot sealed to it, so an old key file — and a removed user's passphrase — opens
        nothing any more. Returns how many slots were left out (version-1 slots, re-enrolled later;
        with ``users``, every passphrase slot that is not one of theirs).

        Crash-safe: the new key file is written beside the old one first; if the process dies after
        the store is re-keyed but before the new key file replaces the old, the next unlock finds
        the new one and finishes the change."""
        if self.read_only:
            raise StoreReadOnly(
                N_("This store is open read-only ({read_only}); it cannot be re-keyed."),
                read_only=self.read_only,
            )
        new_key = secrets.token_bytes(DATA_KEY_BYTES)
        fresh = self._keyfile.rekeyed(new_key, users)
        left_out = len(self._keyfile.slots) - len(fresh.slots)
        if not fresh.slots_of(PASSPHRASE_KIND):
            raise SlotError(N_("No slot could be re-keyed; unlock with each user's passphrase once first."))
        root = self._derive_root()
        fresh.write(self.paths.next_keyfile)
        try:
            with self.db.atomic():
                self.db.execute(
                    "INSERT OR IGNORE INTO settings (key, value) VALUES ('derive_root', ?)", [root.hex()]
                )
            self.db.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException:
            self.paths.next_keyfile.unlink(missing_ok=True)
            raise
        os.replace(self.paths.next_keyfile, self.paths.keyfile)
        self._keyfile, self._data_key = fresh, new_key
        return left_out

    def _device_secret(self) -> bytes | None:
        return self._device.get(self.store_id) or self._device.create(self.store_id)

    def _replace_keyfile(self, fresh: KeyFile) -> None:
        fresh.seal(self._data_key)
        fresh.write(self.paths.keyfile)
        self._keyfile = fresh


def _copy(keyfile: KeyFile) -> KeyFile:
    return dataclasses.replace(keyfile, slots=list(keyfile.slots))


def _unwrap(
    keyfile: KeyFile,
    passphrase: str | None,
    user: str | None,
    recovery_key: str | None,
    device: DeviceSecrets,
) -> tuple[bytes, Slot, str]:
    """(data key, the slot that opened it, the secret that did)."""
    if recovery_key is not None:
        normalised = normalise_recovery_key(recovery_key)
        for slot in keyfile.slots_of(RECOVERY_KIND):
            return keyfile.unwrap(slot, normalised, None), slot, normalised
        raise SlotError(N_("This store has no recovery key slot."))
    if passphrase is None:
        raise VaultError(N_("Enter a passphrase or the recovery key."))
    candidates = keyfile.slots_of(PASSPHRASE_KIND, user)
    if not candidates:
        raise WrongPassphrase(
            f"There is no user {user!r} in this store." if user else "This store has no users."
        )
    device_secret = device.get(keyfile.store_id)
    last: VaultError | None = None
    for slot in candidates:
        try:
            return keyfile.unwrap(slot, passphrase, device_secret), slot, passphrase
        except VaultError as exc:
            last = exc
    assert last is not None
    raise last


def _pending_rekey(
    paths: VaultPaths,
    passphrase: str | None,
    user: str | None,
    recovery_key: str | None,
    device: DeviceSecrets,
) -> KeyGrant | None:
    """A re-key interrupted after the store was re-keyed: the waiting key file opens it. Returns the
    grant that finishes the change, or None (no re-key pending, or it never reached the store)."""
    if not paths.next_keyfile.exists():
        return None
    try:
        waiting = KeyFile.read(paths.next_keyfile)
        data_key, slot, _secret = _unwrap(waiting, passphrase, user, recovery_key, device)
        conn = connection.connect_read_only(paths.store, data_key)
        conn.close()
    except (VaultError, OSError, sqlcipher3.Error):
        return None  # the store still has the old key: the old key file stands
    if not waiting.matches(data_key) or not waiting.sealed_by(data_key):
        return None
    return dataclasses.replace(_grant(paths, waiting, data_key, slot, waiting), finishes_rekey=True)


def _grant(
    paths: VaultPaths, keyfile: KeyFile, data_key: bytes, slot: Slot, rewrite: KeyFile | None
) -> KeyGrant:
    recovery = slot.kind == RECOVERY_KIND
    return KeyGrant(paths, keyfile, data_key, RECOVERY_KIND if recovery else slot.label, rewrite, recovery)
