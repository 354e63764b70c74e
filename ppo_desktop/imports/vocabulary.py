"""The headings partners' extracts use for each field, declared as data (resources/imports/headers.toml).

Headings are compared folded ("D.O.B." → "dob", "FORENAME(S)" → "forenames"); a heading the
vocabulary does not know is listed with the nearest field as a suggestion (rapidfuzz), never mapped
silently.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from functools import cache

from rapidfuzz import fuzz, process

from ppo_desktop import paths

SUGGEST = 75  # how alike a heading and a known spelling must be (0–100) to be offered as a suggestion


class VocabularyError(ValueError):
    pass


def fold(text: str) -> str:
    """A heading as compared: lower case, "(s)" as "s", no full stops or apostrophes, marks as spaces."""
    text = text.lower().replace("(s)", "s")
    text = re.sub(r"[.'’]", "", text)
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", text).split())


@cache
def fields(kind: str) -> dict[str, tuple[str, ...]]:
    """Field → the folded headings that mean it, for one kind of import."""
    path = paths.resource("imports", "headers.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path.name}: is not valid TOML ({exc})") from exc
    table = raw.get(kind)
    if not isinstance(table, dict):
        raise VocabularyError(f"{path.name}: has no [{kind}] table")
    out: dict[str, tuple[str, ...]] = {}
    for name, spellings in table.items():
        if not isinstance(spellings, list) or not spellings or not all(isinstance(s, str) for s in spellings):
            raise VocabularyError(f"{path.name}: {kind}.{name}: must be a list of headings")
        out[name] = tuple(dict.fromkeys(fold(s) for s in spellings))
    return out


def guess(vocabulary: Mapping[str, tuple[str, ...]], header: list[str]) -> dict[str, str]:
    """Field → column, for every heading the vocabulary knows (the first column wins a field)."""
    by_fold: dict[str, str] = {}
    for h in header:
        by_fold.setdefault(fold(h), h)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for field_name, spellings in vocabulary.items():
        for s in spellings:
            column = by_fold.get(s)
            if column is not None and column not in taken:
                out[field_name] = column
                taken.add(column)
                break
    return out


def counter(vocabulary: Mapping[str, tuple[str, ...]]) -> Callable[[list[str]], int]:
    """How many cells of a row are known headings (finds the header under a report's title)."""
    known = {s for spellings in vocabulary.values() for s in spellings}
    return lambda cells: sum(1 for c in cells if c and fold(c) in known)


def suggestions(
    vocabulary: Mapping[str, tuple[str, ...]], header: list[str], mapping: Mapping[str, str]
) -> dict[str, str]:
    """Unknown heading → the unmapped field it most resembles (only where it is alike enough)."""
    mapped = set(mapping.values())
    open_fields = {s: f for f, spellings in vocabulary.items() if f not in mapping for s in spellings}
    out: dict[str, str] = {}
    for h in header:
        if not h or h in mapped or not open_fields:
            continue
        found = process.extractOne(fold(h), list(open_fields), scorer=fuzz.WRatio, score_cutoff=SUGGEST)
        if found is not None and open_fields[found[0]] not in out.values():
            out[h] = open_fields[found[0]]
    return out
