"""Review cadence per strand (000 §6: P&D every 3 months, C&C and R&R every 6 months)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import Strand

DEFAULT_CADENCE_MONTHS: Mapping[Strand, int] = {
    Strand.PREVENT_DETER: 3,
    Strand.CATCH_CONVICT: 6,
    Strand.REHABILITATE_RESETTLE: 6,
}


def next_review(
    strand: Strand, after: dt.date, cadence: Mapping[Strand, int] = DEFAULT_CADENCE_MONTHS
) -> dt.date:
    return after + relativedelta(months=cadence[strand])


def months_between(start: dt.date, end: dt.date) -> int:
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months
