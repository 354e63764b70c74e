"""Cells bound for a spreadsheet: CSV in the Excel dialect (standard library), every cell neutralised
against formula injection (OWASP: a leading quote), numbers left as numbers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise(value: object) -> str:
    """Text a spreadsheet will never run as a formula; a plain number such as -2.75 stays a number."""
    text = "" if value is None else str(value)
    if NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accented and non-Latin names correctly."""
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel")
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
