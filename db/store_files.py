"""The store's files as the vault finds them: present and whole, writable or not, locked by one
process at a time, and what a failed write means in words a coordinator can act on."""

from __future__ import annotations

import contextlib
import errno
import os

import sqlcipher3
from filelock import FileLock, Timeout

from db import connection
from db.errors import (
    N_,
    FolderNotWritable,
    KeyFileMissing,
    StoreDamaged,
    StoreFull,
    StoreIOError,
    StoreLocked,
    StoreMissing,
    StoreReadOnly,
)
from db.keyfile import temp_prefix
from db.store_paths import VaultPaths


def store_salt(paths: VaultPaths) -> str:
    with paths.store.open("rb") as fh:
        return fh.read(16).hex()


def check_files(paths: VaultPaths) -> None:
    if not paths.store.exists():
        raise StoreMissing(N_("There is no store at {store}."), store=paths.store)
    size = paths.store.stat().st_size
    if size == 0:
        raise StoreDamaged(
            N_("The store {name} is empty (0 bytes); restore it from a backup."), name=paths.store.name
        )
    if size % connection.PAGE_SIZE:
        raise StoreDamaged(
            N_(
                "The store {name} is damaged: it has been cut short ({size:,} bytes is not a whole number "
                "of pages). Restore it from a backup."
            ),
            name=paths.store.name,
            size=size,
        )
    if not paths.keyfile.exists():
        raise KeyFileMissing(
            N_(
                "The key file {name} is missing from {parent}; without it the store cannot be opened. "
                "Restore it from a backup."
            ),
            name=paths.keyfile.name,
            parent=paths.store.parent,
        )


def write_error(exc: sqlcipher3.OperationalError) -> BaseException:
    text = str(exc).lower()
    if "full" in text:
        return StoreFull(
            "The disk is full, so the change was not saved (nothing was lost; what you typed is kept). "
            "Free some space, then try again."
        )
    if "readonly" in text or "read-only" in text:
        return StoreReadOnly(
            "The store cannot be written any more (the disk became read-only); nothing was saved."
        )
    if "disk i/o" in text:
        return StoreIOError("The disk reported an error while saving; the change was rolled back. Try again.")
    unchanged: BaseException = exc
    return unchanged


def remove_half_written(paths: VaultPaths) -> None:
    """Key-file copies left by a process killed mid-change (we hold the lock: nobody is writing one)."""
    for stale in paths.keyfile.parent.glob(temp_prefix(paths.keyfile) + "*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def unwritable(paths: VaultPaths) -> str:
    """Why the store cannot be written here, or "" when it can."""
    if not os.access(paths.store.parent, os.W_OK):
        return f"the folder {paths.store.parent} cannot be written to"
    if not os.access(paths.store, os.W_OK):
        return f"the file {paths.store.name} is read-only"
    return ""


def acquire(paths: VaultPaths) -> FileLock:
    lock = FileLock(paths.lock, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise StoreLocked(
            N_(
                "The store {name} is already open in another PPO Panel window or on another account; close "
                "it there first."
            ),
            name=paths.store.name,
        ) from None
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise FolderNotWritable(
                N_("The folder {parent} cannot be written to, so the store cannot be opened for editing."),
                parent=paths.store.parent,
            ) from exc
        raise
    return lock
