"""ppo-admin: the headless companion (in the spirit of keepassxc-cli), over the same services.

Passphrases come from a TTY prompt, the PPO_PASSPHRASE / PPO_NEW_PASSPHRASE environment variables,
or ``--passphrase-fd``; never from argv. Errors are one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from db.errors import VaultError
from ppo_desktop.cli.common import EXIT_FAILURE, CliError
from ppo_desktop.cli.dpo import cmd_restrict, cmd_retention, cmd_subject_access
from ppo_desktop.cli.records import (
    cmd_audit_export,
    cmd_document,
    cmd_export,
    cmd_import,
    cmd_matrices,
    cmd_merge_people,
    cmd_score,
)
from ppo_desktop.cli.store import (
    cmd_acknowledge,
    cmd_add_user,
    cmd_backup,
    cmd_create,
    cmd_demo,
    cmd_passwd,
    cmd_rekey,
    cmd_remove_user,
    cmd_restore,
    cmd_slots,
    cmd_users,
    cmd_verify,
)
from ppo_desktop.cli.transfer import cmd_transfer_export, cmd_transfer_import, cmd_transfer_key
from ppo_desktop.domain import Role
from ppo_desktop.services.session import StoreProblem
from ppo_desktop.services.workspace import ServiceError


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
    p = command("verify", cmd_verify, "check the store's integrity, the audit chain and the unlock checks")
    p.add_argument(
        "--witness",
        metavar="HEAD",
        help="a chain head printed on the minutes or a document (e.g. 1234:3f9a0c1d…): "
        "check the store's audit log still holds it",
    )
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
        choices=[
            "minutes",
            "minutes-summary",
            "sheets",
            "blank-sheet",
            "dpia",
            "cohort",
            "quarterly",
            "actions",
            "performance",
        ],  # fmt: skip
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
    p.add_argument("--strand", choices=["P&D", "C&C", "R&R"], help="nominations: for rows with no strand")
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
    p = command("subject-access", cmd_subject_access, "a subject access pack for one person (administrators)")
    p.add_argument("--person", required=True, help="the person's reference or id")
    p.add_argument("--requested-on", required=True, help="the day the request was received (YYYY-MM-DD)")
    p.add_argument("--to", required=True, help="the folder for REF-subject-access.json and .pdf")
    p.add_argument("--force", action="store_true", help="replace files already there")
    p.add_argument("--redact", action="append", help="TEXT=REASON: a third party's words to redact")
    p = command("restrict", cmd_restrict, "record a subject access restriction, s.45(4) (administrators)")
    p.add_argument("--person", required=True, help="the person's reference or id")
    p.add_argument("--ground", required=True, choices=list("abcde"), help="the s.45(4) ground")
    p.add_argument("--withheld", required=True, help="a kind of record (decisions) or one (decisions:12)")
    p.add_argument("--why", required=True, help="why it is necessary and proportionate")
    p.add_argument("--until", help="when it lapses (YYYY-MM-DD)")
    p = command("merge-people", cmd_merge_people, "merge two records that are one person (or undo a merge)")
    p.add_argument("--keep", help="the person to keep (reference or id)")
    p.add_argument("--merge", help="the record whose records move to them")
    p.add_argument("--undo", type=int, metavar="MERGE", help="undo this merge (administrators)")
    p.add_argument("--why", required=True, help="the reason (recorded in the audit log)")
    p = command("retention", cmd_retention, "the retention schedule and what it has due today")
    p.add_argument("--dry-run", action="store_true", help="record that the review was run (administrators)")
    p.add_argument("--set", metavar="CLASS=MONTHS", help="change a class's period (with --source)")
    p.add_argument("--source", help="where the period comes from: a policy paragraph, or 'local choice'")
    p.add_argument("--hold", metavar="PERSON", help="place a legal hold on a person (with --why)")
    p.add_argument("--lift", metavar="PERSON", help="lift a person's legal hold (with --why)")
    p.add_argument("--why", help="the reason for a hold, or for lifting it")
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
    p.add_argument("--trust-fingerprint", help="a first pack: the fingerprint its sender reads out")
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
    from ppo_desktop.partial_files import remove_leftovers

    remove_leftovers()  # partly written outputs a crash left behind (plaintext): gone first
    try:
        return int(args.fn(args))
    except (VaultError, StoreProblem, ServiceError, CliError) as exc:
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
