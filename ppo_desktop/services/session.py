"""Creating and unlocking a store, as a Workspace for a named user."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from db import errors as db_errors
from db import file_privacy
from db.device import DeviceSecrets, system_device_secrets
from db.keyfile import RECOVERY_KIND, KdfCost
from db.vault import KeyGrant, Vault
from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Role, User
from ppo_desktop.i18n import _
from ppo_desktop.services import integrity, passphrases, rows
from ppo_desktop.services.person_history import PersonHistory
from ppo_desktop.services.users import check_user_id
from ppo_desktop.services.workspace import Clock, ServiceError, Workspace

__all__ = [
    "WrongPassphrase",
    "DeviceSecrets",
    "KeyGrant",
    "StoreProblem",
    "create_store",
    "open_granted",
    "system_device_secrets",
    "unlock",
    "unlock_key",
    "reenrol",
]

P = ParamSpec("P")
R = TypeVar("R")


class StoreProblem(Exception):
    """The store could not be created, opened or changed: ``str()`` says why, in words a
    coordinator can act on (the screens catch this, never the vault's own types)."""


class WrongPassphrase(StoreProblem):
    pass


def _in_own_words(fn: Callable[P, R]) -> Callable[P, R]:
    """The vault's errors, as this package's: the screens need not know the vault."""

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except db_errors.WrongPassphrase as exc:
            raise WrongPassphrase(str(exc)) from exc
        except db_errors.VaultError as exc:
            raise StoreProblem(str(exc)) from exc

    return call


RECOVERY_USER = User(id=RECOVERY_KIND, display_name="Recovery key holder", role=Role.ADMINISTRATOR)


@_in_own_words
def create_store(
    path: str | os.PathLike[str],
    *,
    user_id: str,
    display_name: str,
    passphrase: str,
    partnership: str,
    device: DeviceSecrets,
    cost: KdfCost | None = None,
    clock: Clock | None = None,
    published_ok: bool = False,
) -> tuple[Workspace, str]:
    """Create a store whose first user is its administrator; returns the workspace and recovery key.
    ``published_ok`` is for the fictional demo store alone, whose passphrase is printed."""
    _check_user_id(user_id)
    words = [user_id, display_name, partnership, Path(path).stem, *passphrases.scheme_words()]
    try:
        passphrases.check_new(passphrase, words, published_ok=published_ok)
    except passphrases.WeakPassphrase as exc:
        raise StoreProblem(str(exc)) from None
    vault, recovery = Vault.create(path, user_id, passphrase, device=device, cost=cost)
    admin = User(user_id, display_name, Role.ADMINISTRATOR)
    ws = Workspace(vault, admin, clock=clock)
    with ws.writing(Role.ADMINISTRATOR) as db:
        db.table("users").insert(
            {
                "id": admin.id,
                "display_name": admin.display_name,
                "role": admin.role.value,
                "active": 1,
                "created_at": ws.now().isoformat(timespec="seconds"),
            }
        )
        integrity.seal_user(ws, admin.id)
        db.table("settings").insert_all(
            [
                {"key": "partnership", "value": partnership},
                {"key": "store_id", "value": vault.store_id},
                {"key": integrity.USERS_SEALED, "value": "1"},
            ]
        )
        ws.audit.record(
            AuditKind.COLLECTION,
            "store",
            vault.store_id,
            f"Store created for {partnership}",
            at=ws.now(),
            after={"administrator": user_id},
        )
    return ws, recovery


@_in_own_words
def unlock(
    path: str | os.PathLike[str],
    passphrase: str | None = None,
    *,
    user_id: str | None = None,
    recovery_key: str | None = None,
    device: DeviceSecrets,
    clock: Clock | None = None,
) -> Workspace:
    grant = unlock_key(path, passphrase, user_id=user_id, recovery_key=recovery_key, device=device)
    return open_granted(grant, device=device, clock=clock)


@_in_own_words
def unlock_key(
    path: str | os.PathLike[str],
    passphrase: str | None = None,
    *,
    user_id: str | None = None,
    recovery_key: str | None = None,
    device: DeviceSecrets,
) -> KeyGrant:
    """The slow part of unlocking (key derivation); safe to run on a worker thread."""
    return Vault.grant(path, passphrase, user=user_id, recovery_key=recovery_key, device=device)


@_in_own_words
def open_granted(
    grant: KeyGrant, *, device: DeviceSecrets, clock: Clock | None = None, defer_check: bool = False
) -> Workspace:
    """Connect and start the session; call on the thread that will use the workspace.

    ``defer_check`` skips the whole-file quick check here; the caller runs
    ``ws.vault.background_check()`` on a worker and reports what it finds."""
    vault = Vault.open_granted(grant, device=device, quick_check=not defer_check)
    try:
        if vault.by_recovery_key:
            user = RECOVERY_USER
        else:
            found = list(vault.db.query("SELECT * FROM users WHERE id = ?", [vault.unlocked_by]))
            if not found:
                raise StoreProblem(
                    _("The key slot {unlocked_by!r} has no user record in this store.").format(
                        unlocked_by=vault.unlocked_by
                    )
                )
            user = rows.user(found[0])
            if not user.active:
                raise StoreProblem(_("The account {id!r} has been deactivated.").format(id=user.id))
        ws = Workspace(vault, user, clock=clock)
        if vault.read_only:
            return ws  # nothing can be recorded; the app shows why, and blocks what would need a record
        integrity.seal_legacy_users(ws)
        if user is not RECOVERY_USER and user.id in integrity.tampered_users(ws):
            raise StoreProblem(
                _(
                    "The account {id!r} was changed outside PPO Panel (its record fails its seal), so it "
                    "cannot be used. An administrator must check it."
                ).format(id=user.id)
            )
        problems = integrity.problems(ws)
        if problems:
            ws.blocked = "; ".join(problems)
            return ws  # nothing is written, not even the unlock, until an administrator acknowledges
        with ws.transaction():
            if vault.finished_rekey:  # the session that re-keyed stopped before recording it
                ws.audit.record(
                    AuditKind.ALTERATION,
                    "store",
                    vault.store_id,
                    "Store re-keyed: finished at this unlock (the session that began it stopped part-way)",
                    at=ws.now(),
                    after={"key_generation": vault.key_generation},
                )
            ws.audit.record(
                AuditKind.SESSION,
                "store",
                vault.store_id,
                "Store unlocked",
                at=ws.now(),
                justification="recovery key" if user is RECOVERY_USER else "passphrase",
            )
            _keep_private(ws)
        PersonHistory(ws).derive_pending()
        return ws
    except BaseException:
        vault.close()
        raise


def _keep_private(ws: Workspace) -> None:
    """The store's files readable by other accounts (a loose umask, a shared folder on Windows) are
    made private at unlock, and the audit log says so; one that cannot be (another account owns it)
    is recorded, and the store still opens — its data is encrypted either way."""
    paths = ws.vault.paths
    files = [p for p in (paths.store, paths.keyfile, *(paths.store.with_name(paths.store.name + s)
                                                       for s in ("-wal", "-shm"))) if p.exists()]  # fmt: skip
    try:
        exposed = {p.name: why for p in files if (why := file_privacy.exposure(p))}
        for name in exposed:
            file_privacy.make_private(paths.store.with_name(name))
    except OSError as exc:
        ws.audit.record(AuditKind.ALTERATION, "store", ws.vault.store_id,
                        f"The store's files could not be checked or made private: {exc.strerror or exc}",
                        at=ws.now())  # fmt: skip
        return
    if exposed:
        said = "; ".join(f"{name} was {why}" for name, why in sorted(exposed.items()))
        ws.audit.record(AuditKind.ALTERATION, "store", ws.vault.store_id,
                        f"Store files made private at unlock: {said}", at=ws.now())  # fmt: skip


def _check_user_id(user_id: str) -> None:
    try:
        check_user_id(user_id)
    except ServiceError as exc:
        raise StoreProblem(str(exc)) from None


def lock(ws: Workspace, reason: str) -> None:
    """Record the lock, then close the store: the key is dropped and the WAL checkpointed."""
    if ws.vault.read_only:
        ws.close()
        return
    with ws.transaction():
        ws.audit.record(
            AuditKind.SESSION, "store", ws.vault.store_id, "Store locked", at=ws.now(), justification=reason
        )
    ws.close()


@_in_own_words
def reenrol(ws: Workspace, user_id: str, new_passphrase: str) -> None:
    """After a recovery-key unlock (a forgotten passphrase, or a keyring lost or replaced): give
    ``user_id`` a new passphrase slot, tied to this computer's keyring where there is one."""
    if not ws.vault.by_recovery_key and ws.user.role is not Role.ADMINISTRATOR:
        raise StoreProblem(_("Only the recovery key holder or an administrator can reset a passphrase."))
    if not list(ws.db.query("SELECT id FROM users WHERE id = ? AND active = 1", [user_id])):
        raise StoreProblem(_("There is no active user {user_id!r}.").format(user_id=user_id))
    try:
        passphrases.check_new(new_passphrase, passphrases.store_words(ws))
    except passphrases.WeakPassphrase as exc:
        raise StoreProblem(str(exc)) from None
    ws.vault.replace_passphrase(user_id, new_passphrase)
    with ws.transaction():
        ws.audit.record(
            AuditKind.ALTERATION,
            "user",
            user_id,
            "Passphrase reset (re-enrolled)",
            at=ws.now(),
            justification="recovery key" if ws.vault.by_recovery_key else "administrator",
            after={"device_bound": ws.vault.device_bound},
        )


@_in_own_words
def change_passphrase(ws: Workspace, old: str, new: str) -> None:
    """The signed-in user changes their own passphrase (the old one proves it is them); audited."""
    try:
        passphrases.check_new(new, passphrases.store_words(ws))
    except passphrases.WeakPassphrase as exc:
        raise StoreProblem(str(exc)) from None
    ws.vault.change_passphrase(ws.user.id, old, new)
    with ws.transaction():
        ws.audit.record(
            AuditKind.ALTERATION,
            "user",
            ws.user.id,
            "Passphrase changed",
            at=ws.now(),
            after={"device_bound": ws.vault.device_bound},
        )
