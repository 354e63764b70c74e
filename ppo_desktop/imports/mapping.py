"""Which column of a file holds which field: guessed from the header's words, or remembered per
source (each intelligence unit's spreadsheet keeps its own layout month after month)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ppo_desktop.imports.sources import ImportProblem, Source, read_rows
from ppo_desktop.services.workspace import Workspace

Aliases = dict[str, tuple[str, ...]]


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", text.lower()).split())


def guess(fields: Aliases, header: list[str]) -> dict[str, str]:
    by_word = {words(h): h for h in header}
    return {f: by_word[words(s)] for f, spellings in fields.items() for s in spellings if words(s) in by_word}


def mapping_for(ws: Workspace, kind: str, source: str, header: list[str], fields: Aliases) -> dict[str, str]:
    """The mapping remembered for this kind of file from this source, else a guess."""
    remembered = ws.setting(f"import_mapping:{kind}:{source}")
    if remembered:
        saved: dict[str, str] = json.loads(remembered)
        return {k: v for k, v in saved.items() if v in header}
    return guess(fields, header)


def remember(ws: Workspace, kind: str, source: str, mapping: dict[str, str]) -> None:
    with ws.writing():
        ws.db.table("settings").upsert(
            {"key": f"import_mapping:{kind}:{source}", "value": json.dumps(mapping, sort_keys=True)}, pk="key"
        )


def open_mapped(
    ws: Workspace,
    kind: str,
    path: Path,
    source: str,
    columns: dict[str, str] | None,
    fields: Aliases,
    required: tuple[str, ...],
) -> tuple[Source, str, dict[str, str]]:
    """The open file, who sent it, and its column mapping (given, remembered or guessed), checked."""
    rows = read_rows(path)
    source = source or path.stem
    chosen = dict(columns) if columns is not None else mapping_for(ws, kind, source, rows.header, fields)
    if problem := check(path.name, rows.header, chosen, required):
        rows.close()
        raise ImportProblem(problem)
    return rows, source, chosen


def check(name: str, header: list[str], mapping: dict[str, str], required: tuple[str, ...]) -> str | None:
    """A message if the mapping names columns the file lacks or leaves a required field unmapped."""
    unknown = [c for c in mapping.values() if c not in header]
    if unknown:
        return f"{name}: the mapping names column(s) not in row 1: {', '.join(unknown)}."
    missing = [f for f in required if f not in mapping]
    if missing:
        labels = ", ".join(f.replace("_", " ") for f in missing)
        return f"{name}: required column(s) missing: {labels}. Map them to columns of the file."
    return None
