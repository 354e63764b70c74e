"""ppo-admin: transfer packs between two laptops (issue 14)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ppo_desktop.cli.common import (
    CliError,
    decisions_of,
    nominal_id_of,
    opened,
    out_path,
    read_secret,
    write_out,
)
from ppo_desktop.services.transfer_keys import TransferKeys


def cmd_transfer_key(args: argparse.Namespace) -> int:
    """This store's transfer public key, to give to whoever sends packs to it."""

    with opened(args) as ws:
        print(TransferKeys(ws).public_key())
    return 0


def cmd_transfer_export(args: argparse.Namespace) -> int:
    """Selected cases (and a meeting's agenda) as one encrypted pack: an audited disclosure."""
    from ppo_desktop.services.transfer import Transfer

    out = out_path(args)
    with opened(args) as ws:
        ids = [nominal_id_of(ws, r) for r in args.nominal or []]
        passphrase = (
            None if args.to_key else read_secret(args, "Pack passphrase: ", "PPO_PACK_PASSPHRASE", True)
        )
        transfer = Transfer(ws)
        partner = _partner(transfer, args) if args.since_last else None
        data = transfer.export(
            ids,
            meeting_id=args.meeting,
            partner=partner,
            passphrase=passphrase,
            recipient_key=args.to_key,
            recipient=args.recipient,
            justification=args.why,
        )
        write_out(args, out, data)
    print(f"wrote {out} ({len(data):,} bytes, encrypted)")
    return 0


def cmd_transfer_import(args: argparse.Namespace) -> int:
    """Open a pack and show each person's fate; with --commit, merge it (one transaction)."""
    from ppo_desktop.services.transfer import Transfer
    from ppo_desktop.transfer.pack import PackError, mode_of

    try:
        data = Path(args.pack).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.pack}: {exc.strerror}") from None
    with opened(args) as ws:
        transfer = Transfer(ws)
        try:
            needs_passphrase = mode_of(data) == "passphrase"
        except PackError as exc:
            raise CliError(str(exc)) from None
        passphrase = (
            read_secret(args, "Pack passphrase: ", "PPO_PACK_PASSPHRASE") if needs_passphrase else None
        )
        plan = transfer.plan(data, passphrase=passphrase)
        for person in plan.people:
            print(f"{person.number}\t{person.fate}\t{person.message}")
        for number, c in enumerate(plan.conflicts, start=1):
            print(f"conflict {number}\t{c.record}: {c.field}\n  here:  {c.here!r} ({c.here_by})\n"
                  f"  there: {c.there!r} ({c.there_by})")  # fmt: skip
        print(plan.summary())
        print(plan.signed_by)
        if not args.commit:
            print("dry run: nothing was merged (add --commit --why REASON to merge; settle each conflict "
                  "with --keep N=here or --keep N=there)")  # fmt: skip
            return 0
        transfer.commit(plan, decisions_of(args), justification=args.why or "", resolutions=_keep(args, plan),
                        trusted=args.trust_fingerprint or "")  # fmt: skip
        print("merged")
    return 0


def _partner(transfer: Any, args: argparse.Namespace) -> str:
    """--since-last: the store named by --partner (its id, or a part of who it is), else the one
    this store exchanged with most recently."""
    known = transfer.partners()
    if not known:
        raise CliError("this store has not exchanged packs with another yet: leave out --since-last")
    if not args.partner:
        return str(known[0][0])
    found = [store for store, who in known if args.partner in (store, who) or args.partner in who]
    if len(found) != 1:
        listed = "; ".join(f"{store} ({who})" for store, who in known)
        raise CliError(f"--partner must name one store this one has exchanged with: {listed}")
    return str(found[0])


def _keep(args: argparse.Namespace, plan: Any) -> dict[str, str]:
    """--keep N=here|there: which side stands for conflict N (as the dry run numbers them)."""
    chosen: dict[str, str] = {}
    for keep in args.keep or []:
        number, _, side = keep.partition("=")
        count = len(plan.conflicts)
        if not number.isdigit() or side not in ("here", "there") or not 1 <= int(number) <= count:
            raise CliError(f"--keep takes N=here or N=there, N from 1 to {count}")
        chosen[plan.conflicts[int(number) - 1].key] = side
    return chosen
