"""ppo-admin: the headless companion (in the spirit of keepassxc-cli), over the same services.

Passphrases come from a TTY prompt, the PPO_PASSPHRASE / PPO_NEW_PASSPHRASE environment variables,
or ``--passphrase-fd``; never from argv. Errors are one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from db.device import DeviceSecrets, system_device_secrets
from db.errors import VaultError
from ppo_desktop import paths
from ppo_desktop.domain import Role
from ppo_desktop.output_files import OutputRefused, check_target, write_private
from ppo_desktop.services.session import create_store, unlock
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import ServiceError, Workspace

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


def _device(args: argparse.Namespace) -> DeviceSecrets:
    if getattr(args, "no_keyring", False):
        return DeviceSecrets(None, "disabled with --no-keyring")
    device = system_device_secrets()
    if not device.available:
        print(f"note: {device.reason}", file=sys.stderr)
    return device


def _open(args: argparse.Namespace) -> Workspace:
    if getattr(args, "recovery", False):
        return unlock(
            args.store,
            recovery_key=read_secret(args, "Recovery key: ", "PPO_RECOVERY_KEY"),
            device=_device(args),
        )
    return unlock(args.store, read_secret(args, "Passphrase: "), user_id=args.user, device=_device(args))


# -- commands --------------------------------------------------------------------------------
def cmd_create(args: argparse.Namespace) -> int:
    passphrase = read_secret(args, f"New passphrase for {args.user}: ", confirm=True)
    ws, recovery = create_store(
        args.store,
        user_id=args.user,
        display_name=args.name or args.user,
        passphrase=passphrase,
        partnership=args.partnership,
        device=_device(args),
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
    ws = _open(args)
    try:
        problems = ws.vault.integrity_check()
        report = ws.audit.verify()
        blocked = ws.blocked
    finally:
        ws.close()
    print("integrity: ok" if not problems else "integrity: FAILED\n  " + "\n  ".join(problems))
    print(report)
    print("unlock checks: ok" if not blocked else f"unlock checks: FAILED — {blocked}")
    return 0 if not problems and report.ok and not blocked else EXIT_FAILURE


def cmd_remove_user(args: argparse.Namespace) -> int:
    """Deactivate a user and remove their key slot; the store is re-keyed unless --no-rekey."""
    ws = _open(args)
    try:
        Users(ws).remove(args.old_user, rekey=False)
        left_out = 0 if args.no_rekey else Users(ws).rekey(args.why or f"user {args.old_user} removed")
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    finally:
        ws.close()
    print(f"removed {args.old_user}" + ("" if args.no_rekey else "; the store has a new data key"))
    _left_out(left_out)
    return 0


def _left_out(slots: int) -> None:
    if slots:
        print(f"note: {slots} old-format key slot(s) were left out; re-enrol those users", file=sys.stderr)


def cmd_rekey(args: argparse.Namespace) -> int:
    """A new data key: earlier key files and backups no longer open the store."""
    ws = _open(args)
    try:
        left_out = Users(ws).rekey(args.why or "")
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    finally:
        ws.close()
    print("re-keyed: earlier copies of the key file, and backups made before now, do not open the store")
    _left_out(left_out)
    return 0


def cmd_acknowledge(args: argparse.Namespace) -> int:
    """An administrator accepts a store whose unlock checks failed (recorded in the audit log)."""
    from ppo_desktop.services import integrity

    ws = _open(args)
    try:
        if not ws.blocked:
            print("unlock checks: ok — nothing to acknowledge")
            return 0
        print(f"unlock checks: FAILED — {ws.blocked}")
        integrity.acknowledge(ws, args.why or "")
    finally:
        ws.close()
    print("acknowledged: recorded in the audit log; the store can be written again")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        for user in Users(ws).all():
            state = "active" if user.active else "inactive"
            print(f"{user.id}\t{user.role.value}\t{state}\t{user.display_name}")
    finally:
        ws.close()
    return 0


def cmd_slots(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        for slot in ws.vault.slots():
            bound = "device-bound" if slot["device_bound"] else "passphrase-only"
            print(f"{slot['id']}\t{slot['kind']}\t{slot['label']}\t{bound}")
    finally:
        ws.close()
    return 0


def cmd_add_user(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        new = read_secret(args, f"Passphrase for {args.new_user}: ", "PPO_NEW_PASSPHRASE", confirm=True)
        Users(ws).add(args.new_user, args.name or args.new_user, Role(args.role), new)
    finally:
        ws.close()
    print(f"added {args.new_user} as {args.role}")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    ws = _open(args)
    try:
        new = read_secret(args, "New passphrase: ", "PPO_NEW_PASSPHRASE", confirm=True)
        target = args.user or ws.user.id
        if ws.vault.unlocked_by == "recovery":
            ws.vault.replace_passphrase(target, new)
        else:
            ws.vault.change_passphrase(target, read_secret(args, "Passphrase: "), new)
    finally:
        ws.close()
    print(f"passphrase changed for {target}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score a JSON sheet ({"definition": id, "version"?: v, "inputs": {...}}) and print the breakdown."""
    from ppo_desktop.scoring import DefinitionError, InputError, score, shipped

    try:
        text = sys.stdin.read() if args.sheet in (None, "-") else Path(args.sheet).read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {args.sheet}: {exc.strerror}") from exc
    try:
        sheet = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"the sheet is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if not isinstance(sheet, dict) or not isinstance(sheet.get("definition"), str):
        raise CliError('the sheet needs a "definition" (a matrix id) and "inputs"')
    try:
        defn = shipped().get(sheet["definition"], sheet.get("version"))
        breakdown = score(defn, sheet.get("inputs", {}))
    except (DefinitionError, InputError) as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(breakdown.to_json(), indent=2, ensure_ascii=False))
    return 0


