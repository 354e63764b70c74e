"""Reading a spreadsheet someone sent: CSV (any common dialect, UTF-8) or XLSX, row by row.

Real extracts come as Excel and case systems save them: a byte-order mark, ``;`` ``,`` tab or ``|``
between cells, Windows line ends, a cell with a line break inside quotes, a report title and a run
date above the header, blank lines anywhere, a totals row at the end. Each is handled and, where the
reading involved a choice (the delimiter, the header row, a row left out), the choice is written in
``Source.notes`` with how to override it.

Rows stream (a 200,000-row file is never held whole, and a line is never read past
``MAX_LINE``); every problem names the row and, where it can, the column. Cell text is kept exactly
as written: a cell such as ``=cmd|' /C calc'!A0`` is stored as text and neutralised on any export
(ppo_desktop.spreadsheet).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from db import zip_limits
from ppo_desktop.i18n import _

MAX_SNIFF = 64 * 1024
MAX_LINE = 1 << 20  # no real row is a megabyte long; a file that is one line is refused, not read whole
HEADER_SEARCH = 10  # the header is looked for among the first rows (titles and run dates above it)
DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
TOTALS = re.compile(r"^\s*(grand\s+)?(totals?|count|sum|number of (rows|records))\b", re.IGNORECASE)


class ImportProblem(ValueError):
    """A file that cannot be read as it stands; ``str()`` tells the person what and where."""


@dataclass(frozen=True)
class Reading:
    """How to read a file where detection should not decide (``--delimiter``, ``--header-row``)."""

    delimiter: str | None = None
    header_row: int | None = None


class SourceRow(NamedTuple):
    number: int  # the row as the person sees it in their spreadsheet (blank rows count)
    cells: dict[str, str]


@dataclass
class Source:
    """An open file: its header, and its rows as a stream. Use it in a ``with`` block."""

    header: list[str]
    rows: Iterator[SourceRow]
    close: Callable[[], None]
    notes: list[str] = field(default_factory=list)  # what the reading assumed or left out
    header_row: int = 1

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_rows(
    path: Path, reading: Reading | None = None, looks_like_header: Callable[[list[str]], int] | None = None
) -> Source:
    """The header, and the rows after it as a stream (the file stays open until closed).

    ``looks_like_header(cells)`` counts the cells that name a known field: it finds the header
    under a title."""
    reading = reading or Reading()
    if not path.is_file():
        raise ImportProblem(_("{name}: there is no such file.").format(name=path.name))
    if path.stat().st_size == 0:
        raise ImportProblem(_("{name}: the file is empty.").format(name=path.name))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path, reading, looks_like_header)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv(path, reading, looks_like_header)
    raise ImportProblem(_("{name}: only CSV and Excel (.xlsx) files can be imported.").format(name=path.name))


# -- CSV ------------------------------------------------------------------------------------------
def _csv(path: Path, reading: Reading, looks_like_header: Callable[[list[str]], int] | None) -> Source:
    sample = _sample(path)
    notes: list[str] = []
    if reading.delimiter is not None:
        if len(reading.delimiter) != 1:
            raise ImportProblem(
                _("{name}: the delimiter is one character (e.g. ';' or 'tab').").format(name=path.name)
            )
        dialect = _dialect(reading.delimiter)
        notes.append(f"Cells are separated by {_named(reading.delimiter)}, as you said.")
    else:
        dialect, sure = _detect(sample)
        if not sure:
            notes.append(
                f"Assumed cells are separated by {_named(dialect.delimiter)}; if that is wrong, say which "
                "(--delimiter, or the Delimiter box)."
            )
    text = io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(_lines(text, path), dialect)
    numbered = _numbered(reader, path)
    try:
        header, header_row, skipped, read_ahead = _find_header(
            path, numbered, reading.header_row, looks_like_header
        )
    except BaseException:
        text.close()
        raise
    notes.extend(_header_notes(header_row, skipped, reading.header_row))
    return Source(
        header, _data_rows(path, header, read_ahead, numbered, notes), text.close, notes, header_row
    )


def _sample(path: Path) -> str:
    with path.open("rb") as raw:
        head = raw.read(MAX_SNIFF)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportProblem(
            _("{name}: the file is UTF-16 text; save it as 'CSV UTF-8' and try again.").format(name=path.name)
        )
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Sniff the valid part: a character cut at the sample's end, or a bad byte whose row
        # is named when the file is read.
        return head[: exc.start].decode("utf-8-sig")


def _dialect(delimiter: str, quotechar: str = '"') -> csv.Dialect:
    class Read(csv.excel):
        pass

    Read.delimiter = delimiter
    Read.quotechar = quotechar
    return Read()


def _detect(sample: str) -> tuple[csv.Dialect, bool]:
    """The delimiter whose rows agree best on their number of cells (blank lines left out, quoted
    line breaks respected); csv.Sniffer's guess is taken when it agrees. Returns (dialect, sure)."""
    body = sample[: sample.rfind("\n") + 1] or sample  # the last line may be cut short
    scores = {d: _consistency(body, d) for d in DELIMITERS}
    try:
        sniffed: str | None = (
            csv.Sniffer()
            .sniff("\n".join(ln for ln in body.splitlines() if ln.strip()), delimiters=DELIMITERS)
            .delimiter
        )
    except csv.Error:
        sniffed = None
    best = max(scores, key=lambda d: scores[d])
    if sniffed in scores and scores[sniffed] >= scores[best]:
        best = sniffed
    ranked = sorted(scores.values(), reverse=True)
    sure = ranked[0] > 0 and (len(ranked) < 2 or ranked[1] < ranked[0] * 0.5) and best == (sniffed or best)
    return _dialect(best), sure


