"""What a decision's details start from, from what the app already knows (the rules that lived in
the decision dialog and the console): which strands are offered and which is chosen first, the
expected release date, the authority, and when an action taken at the meeting falls due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import PPO_STRANDS, Basis, DecisionKind, Membership, Nomination, Strand

DEFAULT_AUTHORITY = "Panel agreement"  # what a decision records when no one is named (not a de-selection)
PLACING = (DecisionKind.SELECT, DecisionKind.MOVE_STRAND)  # decisions that place someone on a strand's list
RELEASE_GUESS_YEARS = 3  # an amber-list release date not yet known starts this far ahead


@dataclass(frozen=True)
class DecisionDefaults:
    strands: tuple[Strand, ...]  # offered: a move is to another strand
    strand: Strand | None  # chosen first: the nomination's, when selecting
    basis: Basis | None
    release_on: dt.date
    authority: str


def decision_defaults(
    kind: DecisionKind,
    current: Membership | None,
    day: dt.date,
    nomination: Nomination | None = None,
    placed_by: Mapping[Strand, str] | None = None,
    runs: tuple[Strand, ...] = PPO_STRANDS,
) -> DecisionDefaults:
    """Selecting starts from the nomination's strand and basis; moving offers only the other
    strands; the amber list starts from the release date on record (else the 1st of the month three
    years on); a de-selection names its authority (it starts empty), and so does a selection or move
    where the scheme says who places people on the list (``placed_by``); every other decision starts
    from the panel's agreement."""
    strands = tuple(  # of those the scheme runs (``runs``: the profile's strands)
        s for s in runs if current is None or s is not current.strand or kind is DecisionKind.SELECT
    )
    selecting = nomination is not None and kind is DecisionKind.SELECT
    release = current.release_on if current is not None and current.release_on else None
    named = kind is DecisionKind.DESELECT or bool(placed_by and kind in PLACING)
    return DecisionDefaults(
        strands=strands,
        strand=nomination.strand if selecting and nomination is not None else None,
        basis=nomination.basis if selecting and nomination is not None else None,
        release_on=release or dt.date(day.year + RELEASE_GUESS_YEARS, day.month, 1),
        authority="" if named else DEFAULT_AUTHORITY,
    )


def action_due(held_on: dt.date) -> dt.date:
    """An action's default due date: a month after the meeting (the next meeting looks at it)."""
    return held_on + relativedelta(months=1)
