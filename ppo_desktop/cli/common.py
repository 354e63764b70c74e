"""What every ppo-admin command shares: passphrases (never from argv), opening the store for
one command, and writing what it produces."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from db.device import DeviceSecrets, system_device_secrets
from ppo_desktop.output_files import OutputRefused, check_target, write_private
from ppo_desktop.services.session import unlock
from ppo_desktop.services.workspace import Workspace

EXIT_FAILURE = 1
EXIT_USAGE = 2
DELIMITER_WORDS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "bar": "|"}


class CliError(Exception):
    pass


def _read_fd(fd: int) -> str:
    with os.fdopen(os.dup(fd), encoding="utf-8") as fh:
        return fh.readline().rstrip("\r\n")


def read_secret(
    args: argparse.Namespace, prompt: str, env: str = "PPO_PASSPHRASE", confirm: bool = False
) -> str:
    fd = getattr(args, "passphrase_fd", None)
    if fd is not None and env == "PPO_PASSPHRASE":
        return _read_fd(fd)
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise CliError(f"no passphrase: set {env}, use --passphrase-fd, or run in a terminal")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat: ") != first:
        raise CliError("the two passphrases differ")
    return first


def device_of(args: argparse.Namespace) -> DeviceSecrets:
    if getattr(args, "no_keyring", False):
        return DeviceSecrets(None, "disabled with --no-keyring")
    device = system_device_secrets()
    if not device.available:
        print(f"note: {device.reason}", file=sys.stderr)
    return device


@contextlib.contextmanager
def opened(args: argparse.Namespace) -> Iterator[Workspace]:
    """The store named on the command line, unlocked for one command and closed after it."""
    ws = _unlock(args)
    try:
        yield ws
    finally:
        ws.close()


def _unlock(args: argparse.Namespace) -> Workspace:
    if getattr(args, "recovery", False):
        return unlock(
            args.store,
            recovery_key=read_secret(args, "Recovery key: ", "PPO_RECOVERY_KEY"),
            device=device_of(args),
        )
    return unlock(args.store, read_secret(args, "Passphrase: "), user_id=args.user, device=device_of(args))


def decisions_of(args: argparse.Namespace) -> dict[int, int | None]:
    """--same N=ID and --new N: a person's decisions on possible duplicates."""
    decisions: dict[int, int | None] = {int(r): None for r in args.new or [] if r.isdigit()}
    for same in args.same or []:
        row, _, nominal = same.partition("=")
        if not (row.isdigit() and nominal.isdigit()):
            raise CliError("--same takes ROW=NOMINAL_ID, e.g. --same 7=42")
        decisions[int(row)] = int(nominal)
    return decisions


def period_of(ws: Workspace, args: argparse.Namespace) -> Any:
    import datetime as dt

    from ppo_desktop.domain import Strand
    from ppo_desktop.performance.figures import Filters
    from ppo_desktop.services.performance import Performance

    default = Performance(ws).default_filters()
    try:
        start = dt.date.fromisoformat(args.since) if args.since else default.start
        end = dt.date.fromisoformat(args.until) if args.until else default.end
    except ValueError as exc:
        raise CliError(f"a date is not YYYY-MM-DD: {exc}") from None
    return Filters(start, end, Strand(args.strand) if args.strand else None, args.area or None)


def out_path(args: argparse.Namespace, suffix: str = "") -> Path:
    """Where --out says to write: a file of the right kind in an existing folder, not a link, not a
    store's own file, and not over an existing file without --force (checked before anything is
    disclosed; written by ``_write``)."""
    out = Path(args.out)
    if suffix and out.suffix.lower() != suffix:
        raise CliError(f"--out must name a {suffix} file")
    try:
        return check_target(out, overwrite=args.force)
    except OutputRefused as exc:
        raise CliError(str(exc)) from None


def write_out(args: argparse.Namespace, out: Path, data: bytes) -> None:
    try:
        write_private(out, data, overwrite=args.force)
    except OutputRefused as exc:
        raise CliError(str(exc)) from None


def need(value: object, option: str) -> Any:
    if value in (None, []):
        raise CliError(f"this document needs {option}")
    return value


def nominal_id_of(ws: Workspace, ref: str) -> int:
    found = list(ws.db.query("SELECT id FROM nominals WHERE ref = ? OR CAST(id AS TEXT) = ?", [ref, ref]))
    if not found:
        raise CliError(f"no nominal {ref!r}")
    return int(found[0]["id"])
