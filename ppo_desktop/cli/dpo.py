"""The data protection officer's commands: a subject access pack (DPA 2018 s.45) and the
restrictions register (s.45(4))."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ppo_desktop.cli.common import CliError, nominal_id_of, opened, write_out
from ppo_desktop.output_files import OutputRefused, check_target


def cmd_subject_access(args: argparse.Namespace) -> int:
    """Write the pack: NAME.json (the DPO's bundle) and NAME.pdf (the person's copy), both private."""
    from ppo_desktop.services.subject_access import SubjectAccess

    folder = Path(args.to)
    if not folder.is_dir():
        raise CliError(f"--to must be an existing folder: {folder}")
    redact: dict[str, str] = {}
    for item in args.redact or []:
        text, _, why = item.partition("=")
        if not text.strip() or not why.strip():
            raise CliError("--redact takes TEXT=REASON, e.g. --redact 'Example-Officer=a third party'")
        redact[text.strip()] = why.strip()
    with opened(args) as ws:
        nid = nominal_id_of(ws, args.person)
        ref = ws.db.execute("SELECT ref FROM nominals WHERE id = ?", [nid]).fetchone()[0]
        targets = [folder / f"{ref}-subject-access{suffix}" for suffix in (".json", ".pdf")]
        try:
            for target in targets:
                check_target(target, overwrite=args.force)
        except OutputRefused as exc:
            raise CliError(str(exc)) from None
        access = SubjectAccess(ws)
        pack = access.pack(nid, requested_on=dt.date.fromisoformat(args.requested_on), redact=redact)
        write_out(args, targets[0], pack.bundle)
        write_out(args, targets[1], access.pdf(pack))
    print(f"wrote {targets[0]} and {targets[1]} ({pack.withheld} record(s) withheld under s.45(4))")
    return 0


def cmd_restrict(args: argparse.Namespace) -> int:
    from ppo_desktop.services.subject_access import SubjectAccess

    with opened(args) as ws:
        until = dt.date.fromisoformat(args.until) if args.until else None
        SubjectAccess(ws).restrict(nominal_id_of(ws, args.person), ground=args.ground, withheld=args.withheld,
                                   reason=args.why, until=until)  # fmt: skip
    print(f"restricted: {args.withheld} (s.45(4)({args.ground}))")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    """The retention schedule and its dry run; with --set, --hold or --lift, a change (administrators)."""
    from ppo_desktop.services.retention import Retention

    with opened(args) as ws:
        retention = Retention(ws)
        if args.set:
            record_class, _, months = args.set.partition("=")
            if not months.isdigit():
                raise CliError("--set takes CLASS=MONTHS, e.g. --set meetings=36 --source 'policy §4.2'")
            retention.set_period(record_class, int(months), args.source or "")
        for ref, change in ((args.hold, retention.hold), (args.lift, retention.lift)):
            if ref:
                change(nominal_id_of(ws, ref), args.why or "")
        if args.dry_run:
            retention.dry_run()
        for period in retention.schedule():
            print(period)
        review = retention.review()
        print(f"due on {review.on:%d %b %Y}: {len(review.due)}; held by a legal hold: {len(review.held)}")
        for due in (*review.due, *review.held):  # references only: names stay in the store
            held = " [legal hold]" if due in review.held else ""
            print(f"  {due.record_class}: {due.ref} — {due.why}{held}")
    return 0
