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
    eligible: bool = True  # meets the strand matrix's own selection threshold (P&D: ASSET > 21 or RoSH)
    why: str = ""  # the threshold's reading, when the matrix states one
    inclusion: str = ""  # the profile's inclusion criteria: met / not met / not known, missing facts named
    scored_on: dt.date | None = None  # the latest sheet's date
    stale: bool = False  # older than the profile's re-scoring window: it ranks, and says so
    by_entry_rule: bool = False  # ``eligible`` reads an IOM cohort's entry rule, not a matrix's threshold


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
    minimum: int = 0
    line_note: str = ""  # how the capacity line was drawn, with its source
    stale_note: str = ""  # the re-scoring window, with its source (empty: the profile states none)
    group_notes: tuple[str, ...] = ()  # strands counted together: what they hold against their limits

    @property
    def stale(self) -> list[PoolEntry]:
        """People ranked on a sheet older than the profile's re-scoring window."""
        return [r.entry for r in self.rows if r.entry.stale]

    @property
    def eligible(self) -> int:
        return sum(1 for r in self.rows if r.entry.eligible and r.entry.total is not None)

    @property
    def shortfall(self) -> int:
        """How many short of the minimum the eligible pool is (never made up with ineligible people)."""
        return max(0, self.minimum - min(self.eligible, self.capacity))

    @property
    def members_below_line(self) -> list[PoolEntry]:
        """Current members who would lose their place to a higher score if the panel followed the
        ranking (members below the strand's threshold are listed apart: ``members_below_threshold``)."""
        return [r.entry for r in self.rows if r.entry.is_member and not r.above_line and r.entry.eligible]

    @property
    def members_below_threshold(self) -> list[PoolEntry]:
        """Current members whose latest sheet no longer meets the strand's threshold."""
        scored = [r.entry for r in self.rows if r.entry.is_member and r.entry.total is not None]
        return [e for e in scored if not e.eligible]

    @property
    def candidates_above_line(self) -> list[PoolEntry]:
        """Candidates whose score would earn a place within capacity."""
        return [r.entry for r in self.rows if not r.entry.is_member and r.above_line]


def rank(pool: Sequence[PoolEntry], capacity: int, minimum: int = 0) -> Ranking:
    """Eligible people by highest total first; then those below the strand's threshold; unscored
    people last; ties by earlier date, then reference. Only eligible, scored people are within
    capacity."""
    ordered = sorted(pool, key=lambda e: (e.total is None, not e.eligible, -(e.total or 0.0), e.since, e.ref))
    rows = tuple(
        RankedEntry(i + 1, e, above_line=i < capacity and e.total is not None and e.eligible)
        for i, e in enumerate(ordered)
    )
    return Ranking(rows, capacity, minimum=minimum)
