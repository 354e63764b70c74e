"""Reading a spreadsheet someone sent: CSV (any common dialect, UTF-8) or XLSX, row by row.

Rows stream (a 200,000-row file is never held whole); every problem names the row and, where it
can, the column. Cell text is kept exactly as written: a cell such as ``=cmd|' /C calc'!A0`` is
stored as text and neutralised on any export (ppo_desktop.spreadsheet).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_SNIFF = 64 * 1024


class ImportProblem(ValueError):
    """A file that cannot be read as it stands; ``str()`` tells the person what and where."""


@dataclass(frozen=True)
class SourceRow:
    number: int  # the row as the person sees it in their spreadsheet (the header is row 1)
    cells: dict[str, str]


@dataclass
class Source:
    """An open file: its header, and its rows as a stream. Use it in a ``with`` block."""

    header: list[str]
    rows: Iterator[SourceRow]
    close: Callable[[], None]

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_rows(path: Path) -> Source:
    """The header, and the rows after it as a stream (the file stays open until closed)."""
    if not path.is_file():
        raise ImportProblem(f"{path.name}: there is no such file.")
    if path.stat().st_size == 0:
        raise ImportProblem(f"{path.name}: the file is empty.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv(path)
    raise ImportProblem(f"{path.name}: only CSV and Excel (.xlsx) files can be imported.")


def _csv(path: Path) -> Source:
    with path.open("rb") as raw:
        head = raw.read(MAX_SNIFF)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportProblem(f"{path.name}: the file is UTF-16 text; save it as 'CSV UTF-8' and try again.")
    try:
        sample = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sample's end
            line = head[: exc.start].count(b"\n") + 1
            raise ImportProblem(
                f"{path.name}: row {line} is not UTF-8 text (byte {head[exc.start]:#04x}); "
                "save the file as 'CSV UTF-8' and try again."
            ) from None
        sample = head[: exc.start].decode("utf-8-sig")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    text = io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, dialect)
    try:
        header = [h.strip() for h in next(reader)]
        _check_header(path, header)
    except ImportProblem:
        text.close()
        raise
    except StopIteration:
        text.close()
        raise ImportProblem(f"{path.name}: the file has no header row.") from None
    except UnicodeDecodeError:
        text.close()
        raise ImportProblem(f"{path.name}: row 1 is not UTF-8 text; save it as 'CSV UTF-8'.") from None

    def rows() -> Iterator[SourceRow]:
        number = 1
        try:
            for number, cells in enumerate(reader, start=2):  # noqa: B007 - used after the loop
                if any(c.strip() for c in cells):
                    yield SourceRow(number, dict(zip(header, (c.strip() for c in cells), strict=False)))
        except UnicodeDecodeError:
            raise ImportProblem(
                f"{path.name}: row {number + 1} is not UTF-8 text; save the file as 'CSV UTF-8' and try again"
            ) from None
        except csv.Error as exc:
            raise ImportProblem(f"{path.name}: row {number + 1} cannot be read ({exc}).") from None

    return Source(header, rows(), text.close)


def _xlsx(path: Path) -> Source:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportProblem(f"{path.name}: is not a readable Excel workbook ({exc}).") from None
    sheet = book.worksheets[0]
    stream = sheet.iter_rows(values_only=True)
    first = next(stream, None)
    if first is None:
        book.close()
        raise ImportProblem(f"{path.name}: the first sheet is empty.")
    header = [_text(c).strip() for c in first]
    try:
        _check_header(path, header)
    except ImportProblem:
        book.close()
        raise

    def rows() -> Iterator[SourceRow]:
        for number, values in enumerate(stream, start=2):
            cells = [_text(v).strip() for v in values]
            if any(cells):
                yield SourceRow(number, dict(zip(header, cells, strict=False)))

    return Source(header, rows(), book.close)


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


def _check_header(path: Path, header: list[str]) -> None:
    if not any(header):
        raise ImportProblem(f"{path.name}: row 1 should name the columns, but it is blank.")
    seen = set()
    for name in header:
        if name and name.lower() in seen:
            raise ImportProblem(f"{path.name}: the column {name!r} appears twice in row 1.")
        seen.add(name.lower())
