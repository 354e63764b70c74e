"""Which column of a file holds which field: guessed from the header's words, or remembered per
source (each intelligence unit's spreadsheet keeps its own layout month after month)."""

from __future__ import annotations

import json
from pathlib import Path

from ppo_desktop.imports import vocabulary
from ppo_desktop.imports.sources import ImportProblem, Reading, Source, read_rows
from ppo_desktop.imports.vocabulary import fold as words
from ppo_desktop.imports.vocabulary import guess
from ppo_desktop.services.workspace import Workspace

Aliases = dict[str, tuple[str, ...]]
__all__ = ["Aliases", "check", "guess", "mapping_for", "open_mapped", "remember", "words"]


def mapping_for(ws: Workspace, kind: str, source: str, header: list[str], fields: Aliases) -> dict[str, str]:
    """The mapping remembered for this kind of file from this source, else a guess."""
    remembered = ws.setting(f"import_mapping:{kind}:{source}")
    if remembered:
        saved: dict[str, str] = json.loads(remembered)
        return {k: v for k, v in saved.items() if v in header}
    return guess(fields, header)


def remember(ws: Workspace, kind: str, source: str, mapping: dict[str, str]) -> None:
    """Keep the mapping for the next file of this kind from this source (inside the import's own
    transaction, whose audit entry names the mapping)."""
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
    reading: Reading | None = None,
) -> tuple[Source, str, dict[str, str]]:
    """The open file, who sent it, and its column mapping (given, remembered or guessed), checked.
    Headings nobody knows are noted on the source with the field each may be."""
    rows = read_rows(path, reading, vocabulary.counter(fields))
    source = source or path.stem
    chosen = dict(columns) if columns is not None else mapping_for(ws, kind, source, rows.header, fields)
    hints = vocabulary.suggestions(fields, rows.header, chosen)
    if problem := check(path.name, rows.header, chosen, required, hints):
        rows.close()
        raise ImportProblem(problem)
    unused = [h for h in rows.header if h and h not in chosen.values()]
    if unused:
        rows.notes.append(f"Column(s) not imported: {_listed(unused, hints)}.")
    return rows, source, chosen


def check(
    name: str,
    header: list[str],
    mapping: dict[str, str],
    required: tuple[str, ...],
    hints: dict[str, str] | None = None,
) -> str | None:
    """A message if the mapping names columns the file lacks or leaves a required field unmapped
    (with the file's headings that may be them)."""
    unknown = [c for c in mapping.values() if c not in header]
    if unknown:
        return f"{name}: the mapping names column(s) not in the header: {', '.join(unknown)}."
    missing = [f for f in required if f not in mapping]
    if missing:
        labels = ", ".join(f.replace("_", " ") for f in missing)
        maybe = {h: f for h, f in (hints or {}).items() if f in missing}
        offer = f" Perhaps: {_listed(list(maybe), maybe)}." if maybe else ""
        return f"{name}: required column(s) missing: {labels}. Map them to columns of the file.{offer}"
    return None


def _listed(headings: list[str], hints: dict[str, str]) -> str:
    """Headings, each with the field it may be: "'Forename' (given names? --map given_names='Forename')"."""
    return ", ".join(
        f"{h!r} ({hints[h].replace('_', ' ')}? --map {hints[h]}={h!r})" if h in hints else repr(h)
        for h in headings
    )