def cmd_matrices(args: argparse.Namespace) -> int:
    from ppo_desktop.scoring import shipped

    for d in shipped().all():
        print(f"{d.id}\t{d.version}\t{d.status}\tfrom {d.effective_from}\t{d.hash[:16]}\t{d.title}")
    return 0


def cmd_document(args: argparse.Namespace) -> int:
    """Build a document headless and write it where asked (an audited disclosure, made first)."""
    import datetime as dt

    from ppo_desktop.services.documents import Documents
    from ppo_desktop.services.performance import Performance

    out = _out(args, ".pdf")
    ws = _open(args)
    try:
        docs = Documents(ws)
        if args.kind in ("minutes", "minutes-summary"):
            doc = docs.minutes(_need(args.meeting, "--meeting"), summary=args.kind == "minutes-summary")
        elif args.kind == "sheets":
            doc = (
                docs.agenda_sheets(args.meeting)
                if args.meeting
                else docs.scoring_sheets([_nominal_id(ws, r) for r in _need(args.nominal, "--nominal")])
            )
        elif args.kind == "blank-sheet":
            doc = docs.blank_sheet(args.matrix)
        elif args.kind == "cohort":
            doc = docs.cohort(
                dt.date.fromisoformat(args.since) if args.since else None,
                dt.date.fromisoformat(args.until) if args.until else None,
            )
        elif args.kind == "quarterly":
            doc = docs.quarterly(_need(args.year, "--year"), _need(args.quarter, "--quarter"))
        elif args.kind == "performance":
            doc = docs.performance(Performance(ws).report(_period(ws, args)))
        else:
            doc = docs.action_tracker()
        docs.disclose(doc, how=f"saved to {out}", recipient=args.recipient, justification=args.why)
        _write(args, out, doc.pdf)
    finally:
        ws.close()
    print(f"wrote {out} ({len(doc.pdf):,} bytes): {doc.title}")
    print(
        "note: the PDF is not encrypted; keep it as OFFICIAL-SENSITIVE and delete it when done",
        file=sys.stderr,
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """A dry run of a file (every row's fate); with --commit, the import itself, all or nothing."""
    from ppo_desktop.imports.counts import CountsImport
    from ppo_desktop.imports.nominations import ImportPlan, NominationImport
    from ppo_desktop.imports.sources import ImportProblem, Reading, read_rows
    from ppo_desktop.services.imports import Imports

    given = None
    if args.map:
        pairs = [m.split("=", 1) for m in args.map]
        if any(len(p) != 2 for p in pairs):
            raise CliError("--map takes FIELD=COLUMN, e.g. --map family_name=Surname")
        given = {field: column for field, column in pairs}
    reading = Reading(DELIMITER_WORDS.get(args.delimiter or "", args.delimiter), args.header_row)
    decisions = _decisions(args)
    ws = _open(args)
    try:
        importer = NominationImport(ws) if args.kind == "nominations" else CountsImport(ws, args.kind)
        try:
            mapping = None
            if given is not None:  # the columns named on the command line, the rest as guessed
                with read_rows(Path(args.file), reading) as peek:
                    mapping = {
                        **importer.mapping_for(args.source or Path(args.file).stem, peek.header),
                        **given,
                    }
            plan = importer.plan(Path(args.file), source=args.source or "", columns=mapping, reading=reading)
        except ImportProblem as exc:
            raise CliError(str(exc)) from None
        for note in plan.notes:
            print(f"note: {note}")
        if isinstance(plan, ImportPlan):
            for row in plan.rows:
                print(f"{row.fate}\t{row.message}")
        else:
            for line in plan.lines:
                print(f"{'ok' if line.ok else 'rejected'}\t{line.message}")
        print(plan.summary())
        if not args.commit:
            print("dry run: nothing was imported (add --commit --why REASON to import)")
            return 0
        chosen = decisions if isinstance(plan, ImportPlan) else None
        Imports(ws).commit(plan, chosen, justification=args.why or "", remember=bool(given))
        print(f"imported {args.kind} from {plan.source}: {plan.summary()}")
    finally:
        ws.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """A return as CSV (cohort, removals, a year's re-offending cohort): an audited disclosure."""
    from ppo_desktop.services.exports import Exports

    out = _out(args)
    ws = _open(args)
    try:
        data = Exports(ws).export(
            args.kind,
            how=f"saved to {out}",
            recipient=args.recipient,
            justification=args.why,
            year_label=args.year or "",
        )
        _write(args, out, data)
    finally:
        ws.close()
    print(f"wrote {out} ({len(data):,} bytes)")
    print(
        "note: the CSV is not encrypted; keep it as OFFICIAL-SENSITIVE and delete it when done",
        file=sys.stderr,
    )
    return 0


def cmd_transfer_key(args: argparse.Namespace) -> int:
    """This store's transfer public key, to give to whoever sends packs to it."""
    from ppo_desktop.services.transfer import Transfer

    ws = _open(args)
    try:
        print(Transfer(ws).public_key())
    finally:
        ws.close()
    return 0


def cmd_transfer_export(args: argparse.Namespace) -> int:
    """Selected cases (and a meeting's agenda) as one encrypted pack: an audited disclosure."""
    from ppo_desktop.services.transfer import Transfer

    out = _out(args)
    ws = _open(args)
    try:
        ids = [_nominal_id(ws, r) for r in args.nominal or []]
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
        _write(args, out, data)
    finally:
        ws.close()
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
    ws = _open(args)
    try:
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
        transfer.commit(plan, _decisions(args), justification=args.why or "", resolutions=_keep(args, plan))
        print("merged")
    finally:
        ws.close()
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


def _decisions(args: argparse.Namespace) -> dict[int, int | None]:
    """--same N=ID and --new N: a person's decisions on possible duplicates."""
    decisions: dict[int, int | None] = {int(r): None for r in args.new or [] if r.isdigit()}
    for same in args.same or []:
        row, _, nominal = same.partition("=")
        if not (row.isdigit() and nominal.isdigit()):
            raise CliError("--same takes ROW=NOMINAL_ID, e.g. --same 7=42")
        decisions[int(row)] = int(nominal)
    return decisions


def _period(ws: Workspace, args: argparse.Namespace) -> Any:
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


def _out(args: argparse.Namespace, suffix: str = "") -> Path:
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


def _write(args: argparse.Namespace, out: Path, data: bytes) -> None:
    try:
        write_private(out, data, overwrite=args.force)
    except OutputRefused as exc:
        raise CliError(str(exc)) from None


def _need(value: object, option: str) -> Any:
    if value in (None, []):
        raise CliError(f"this document needs {option}")
    return value


def _nominal_id(ws: Workspace, ref: str) -> int:
    found = list(ws.db.query("SELECT id FROM nominals WHERE ref = ? OR CAST(id AS TEXT) = ?", [ref, ref]))
    if not found:
        raise CliError(f"no nominal {ref!r}")
    return int(found[0]["id"])


def cmd_audit_export(args: argparse.Namespace) -> int:
    """The audit log (filtered) as CSV for the data protection officer: an audited disclosure."""
    import datetime as dt

    from ppo_desktop.services.documents import Documents

    out = _out(args, ".csv")
    ws = _open(args)
    try:
        docs = Documents(ws)
        nominal = _nominal_id(ws, args.nominal) if args.nominal else None
        data, people = docs.audit_export(
            user_id=args.by,
            nominal_id=nominal,
            kind=args.kind,
            since=dt.date.fromisoformat(args.since) if args.since else None,
            until=dt.date.fromisoformat(args.until) if args.until else None,
        )
        docs.disclose_export(
            "Audit log export",
            data,
            people,
            how=f"saved to {out}",
            recipient=args.recipient,
            justification=args.why,
        )
        _write(args, out, data)
    finally:
        ws.close()
    entries = len(data.splitlines()) - 2  # less the title and header rows
    print(f"wrote {out} ({entries} entries)")
    print(
        "note: the CSV is not encrypted; keep it as OFFICIAL-SENSITIVE and delete it when done",
        file=sys.stderr,
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from ppo_desktop.services.backups import Backups

    ws = _open(args)
    try:
        info = Backups(ws).backup(Path(args.to))
    finally:
        ws.close()
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
        device=_device(args),
    )
    try:
        report = ws.audit.verify()
        store = ws.vault.paths.store
    finally:
        ws.close()
    print(f"restored to {store}; integrity: ok; {report}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ppo-admin", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def store_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("store", help="path of the store (.ppo)")
        p.add_argument("--user", help="user name (key slot); default: try every slot")
        p.add_argument("--recovery", action="store_true", help="unlock with the recovery key")
        p.add_argument("--passphrase-fd", type=int, help="read the passphrase from this file descriptor")
        p.add_argument("--no-keyring", action="store_true", help="do not use the OS keyring")

    def command(
        name: str,
        fn: Callable[[argparse.Namespace], int],
        help_text: str,
        store: bool = True,
        first: str = "",
        choices: Sequence[str] = (),
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        if first:
            p.add_argument(first, choices=list(choices))
        if store:
            store_args(p)
        p.set_defaults(fn=fn)
        return p

    p = command("create", cmd_create, "create a new encrypted store")
    p.add_argument("--partnership", required=True, help="partnership name shown on documents")
    p.add_argument("--name", help="the administrator's display name")
    p = command("demo", cmd_demo, "create the fictional demo store", store=False)
    p.add_argument("store", nargs="?", help="where to create it (default: the user data folder)")
    command("verify", cmd_verify, "check the store's integrity, the audit chain and the unlock checks")
    p = command("remove-user", cmd_remove_user, "remove a user's access; re-keys the store (administrators)")
    p.add_argument("old_user", help="the user to remove")
    p.add_argument(
        "--no-rekey", action="store_true", help="keep the data key (a key file copy they kept still opens)"
    )
    p.add_argument("--why", help="the reason (recorded in the audit log)")
    p = command("rekey", cmd_rekey, "give the store a new data key (administrators)")
    p.add_argument("--why", help="the reason (recorded in the audit log)")
    p = command("acknowledge", cmd_acknowledge, "accept a store whose unlock checks failed (administrators)")
    p.add_argument("--why", help="why the store is accepted as it is (recorded in the audit log)")
    command("users", cmd_users, "list users and roles")
    command("slots", cmd_slots, "list key slots")
    p = command("add-user", cmd_add_user, "add a user with their own key slot (administrators)")
    p.add_argument("new_user")
    p.add_argument("--role", choices=[r.value for r in Role], required=True)
    p.add_argument("--name")
    p = command(
        "score", cmd_score, "score a JSON sheet from a file or stdin and print the breakdown", store=False
    )
    p.add_argument("sheet", nargs="?", help="JSON file ('-' or nothing: read stdin)")
    command("matrices", cmd_matrices, "list the shipped matrix definitions", store=False)
    p = command(
        "document",
        cmd_document,
        "build a document (PDF) and save it: an audited disclosure",
        first="kind",
        choices=["minutes", "minutes-summary", "sheets", "blank-sheet", "cohort", "quarterly", "actions",
                 "performance"],  # fmt: skip
    )
    p.add_argument("--out", required=True, help="the PDF to write (it is not encrypted)")
    p.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    p.add_argument("--recipient", required=True, help="who the copy is for (recorded in the audit log)")
    p.add_argument("--why", required=True, help="the justification (recorded in the audit log)")
    p.add_argument("--meeting", type=int, help="meeting id (minutes; sheets for its agenda)")
    p.add_argument("--nominal", action="append", help="nominal ref or id (sheets; repeatable)")
    p.add_argument("--matrix", help="matrix id for a blank sheet")
    p.add_argument("--year", type=int)
    p.add_argument("--quarter", type=int)
    p.add_argument("--since", help="cohort / performance: the period from this date (YYYY-MM-DD)")
    p.add_argument("--until", help="cohort / performance: up to this date (YYYY-MM-DD)")
    p.add_argument("--strand", choices=["P&D", "C&C", "R&R"], help="performance: one strand only")
    p.add_argument("--area", help="performance: one area only")
    p = command(
        "import",
        cmd_import,
        "import nominations, offence counts or convictions from CSV / XLSX (a dry run unless --commit)",
        first="kind",
        choices=["nominations", "offences", "convictions"],
    )
    p.add_argument("file", help="the CSV or .xlsx file")
    p.add_argument("--source", help="who sent it (the column mapping is remembered per source)")
    p.add_argument("--map", action="append", help="FIELD=COLUMN (repeatable), e.g. family_name=Surname")
    p.add_argument("--delimiter", help="what separates cells when detection guessed wrong: , ; tab |")
    p.add_argument("--header-row", type=int, help="the row that names the columns (titles above it)")
    p.add_argument("--commit", action="store_true", help="import (all or nothing) after the dry run")
    p.add_argument("--why", help="the justification for the import (recorded in the audit log)")
    p.add_argument("--same", action="append", help="ROW=NOMINAL_ID: a possible duplicate is this person")
    p.add_argument("--new", action="append", help="ROW: a possible duplicate is a new person")
    p = command(
        "export",
        cmd_export,
        "export a return as CSV: an audited disclosure",
        first="kind",
        choices=["cohort", "removals", "reoffending"],
    )
    p.add_argument("--out", required=True, help="the CSV to write (it is not encrypted)")
    p.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    p.add_argument("--recipient", required=True)
    p.add_argument("--why", required=True)
    p.add_argument("--year", help="reoffending: the cohort year's label, e.g. 2025/26")
    command("transfer-key", cmd_transfer_key, "print this store's public key for transfer packs")
    p = command(
        "transfer-export", cmd_transfer_export, "export cases / an agenda as an encrypted transfer pack"
    )
    p.add_argument("--out", required=True, help="the pack to write")
    p.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    p.add_argument("--nominal", action="append", help="nominal ref or id (repeatable)")
    p.add_argument("--meeting", type=int, help="a meeting: its agenda and everyone on it")
    p.add_argument(
        "--since-last", action="store_true",
        help="what changed since the last exchange with the partner store (and the chosen records)",
    )  # fmt: skip
    p.add_argument("--partner", help="with --since-last: which partner store (default: the latest)")
    p.add_argument(
        "--to-key", help="the receiving store's public key (else a passphrase: PPO_PACK_PASSPHRASE)"
    )
    p.add_argument("--recipient", required=True)
    p.add_argument("--why", required=True)
    p = command("transfer-import", cmd_transfer_import, "open a transfer pack (a dry run unless --commit)")
    p.add_argument("pack")
    p.add_argument("--commit", action="store_true")
    p.add_argument("--why")
    p.add_argument("--same", action="append", help="N=NOMINAL_ID: pack person N is this nominal")
    p.add_argument("--new", action="append", help="N: pack person N is a new person")
    p.add_argument("--keep", action="append", help="N=here|there: which value stands for conflict N")
    p = command("audit-export", cmd_audit_export, "export audit entries as CSV for the DPO (administrators)")
    p.add_argument("--out", required=True)
    p.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    p.add_argument("--recipient", required=True)
    p.add_argument("--why", required=True)
    p.add_argument("--by", help="only this user's entries")
    p.add_argument("--nominal", help="only entries about this nominal (ref or id)")
    p.add_argument(
        "--kind",
        choices=[
            "collection",
            "alteration",
            "consultation",
            "disclosure",
            "combination",
            "erasure",
            "session",
        ],
    )
    p.add_argument("--since", help="YYYY-MM-DD")
    p.add_argument("--until", help="YYYY-MM-DD")
    p = command("backup", cmd_backup, "write an encrypted backup bundle and verify it")
    p.add_argument("--to", required=True, help="the folder for the backup")
    p = command("restore", cmd_restore, "restore a backup bundle as a new store and check it", store=False)
    p.add_argument("bundle")
    p.add_argument("--to", required=True, help="the new store's path (.ppo); never over an existing store")
    p.add_argument("--user")
    p.add_argument("--recovery", action="store_true")
    p.add_argument("--passphrase-fd", type=int)
    p.add_argument("--no-keyring", action="store_true")
    command("passwd", cmd_passwd, "change a passphrase (the old one, or the recovery key, is needed)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "user", None) is None and args.command == "create":
        parser.error("create needs --user (the administrator's user name)")
    try:
        return int(args.fn(args))
    except (VaultError, ServiceError, CliError) as exc:
        print(f"ppo-admin: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("ppo-admin: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, no values
        from ppo_desktop.failures import describe

        print(
            f"ppo-admin: an unexpected error stopped the command ({describe(exc)}); any change in "
            "progress was rolled back. Please report it with the command you ran.",
            file=sys.stderr,
        )
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
