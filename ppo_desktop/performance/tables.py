"""The figures as tables: one shape for the dashboard, the printed report and the CSV exports.

Tables that count people by a protected characteristic are marked ``small_numbers``: anything
that leaves the app (print, PDF, CSV) shows counts of 1–4 as "<5". Where a total would give a
suppressed count away (the only hidden cell in its column), the next smallest count in that
column is hidden as well — the usual secondary suppression of official statistics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ppo_desktop import spreadsheet
from ppo_desktop.i18n import _, format_date
from ppo_desktop.performance.ceiling import plain

SMALL = "<5"
THRESHOLD = 5
WIDE = 8  # a table with more columns than this reads better turned: one column per record

Cell = str | int | float | Decimal | dt.date | None


@dataclass(frozen=True)
class Table:
    key: str  # a short name for files: "capacity", "equality-gender"
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    small_numbers: bool = False  # counts of people: suppressed below 5 when disclosed
    total_row: bool = False  # the last row sums the ones above it
    population: int | None = None  # the column counting each row's people: a row of fewer than 5
    # discloses none of its figures (a mean of one person's scores is that person's score)

    def text(self) -> list[list[str]]:
        return [[cell_text(c) for c in row] for row in self.rows]

    def disclosed(self) -> Table:
        """The table as it may leave the app (printed, saved, exported)."""
        if not self.small_numbers:
            return self
        rows = suppress(self.rows, self.total_row)
        if self.population is not None:
            few = [_small(raw[self.population]) for raw in self.rows]
            rows = tuple(
                tuple(c if j == 0 or c is None else SMALL for j, c in enumerate(row)) if hidden else row
                for row, hidden in zip(rows, few, strict=True)
            )
        return replace(self, rows=rows)

    def csv(self) -> bytes:
        shown = self.disclosed().shown()
        return spreadsheet.to_csv([[shown.title], list(shown.columns), *shown.text()])

    def shown(self) -> Table:
        """The table in the reader's language: the figures build it from labels kept in English (N_,
        which the code compares and looks columns up by), and what is shown says them through ``_``."""
        return replace(
            self,
            title=_(self.title),
            columns=tuple(_(c) for c in self.columns),
            rows=tuple(tuple(_(c) if isinstance(c, str) else c for c in row) for row in self.rows),
            note=_(self.note) if self.note else "",
        )

    def grid(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows to show: wide tables turned so each record is a column, the measures
        down the side (a 13" screen and a portrait page both read them without scrolling)."""
        cells = self.text()
        if len(self.columns) <= WIDE or not cells:
            return list(self.columns), cells
        return [self.columns[0], *(r[0] for r in cells)], [
            [name, *(r[i] for r in cells)] for i, name in enumerate(self.columns) if i
        ]

    def column(self, name: str) -> list[Cell]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


def cell_text(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def suppress(rows: Sequence[tuple[Cell, ...]], total_row: bool) -> tuple[tuple[Cell, ...], ...]:
    """Counts of 1–4 become "<5"; then, column by column, a lone hidden count beside a total
    is joined by the next smallest count, so it cannot be worked out by subtraction."""
    body = [list(r) for r in (rows[:-1] if total_row else rows)]
    hidden = {(i, j) for i, r in enumerate(body) for j, c in enumerate(r) if _small(c)}
    if total_row and body:
        for j in range(len(body[0])):
            in_column = [i for i in range(len(body)) if (i, j) in hidden]
            if len(in_column) == 1:
                others = [
                    (value, i)
                    for i in range(len(body))
                    if (i, j) not in hidden
                    and isinstance(value := body[i][j], int)
                    and not isinstance(value, bool)
                    and value > 0
                ]
                if others:
                    hidden.add((min(others)[1], j))
    for i, j in hidden:
        body[i][j] = SMALL
    out = [tuple(r) for r in body]
    if total_row:
        out.append(tuple(SMALL if _small(c) else c for c in rows[-1]))
    return tuple(out)


def _small(value: Cell) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str  # "line", "bar" or "stacked"
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    reference: tuple[str, float] | None = None  # a level drawn across: baseline, allowance, maximum

    def shown(self) -> Chart:
        """The chart in the reader's language (as ``Table.shown``)."""
        return replace(
            self,
            title=_(self.title),
            categories=tuple(_(c) for c in self.categories),
            series=tuple((_(name), values) for name, values in self.series),
            reference=(_(self.reference[0]), self.reference[1]) if self.reference else None,
        )
