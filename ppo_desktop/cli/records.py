"""ppo-admin: the records — scoring, documents, imports and exports, the audit log."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ppo_desktop.cli.common import (
    DELIMITER_WORDS,
    CliError,
    decisions_of,
    need,
    nominal_id_of,
    opened,
    out_path,
    period_of,
    write_out,
)


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

    out = out_path(args, ".pdf")
    with opened(args) as ws:
        docs = Documents(ws)
        if args.kind in ("minutes", "minutes-summary"):
            doc = docs.minutes(need(args.meeting, "--meeting"), summary=args.kind == "minutes-summary")
        elif args.kind == "sheets":
            doc = (
                docs.agenda_sheets(args.meeting)
                if args.meeting
                else docs.scoring_sheets([nominal_id_of(ws, r) for r in need(args.nominal, "--nominal")])
            )
        elif args.kind == "blank-sheet":
            doc = docs.blank_sheet(args.matrix)
        elif args.kind == "cohort":
            doc = docs.cohort(
                dt.date.fromisoformat(args.since) if args.since else None,
                dt.date.fromisoformat(args.until) if args.until else None,
            )
        elif args.kind == "quarterly":
            doc = docs.quarterly(need(args.year, "--year"), need(args.quarter, "--quarter"))
        elif args.kind == "performance":
            doc = docs.performance(Performance(ws).report(period_of(ws, args)))
        elif args.kind == "dpia":
            doc = docs.dpia()
        else:
            doc = docs.action_tracker()
        docs.disclose(doc, how=f"saved to {out}", recipient=args.recipient, justification=args.why)
        write_out(args, out, doc.pdf)
    print(f"wrote {out} ({len(doc.pdf):,} bytes): {doc.title}")
    print(
        "note: the PDF is not encrypted; keep it as OFFICIAL-SENSITIVE and delete it when done",
        file=sys.stderr,
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """A dry run of a file (every row's fate); with --commit, the import itself, all or nothing."""
    from ppo_desktop.domain import Strand
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
    decisions = decisions_of(args)
    with opened(args) as ws:
        strand = Strand(args.strand) if getattr(args, "strand", None) else None
        importer = NominationImport(ws, strand) if args.kind == "nominations" else CountsImport(ws, args.kind)
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
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """A return as CSV (cohort, removals, a year's re-offending cohort): an audited disclosure."""
    from ppo_desktop.services.exports import Exports

    out = out_path(args)
    with opened(args) as ws:
        data = Exports(ws).export(
            args.kind,
            how=f"saved to {out}",
            recipient=args.recipient,
            justification=args.why,
            year_label=args.year or "",
        )
        write_out(args, out, data)
    print(f"wrote {out} ({len(data):,} bytes)")
    print(
        "note: the CSV is not encrypted; keep it as OFFICIAL-SENSITIVE and delete it when done",
        file=sys.stderr,
    )
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    """The audit log (filtered) as CSV for the data protection officer: an audited disclosure."""
    import datetime as dt

    from ppo_desktop.services.documents import Documents

    out = out_path(args, ".csv")
    with opened(args) as ws:
        docs = Documents(ws)
        nominal = nominal_id_of(ws, args.nominal) if args.nominal else None
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
        write_out(args, out, data)
    entries = len(data.splitlines()) - 2  # less the title and header rows
    print(f"wrote {out} ({entries} entries)")
    print(
        "note: the CSV is not encrypted; keep it as OFFICIAL-SENSITIVE and delete it when done",
        file=sys.stderr,
    )
    return 0


def cmd_merge_people(args: argparse.Namespace) -> int:
    """Two records that are one person: --merge REF's records become --keep REF's (or --undo a merge)."""
    from ppo_desktop.services.person_merge import PersonMerge

    with opened(args) as ws:
        merge = PersonMerge(ws)
        if args.undo is not None:
            merge.undo(args.undo, justification=args.why)
            print(f"merge {args.undo} undone: the merged person is a person again")
            return 0
        if not args.keep or not args.merge:
            raise CliError("Name the person to keep (--keep) and the record to merge into them (--merge).")
        merge.merge(nominal_id_of(ws, args.keep), nominal_id_of(ws, args.merge), justification=args.why)
        done = merge.merges()[0]
    print(f"merged {args.merge} into {args.keep} (merge {done.id}; --undo {done.id} undoes it)")
    return 0