def _consistency(body: str, delimiter: str) -> float:
    """How well ``delimiter`` splits the sample: the share of rows with the usual number of cells,
    weighted by that number (one cell per row scores nothing)."""
    try:
        widths = [
            len(r) for r in csv.reader(io.StringIO(body), _dialect(delimiter)) if any(c.strip() for c in r)
        ]
    except csv.Error:
        return 0.0
    if not widths:
        return 0.0
    usual, times = Counter(widths).most_common(1)[0]
    return 0.0 if usual < 2 else (times / len(widths)) * min(usual, 20)


def _named(delimiter: str) -> str:
    return DELIMITER_NAMES.get(delimiter, repr(delimiter))


def _lines(text: IO[str], path: Path) -> Iterator[str]:
    """The file's lines, none longer than MAX_LINE (read in bounded pieces, never whole)."""
    number = 0
    while True:
        line = text.readline(MAX_LINE)
        if not line:
            return
        number += 1
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            raise ImportProblem(
                _(
                    "{name}: line {number} is longer than {value} KB; this is not a spreadsheet of rows "
                    "(is it the right file?)."
                ).format(name=path.name, number=number, value=MAX_LINE // 1024)
            )
        yield line


def _numbered(reader: Iterable[list[str]], path: Path, start: int = 1) -> Iterator[tuple[int, list[str]]]:
    number = start - 1
    try:
        for number, cells in enumerate(reader, start=start):  # noqa: B007 - used after the loop
            yield number, cells
    except csv.Error as exc:
        raise ImportProblem(
            _("{name}: row {value} cannot be read ({exc}).").format(name=path.name, value=number + 1, exc=exc)
        ) from None


def _find_header(
    path: Path,
    rows: Iterator[tuple[int, list[str]]],
    given: int | None,
    looks_like_header: Callable[[list[str]], int] | None,
) -> tuple[list[str], int, list[int], list[tuple[int, list[str]]]]:
    """(header cells, its row number, the rows above it left out, the rows after it already read).
    The header is the row given, else the first of the first rows that names known fields, else the
    first row with several cells."""
    seen: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        _check_text(path, number, cells)
        seen.append((number, [c.strip() for c in cells]))
        if given is not None and number >= given:
            break
        if given is None and len(seen) >= HEADER_SEARCH:
            break
    if not seen:
        raise ImportProblem(_("{name}: the file has no header row.").format(name=path.name))
    if given is not None:
        if seen[-1][0] != given:
            raise ImportProblem(
                _("{name}: there is no row {given} to take as the header.").format(
                    name=path.name, given=given
                )
            )
        chosen = len(seen) - 1
    else:
        chosen = _header_index(seen, looks_like_header)
    number, header = seen[chosen]
    _check_header(path, header, number)
    skipped = [n for n, cells in seen[:chosen] if any(cells)]
    return header, number, skipped, seen[chosen + 1 :]


def _header_index(
    seen: list[tuple[int, list[str]]], looks_like_header: Callable[[list[str]], int] | None
) -> int:
    filled = [sum(1 for c in cells if c) for _n, cells in seen]
    if looks_like_header is not None:
        known = [looks_like_header(cells) for _n, cells in seen]
        if max(known) >= 2:
            return known.index(max(known))
    widest = max(filled)
    if widest == 0:
        return 0  # nothing but blank rows: refused as a blank header
    for i, n in enumerate(filled):
        if n >= 2 and n >= widest * 0.6:
            return i
    return next(i for i, n in enumerate(filled) if n)


def _header_notes(header_row: int, skipped: list[int], given: int | None) -> list[str]:
    if given is not None:
        return [f"The header is row {header_row}, as you said."] if header_row != 1 else []
    if header_row == 1:
        return []
    left = ""
    if skipped:
        above = f"row {skipped[0]} was" if len(skipped) == 1 else f"rows {skipped[0]}–{skipped[-1]} were"
        left = f" ({above} left out: a title or run date above it)"
    return [f"The header is row {header_row}{left}; if that is wrong, say which row (--header-row)."]


def _data_rows(
    path: Path,
    header: list[str],
    read_ahead: list[tuple[int, list[str]]],
    rows: Iterator[tuple[int, list[str]]],
    notes: list[str],
) -> Iterator[SourceRow]:
    """The rows after the header: blank ones skipped wherever they are, a totals row left out (and
    noted), every other row given with its own number."""
    for number, cells in itertools.chain(read_ahead, rows):
        if not any(cells):
            continue
        stripped = [c.strip() for c in cells]
        if not any(stripped):
            continue
        _check_text(path, number, cells)
        if _is_totals(stripped):
            notes.append(f"Row {number} looks like a totals row and was left out.")
            continue
        yield SourceRow(number, dict(zip(header, stripped, strict=False)))


def _is_totals(cells: list[str]) -> bool:
    """'Total' (or 'Count', 'Grand total'…) first, and nothing but numbers after it."""
    filled = [c for c in cells if c]
    return (
        filled[0][0] in "tTcCgGsSnN"
        and bool(TOTALS.match(filled[0]))
        and all(c.replace(",", "").replace(".", "").isdigit() for c in filled[1:])
    )


def _check_text(path: Path, number: int, cells: list[str]) -> None:
    """A byte that is not UTF-8 is named with its own row and column (surrogate-escaped on reading)."""
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        column = next(i for i, c in enumerate(cells) if _not_utf8(c)) + 1
        raise ImportProblem(
            _(
                "{name}: row {number}, column {column} is not UTF-8 text; save the file as 'CSV UTF-8' and "
                "try again."
            ).format(name=path.name, number=number, column=column)
        ) from None


def _not_utf8(cell: str) -> bool:
    try:
        cell.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# -- Excel ----------------------------------------------------------------------------------------
# A workbook is a zip of XML: read only within these (a real one unpacks to 5–20 times its size).
XLSX_MAX_UNPACKED = 256 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_MAX_PARTS = 2_000


def _xlsx(path: Path, reading: Reading, looks_like_header: Callable[[list[str]], int] | None) -> Source:
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    unreadable = (
        zipfile.BadZipFile,
        zlib.error,
        ParseError,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        EOFError,
    )
    try:
        zip_limits.check(
            path, max_total=XLSX_MAX_UNPACKED, max_ratio=XLSX_MAX_RATIO, max_members=XLSX_MAX_PARTS
        )
    except zip_limits.NotAZip:
        raise ImportProblem(
            _("{name}: is not a readable Excel workbook (BadZipFile).").format(name=path.name)
        ) from None
    except zip_limits.ZipRefused as exc:
        raise ImportProblem(str(exc)) from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        stream = sheet.iter_rows(values_only=True)
    except unreadable as exc:
        raise ImportProblem(
            _("{name}: is not a readable Excel workbook ({name__}).").format(
                name=path.name, name__=type(exc).__name__
            )
        ) from None

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(stream, start=1):
                yield number, [_text(v) for v in values]
        except unreadable as exc:
            raise ImportProblem(
                _("{name}: part of the workbook cannot be read ({name__}).").format(
                    name=path.name, name__=type(exc).__name__
                )
            ) from None

    rows = numbered()
    try:
        if reading.delimiter is not None:
            raise ImportProblem(
                _("{name}: a workbook has no delimiter; leave --delimiter out.").format(name=path.name)
            )
        header, header_row, skipped, read_ahead = _find_header(
            path, rows, reading.header_row, looks_like_header
        )
    except BaseException:
        book.close()
        raise
    notes = _header_notes(header_row, skipped, reading.header_row)
    return Source(header, _data_rows(path, header, read_ahead, rows, notes), book.close, notes, header_row)


def sha256(path: Path) -> str:
    """The file's fingerprint, recorded with an import so the very file can be identified later."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _text(value: object) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_header(path: Path, header: list[str], number: int = 1) -> None:
    if not any(header):
        raise ImportProblem(
            _("{name}: row {number} should name the columns, but it is blank.").format(
                name=path.name, number=number
            )
        )
    seen = set()
    for name in header:
        if name and name.lower() in seen:
            raise ImportProblem(
                _("{name}: the column {name2!r} appears twice in row {number}.").format(
                    name=path.name, name2=name, number=number
                )
            )
        seen.add(name.lower())
