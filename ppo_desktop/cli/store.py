"""ppo-admin: the store itself — creating, checking, users and key slots, backups."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ppo_desktop import paths
from ppo_desktop.cli.common import (
    EXIT_FAILURE,
    CliError,
    device_of,
    opened,
    read_secret,
)
from ppo_desktop.domain import Role
from ppo_desktop.services import witness
from ppo_desktop.services.session import change_passphrase, create_store, reenrol
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import ServiceError


def cmd_create(args: argparse.Namespace) -> int:
    passphrase = read_secret(args, f"New passphrase for {args.user}: ", confirm=True)
    ws, recovery = create_store(
        args.store,
        user_id=args.user,
        display_name=args.name or args.user,
        passphrase=passphrase,
        partnership=args.partnership,
        device=device_of(args),
    )
    ws.close()
    print(f"created {ws.vault.paths.store}")
    print(f"RECOVERY KEY (shown once; print it and keep it locked away): {recovery}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ppo_desktop.demo import DEMO_PASSPHRASE, build_demo

    target = Path(args.store) if args.store else paths.demo_store()
    target.parent.mkdir(parents=True, exist_ok=True)
    facts = build_demo(target)
    print(
        f"demo store created at {target} ({facts.nominals} fictional nominals); passphrase: {DEMO_PASSPHRASE}"
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """The whole-file checks, the audit chain, and what every unlock checks (guards, anchors, seals)."""
    with opened(args) as ws:
        problems = ws.vault.integrity_check()
        report = ws.audit.verify()
        blocked = ws.blocked
        try:
            witnessed = witness.check_printed(ws, args.witness) if args.witness else None
        except ServiceError as exc:
            raise CliError(str(exc)) from None
    print("integrity: ok" if not problems else "integrity: FAILED\n  " + "\n  ".join(problems))
    print(report)
    print("unlock checks: ok" if not blocked else f"unlock checks: FAILED — {blocked}")
    if witnessed is not None:
        print("printed head: held" if not witnessed else f"printed head: NOT HELD — {witnessed}")
    return 0 if not problems and report.ok and not blocked and not witnessed else EXIT_FAILURE


def cmd_remove_user(args: argparse.Namespace) -> int:
    """Deactivate a user and remove their key slot; the store is re-keyed unless --no-rekey."""
    with opened(args) as ws:
        try:
            Users(ws).remove(args.old_user, rekey=False)
            left_out = 0 if args.no_rekey else Users(ws).rekey(args.why or f"user {args.old_user} removed")
        except ServiceError as exc:
            raise CliError(str(exc)) from None
    print(f"removed {args.old_user}" + ("" if args.no_rekey else "; the store has a new data key"))
    _left_out(left_out)
    return 0


def _left_out(slots: int) -> None:
    if slots:
        print(f"note: {slots} old-format key slot(s) were left out; re-enrol those users", file=sys.stderr)


def cmd_rekey(args: argparse.Namespace) -> int:
    """A new data key: earlier key files and backups no longer open the store."""
    with opened(args) as ws:
        try:
            left_out = Users(ws).rekey(args.why or "")
        except ServiceError as exc:
            raise CliError(str(exc)) from None
    print("re-keyed: earlier copies of the key file, and backups made before now, do not open the store")
    _left_out(left_out)
    return 0


def cmd_acknowledge(args: argparse.Namespace) -> int:
    """An administrator accepts a store whose unlock checks failed (recorded in the audit log)."""
    from ppo_desktop.services import integrity

    with opened(args) as ws:
        if not ws.blocked:
            print("unlock checks: ok — nothing to acknowledge")
            return 0
        print(f"unlock checks: FAILED — {ws.blocked}")
        integrity.acknowledge(ws, args.why or "")
    print("acknowledged: recorded in the audit log; the store can be written again")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        for user in Users(ws).all():
            state = "active" if user.active else "inactive"
            print(f"{user.id}\t{user.role.value}\t{state}\t{user.display_name}")
    return 0


def cmd_slots(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        active = {u.id for u in Users(ws).all() if u.active}
        for slot in ws.vault.slots():
            bound = "device-bound" if slot["device_bound"] else "passphrase-only"
            if slot["kind"] == "recovery":
                owner = "the recovery key"
            elif slot["label"] in active:
                owner = f"user {slot['label']}"
            else:  # planted, or left behind: the next re-key removes it
                owner = "NO ACTIVE USER (re-key to remove it)"
            print(f"{slot['id']}\t{slot['kind']}\t{slot['label']}\t{bound}\t{owner}")
    return 0


def cmd_add_user(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        new = read_secret(args, f"Passphrase for {args.new_user}: ", "PPO_NEW_PASSPHRASE", confirm=True)
        Users(ws).add(args.new_user, args.name or args.new_user, Role(args.role), new)
    print(f"added {args.new_user} as {args.role}")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        new = read_secret(args, "New passphrase: ", "PPO_NEW_PASSPHRASE", confirm=True)
        target = args.user or ws.user.id
        if ws.vault.by_recovery_key:
            reenrol(ws, target, new)
        else:
            change_passphrase(ws, read_secret(args, "Passphrase: "), new)
    print(f"passphrase changed for {target}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from ppo_desktop.services.backups import Backups

    with opened(args) as ws:
        info = Backups(ws).backup(Path(args.to))
    print(f"wrote and verified {info.path} ({info.bytes:,} bytes, encrypted)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ppo_desktop.services.backups import restore

    passphrase = None if args.recovery else read_secret(args, "Passphrase: ")
    recovery = read_secret(args, "Recovery key: ", "PPO_RECOVERY_KEY") if args.recovery else None
    ws = restore(
        Path(args.bundle),
        Path(args.to),
        passphrase=passphrase,
        user_id=args.user,
        recovery_key=recovery,
        device=device_of(args),
    )
    try:
        report = ws.audit.verify()
        store = ws.vault.paths.store
    finally:
        ws.close()
    print(f"restored to {store}; integrity: ok; {report}")
    return 0
