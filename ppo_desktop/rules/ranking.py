"""Ranking the pool (002 §4.5): candidates and the current cohort of a strand scored together,
ranked by one rule, with the capacity line drawn and the people who would change places named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

TIE_BREAK = "equal scores: earlier nomination or selection date first, then reference number"


@dataclass(frozen=True)
class PoolEntry:
    nominal_id: int
    ref: str
    name: str
    total: float | None  # latest sheet total; None = not yet scored
    is_member: bool  # already on the strand (else a candidate)
    since: dt.date  # selection date for members, nomination date for candidates
    draft: bool = False  # the total comes from a draft sheet


@dataclass(frozen=True)
class RankedEntry:
    rank: int
    entry: PoolEntry
    above_line: bool


@dataclass(frozen=True)
class Ranking:
    rows: tuple[RankedEntry, ...]
    capacity: int
    tie_break: str = TIE_BREAK

    @property
    def members_below_line(self) -> list[PoolEntry]:
        """Current members who would lose their place if the panel followed the ranking."""
        return [r.entry for r in self.rows if r.entry.is_member and not r.above_line]

    @property
    def candidates_above_line(self) -> list[PoolEntry]:
        """Candidates whose score would earn a place within capacity."""
        return [r.entry for r in self.rows if not r.entry.is_member and r.above_line]


def rank(pool: Sequence[PoolEntry], capacity: int) -> Ranking:
    """Highest total first; unscored people last; ties by earlier date, then reference."""
    ordered = sorted(pool, key=lambda e: (e.total is None, -(e.total or 0.0), e.since, e.ref))
    rows = tuple(
        RankedEntry(i + 1, e, above_line=i < capacity and e.total is not None) for i, e in enumerate(ordered)
    )
    return Ranking(rows, capacity)
