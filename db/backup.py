"""Encrypted backups: a consistent copy of the store (SQLite's online backup, so writing may go on)
plus the key file, in one zip with a manifest of checksums. The copy is as encrypted as the store:
opening it needs a passphrase or the recovery key, like the original."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from db import connection, zip_limits
from db.errors import N_, StoreDamaged, StoreExists, VaultError
from db.keyfile import KeyFile
from db.store_paths import VaultPaths

SUFFIX = ".ppo-backup"
PLAINTEXT_HEADER = b"SQLite format 3\x00"


class BackupError(VaultError):
    pass


Heard = Callable[[str, int, int], None]  # a stage, how far, of how much (0: not known); may raise to stop


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    store_id: str
    created_at: str
    bytes: int


def write_backup(
    conn: sqlcipher3.Connection,
    paths: VaultPaths,
    data_key: bytes,
    store_id: str,
    folder: Path,
    now: dt.datetime,
    anchor_of: Callable[[sqlcipher3.Connection], dict[str, Any]] | None = None,
    heard: Heard | None = None,
) -> BackupInfo:
    """Copy the open store into ``folder`` as one encrypted bundle; never a plaintext copy.
    ``anchor_of`` reads the copy's own anchor (where its audit log ends): the bundled key file
    records that, not the live store's (which may have moved on while the copy was made).
    ``heard`` hears each stage and may stop the backup by raising: nothing is left of it then.
    (The copy itself is one step: a copy in steps starts again whenever the store is written, and
    the coordinator goes on working during a backup.)"""
    heard = heard or (lambda _stage, _done, _total: None)
    if not folder.is_dir():
        raise BackupError(N_("The backup folder {folder} does not exist."), folder=folder)
    target = folder / f"{paths.store.stem}-{now:%Y%m%d-%H%M%S}{SUFFIX}"
    if target.exists() or target.is_symlink():
        raise StoreExists(N_("A backup named {name} is already there."), name=target.name)
    with tempfile.TemporaryDirectory(prefix=".ppo-backup-", dir=folder) as tmp:
        copy = Path(tmp) / "store.ppo"
        heard("Copying the store", 0, 0)
        dest = connection.connect(copy, data_key)  # keyed: the copy is encrypted page by page
        try:
            conn.backup(dest)
            dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            dest.execute("PRAGMA journal_mode = DELETE")
            anchor = anchor_of(dest) if anchor_of is not None else None
        finally:
            dest.close()
        heard("Writing the backup", 0, 0)
        store_bytes = copy.read_bytes()
        if store_bytes.startswith(PLAINTEXT_HEADER):
            raise BackupError(N_("Refused: the copy is not encrypted."))
        # The copy has its own SQLCipher salt (its first 16 bytes): the bundled key file names it.
        keys = KeyFile.read(paths.keyfile)
        keys.store_salt = store_bytes[:16].hex()
        if anchor is not None:
            keys.anchor = anchor
        keys.seal(data_key)
        keyfile_bytes = keys.text().encode("utf-8")
        manifest = {
            "format": "ppo-panel-backup/1",
            "store_id": store_id,
            "created_at": now.isoformat(timespec="seconds"),
            "store_sha256": hashlib.sha256(store_bytes).hexdigest(),
            "keys_sha256": hashlib.sha256(keyfile_bytes).hexdigest(),
            "key_generation": keys.generation,  # a later re-key does not reach this copy
        }
        partial = Path(tmp) / "bundle.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as bundle:
            bundle.writestr("manifest.json", json.dumps(manifest, indent=1))
            bundle.writestr("store.ppo", store_bytes)
            bundle.writestr("store.ppo.keys", keyfile_bytes)
        if os.name == "posix":
            os.chmod(partial, 0o600)  # encrypted, and still nobody else's to read
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    return BackupInfo(target, store_id, str(manifest["created_at"]), target.stat().st_size)


BUNDLE_PARTS = frozenset({"manifest.json", "store.ppo", "store.ppo.keys"})
MAX_MANIFEST = 64 * 1024


def read_manifest(bundle: Path) -> dict[str, str]:
    """The bundle's manifest, once its parts are checked: exactly the three the app writes, stored as
    they are (so the bundle's own size bounds what it unpacks to: a deflated bomb is refused before
    anything is read), hashed as they stream (never held whole in memory)."""
    try:
        members = zip_limits.check(bundle, max_total=bundle.stat().st_size, max_ratio=1.0, max_members=3,
                                   stored_only=True)  # fmt: skip
    except (OSError, zip_limits.ZipRefused) as exc:
        raise BackupError(
            N_("{name} is not a readable PPO Panel backup ({exc})."), name=bundle.name, exc=exc
        ) from None
    if {m.filename for m in members} != BUNDLE_PARTS:
        raise BackupError(
            N_("{name} is not a PPO Panel backup (its parts are not the app's)."), name=bundle.name
        )
    try:
        with zipfile.ZipFile(bundle) as z:
            if z.getinfo("manifest.json").file_size > MAX_MANIFEST:
                raise BackupError(
                    N_("{name} is not a PPO Panel backup (its manifest is too large)."), name=bundle.name
                )
            manifest = json.loads(z.read("manifest.json"))
            digests = {name: _sha256(z, name) for name in ("store.ppo", "store.ppo.keys")}
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise BackupError(
            N_("{name} is not a readable PPO Panel backup ({exc})."), name=bundle.name, exc=exc
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != "ppo-panel-backup/1":
        raise BackupError(N_("{name} is not a PPO Panel backup."), name=bundle.name)
    if digests["store.ppo"] != manifest.get("store_sha256") or digests["store.ppo.keys"] != manifest.get(
        "keys_sha256"
    ):
        raise BackupError(N_("{name} is damaged: its checksums do not match."), name=bundle.name)
    return dict(manifest)


def _sha256(z: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with z.open(name) as part:
        for chunk in iter(lambda: part.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract(bundle: Path, store: Path) -> VaultPaths:
    """Unpack a verified bundle as a new store at ``store`` (never over an existing one)."""
    read_manifest(bundle)
    paths = VaultPaths.of(store)
    if paths.store.exists() or paths.keyfile.exists():
        raise StoreExists(
            N_("A store already exists at {store}; restore into a new location."), store=paths.store
        )
    if not paths.store.parent.is_dir():
        raise BackupError(N_("The folder {parent} does not exist."), parent=paths.store.parent)
    with zipfile.ZipFile(bundle) as z:  # streamed: a large store is never held whole in memory
        for name, target in (("store.ppo", paths.store), ("store.ppo.keys", paths.keyfile)):
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private from the start
            with z.open(name) as part, os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(part, out, 1 << 20)
    if os.name == "posix":
        os.chmod(paths.store, 0o600)
        os.chmod(paths.keyfile, 0o600)
    if paths.store.read_bytes()[:16] == PLAINTEXT_HEADER:
        raise StoreDamaged(N_("Refused: the backup holds a plaintext store."))
    return paths
