"""Backups and restores: encrypted bundles, each verified by restoring it to a temporary place and
running the integrity, cipher-integrity and audit-chain checks on it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from db import backup, connection
from db.backup import BackupInfo
from db.device import DeviceSecrets
from ppo_desktop.audit import AuditKind, AuditLog
from ppo_desktop.domain import Role
from ppo_desktop.i18n import _
from ppo_desktop.paths import store_exists, store_file
from ppo_desktop.services.session import unlock
from ppo_desktop.services.workspace import Changes, Progress, ServiceError, Stopped, Topic, Workspace


@dataclass(frozen=True)
class BackupJob:
    """A backup started (recorded): called on a worker, it checks, copies and verifies; stopped
    (its progress hook raised Stopped), nothing is left of it and ``Backups.stopped`` says so."""

    folder: Path
    previous: str  # when the last backup before this one was made ("": none)
    run: Callable[[], BackupInfo]

    def __call__(self) -> BackupInfo:
        return self.run()


class Backups:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def backup(self, folder: Path) -> BackupInfo:
        """Check the store, record the backup, write the bundle, then prove it restores."""
        return self.start(folder)()

    def start(self, folder: Path, progress: Progress | None = None) -> BackupJob:
        """Record the backup (on the store's thread), then hand back the slow part — check, copy,
        verify by restoring — as a job for a worker; the store stays open for writing meanwhile.
        ``progress`` hears each stage and may stop the job (raise Stopped): the bundle, if it was
        written, is removed again."""
        if self.ws.user.role not in (Role.ADMINISTRATOR, Role.COORDINATOR):
            raise ServiceError(_("Backups are made by an administrator or the coordinator."))
        if not folder.is_dir():
            raise ServiceError(_("The backup folder {folder} does not exist.").format(folder=folder))
        previous = self.ws.setting("last_backup") or ""
        with self.ws.transaction():  # recorded first: the bundle carries its own record
            self.ws.audit.record(
                AuditKind.DISCLOSURE,
                "store",
                self.ws.vault.store_id,
                "Encrypted backup written",
                at=self.ws.now(),
                after={"folder": str(folder)},
                justification="backup",
            )
            self._last(f"{self.ws.now().isoformat(timespec='seconds')}|{folder}")
        chain = self.ws.vault.derive_key("audit-chain")
        copy = self.ws.vault.backup_job(  # the copy's key file says where the copy's own log ends
            folder, self.ws.now(), lambda conn: AuditLog(Database(conn), chain, "", "").anchor(), progress
        )
        verify = self.verifier()

        def job() -> BackupInfo:
            try:
                info = copy()
            except backup.BackupError as exc:
                raise ServiceError(str(exc)) from exc
            try:
                problems = verify(info.path, progress)
            except Stopped:
                info.path.unlink(missing_ok=True)
                raise
            if problems:
                raise ServiceError(
                    _("The backup {name} was written but does not verify: {value}").format(
                        name=info.path.name, value=problems[0]
                    )
                )
            return info

        return BackupJob(folder, previous, job)

    def stopped(self, job: BackupJob) -> Changes:
        """A backup stopped before it finished: recorded (its start said "written"), and the last
        backup before it is the last one again (the next scheduled one is due as before)."""
        with self.ws.transaction():
            self.ws.audit.record(
                AuditKind.DISCLOSURE,
                "store",
                self.ws.vault.store_id,
                "Encrypted backup stopped before it was finished: no file was left",
                at=self.ws.now(),
                after={"folder": str(job.folder)},
                justification="backup",
            )
            self._last(job.previous)
        return Changes.of(Topic.AUDIT, Topic.SETTINGS)

    def _last(self, value: str) -> None:
        if value:
            self.ws.db.table("settings").upsert({"key": "last_backup", "value": value}, pk="key")
        else:
            self.ws.db.execute("DELETE FROM settings WHERE key = 'last_backup'")

    def verifier(self) -> Callable[[Path, Progress | None], list[str]]:
        """``verify_bundle`` as a job that touches nothing of this thread's (safe on a worker)."""
        key, store_id, check_copy, generation = (
            self.ws.vault.derive_key("audit-chain"),
            self.ws.vault.store_id,
            self.ws.vault.check_copy,
            self.ws.vault.key_generation,
        )

        def verify(bundle: Path, progress: Progress | None = None) -> list[str]:
            try:
                manifest = backup.read_manifest(bundle)
            except backup.BackupError as exc:
                return [str(exc)]
            if manifest["store_id"] != store_id:
                return [f"{bundle.name} is a backup of another store."]
            made_with = int(manifest.get("key_generation", 1))
            if made_with < generation:
                return [
                    f"{bundle.name} was made before the store was re-keyed (key {made_with}, now "
                    f"{generation}): "
                    "it still opens with the passphrases and recovery key of that time, removed users' "
                    "included. Keep it locked away, or destroy it."
                ]
            heard = progress or (lambda _stage, _done, _total: None)
            heard("Verifying the backup", 0, 0)
            with tempfile.TemporaryDirectory(prefix="ppo-verify-") as tmp:
                paths = backup.extract(bundle, Path(tmp) / "restored.ppo")
                return check_copy(paths.store, _chain_check(key), lambda: heard("Verifying the backup", 0, 0))

        return verify

    def due(self, every_days: int) -> Path | None:
        """The folder of the last backup, if the next scheduled one is due (None: not due, or none yet)."""
        last = self.ws.setting("last_backup")
        if not last or every_days <= 0:
            return None
        at, _bar, folder = last.partition("|")
        if self.ws.now() - dt.datetime.fromisoformat(at) < dt.timedelta(days=every_days):
            return None
        return Path(folder) if Path(folder).is_dir() else None

    def verify_bundle(self, bundle: Path) -> list[str]:
        """Restore ``bundle`` to a temporary folder and check it with this store's key."""
        return self.verifier()(bundle, None)


def restore(
    bundle: Path,
    to: Path,
    *,
    passphrase: str | None = None,
    user_id: str | None = None,
    recovery_key: str | None = None,
    device: DeviceSecrets,
    progress: Progress | None = None,
) -> Workspace:
    """Unpack a backup as a new store, unlock it and check it (integrity and the audit chain).
    ``progress`` hears each stage and may stop it (raise Stopped): then every file unpacked is
    removed again, and nothing is left of the restore."""
    heard = progress or (lambda _stage, _done, _total: None)
    heard("Unpacking the backup", 0, 0)
    try:
        paths = backup.extract(bundle, to)
    except backup.BackupError as exc:
        raise ServiceError(str(exc)) from exc
    ws = None
    try:
        heard("Opening the restored store", 0, 0)
        ws = unlock(paths.store, passphrase, user_id=user_id, recovery_key=recovery_key, device=device)
        with _stoppable(ws, heard, "Checking every page of the restored store"):
            problems = ws.vault.integrity_check()
        with _stoppable(ws, heard, "Checking the audit log's chain"):
            report = ws.audit.verify()
    except BaseException:
        if ws is not None:
            ws.close()
        for f in paths.all():
            f.unlink(missing_ok=True)
        raise
    if problems or not report.ok:
        ws.close()
        raise ServiceError(
            _("The restored store does not verify: {value}").format(value=(problems or [str(report)])[0])
        )
    with ws.transaction():
        ws.audit.record(
            AuditKind.COLLECTION,
            "store",
            ws.vault.store_id,
            f"Restored from {bundle.name}",
            at=ws.now(),
            after={"to": os.fspath(paths.store)},
            justification="restore",
        )
    return ws


@contextlib.contextmanager
def _stoppable(ws: Workspace, heard: Progress, stage: str) -> Iterator[None]:
    """A long check the person waiting may stop: SQLite asks every few thousand steps."""
    heard(stage, 0, 0)
    with connection.stoppable(ws.db.conn, lambda: heard(stage, 0, 0)):
        yield


def restoring(
    bundle: Path,
    to: Path,
    *,
    passphrase: str | None = None,
    user_id: str | None = None,
    recovery_key: str | None = None,
    device: DeviceSecrets,
    progress: Progress | None = None,
) -> Callable[[], Path]:
    """``restore`` as a job for a worker thread (unpacking, the key derivation and the full check
    take a while): the restored store is checked, its restore recorded, and closed there; the job
    returns the store's file, for the window to unlock as usual (connections are per thread).
    ``progress`` may stop it (Cancel): nothing is left of it."""
    if store_exists(to):
        raise ServiceError(
            _("There is already a store at {store_file}: restore under another name.").format(
                store_file=store_file(to)
            )
        )

    def job() -> Path:
        ws = restore(bundle, to, passphrase=passphrase, user_id=user_id, recovery_key=recovery_key,
                     device=device, progress=progress)  # fmt: skip
        try:
            return ws.vault.paths.store
        finally:
            ws.close()

    return job


def _chain_check(key: bytes) -> Any:
    def check(conn: Any) -> list[str]:
        report = AuditLog(Database(conn), key, "", "").verify()
        return [] if report.ok else [str(report)]

    return check
