"""A person's time on the scheme: the one model the review rules count from.

A *period* on the scheme is a continuous run of strand spells (any strand, lead or parallel): a move
from C&C to R&R, or an escalation from P&D to C&C, keeps the period going; a de-selection ends it;
a later selection starts a new one (a re-selection). The two-year review (002 item 5) and the six
months without arrest or intelligence (002 item 1) count from the period, and are settled only by a
decision that reviews (``DecisionKind.reviews``): deferring, or a decision later undone, settles
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import Decision, Membership, Nominal, Sentence

REVIEWING = "retain, move strand, de-select, amber list or IOM cohort (deferring does not settle it)"
RESELECTION_FLAG_MONTHS = 12  # local choice: a re-selection this soon after leaving is worth a flag


@dataclass(frozen=True)
class Period:
    """A continuous time on the scheme."""

    started_on: dt.date
    ended_on: dt.date | None  # None while on the scheme
    spells: tuple[Membership, ...]

    @property
    def current(self) -> bool:
        return self.ended_on is None


def periods(spells: Iterable[Membership]) -> list[Period]:
    """Spells joined into periods, oldest first. A spell starting on or before the day the period so
    far ends (or while it is still open) continues it."""
    out: list[Period] = []
    for spell in sorted(spells, key=lambda m: (m.added_on, m.id)):
        if out and (out[-1].ended_on is None or spell.added_on <= out[-1].ended_on):
            last = out[-1]
            joined = (*last.spells, spell)
            ends = [m.removed_on for m in joined]
            out[-1] = Period(last.started_on, None if None in ends else max(e for e in ends if e), joined)
        else:
            out.append(Period(spell.added_on, spell.removed_on, (spell,)))
    return out


@dataclass(frozen=True)
class History:
    """What the rules need to know of one person besides their current spell."""

    nominal: Nominal
    periods: tuple[Period, ...]
    reviewed_on: tuple[dt.date, ...]  # days of decisions that review, undone ones left out
    sentence: Sentence | None = None  # the latest recorded custodial sentence

    @property
    def period(self) -> Period | None:
        """The current period on the scheme, if the person is on it."""
        return self.periods[-1] if self.periods and self.periods[-1].current else None

    @property
    def reselection(self) -> Period | None:
        """The period before the current one, when the current one is a re-selection."""
        return self.periods[-2] if self.period is not None and len(self.periods) > 1 else None

    @property
    def soon_reselected(self) -> bool:
        """Re-selected within 12 months of leaving the scheme (a flag, not a rule)."""
        before, now = self.reselection, self.period
        if before is None or now is None or before.ended_on is None:
            return False
        return now.started_on < before.ended_on + relativedelta(months=RESELECTION_FLAG_MONTHS)

    def reviewed_since(self, day: dt.date) -> dt.date | None:
        """The latest reviewing decision on or after ``day``."""
        later = [d for d in self.reviewed_on if d >= day]
        return max(later) if later else None

    def two_year_review_due(self) -> dt.date | None:
        """When the two-year review (002 item 5) falls due, or None if settled or off the scheme."""
        period = self.period
        if period is None:
            return None
        due = period.started_on + relativedelta(years=2)
        return None if self.reviewed_since(due) else due

    def last_activity(self) -> dt.date | None:
        """The latest arrest or intelligence report, else the start of the period."""
        period = self.period
        if period is None:
            return None
        known = [d for d in (self.nominal.last_arrest_on, self.nominal.last_intelligence_on) if d]
        return max([period.started_on, *known])

    def no_activity_due(self, months: int) -> dt.date | None:
        """When "no arrest and no intelligence for ``months`` continuous months" next falls due: a
        reviewing decision taken once it was due settles it for another ``months``."""
        last = self.last_activity()
        if last is None:
            return None
        due = last + relativedelta(months=months)
        settled = self.reviewed_since(due)
        return settled + relativedelta(months=months) if settled else due


def history(
    nominal: Nominal,
    spells: Sequence[Membership],
    decisions: Iterable[Decision],
    sentences: Iterable[Sentence] = (),
) -> History:
    latest = max(sentences, key=lambda s: (s.starts_on, s.id), default=None)
    reviewed = tuple(sorted(d.decided_on for d in decisions if d.reviews))
    return History(nominal, tuple(periods(spells)), reviewed, latest)
