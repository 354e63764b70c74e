"""Review dates by the scheme profile's cadence per strand (Thurrock: P&D 3 months, C&C / R&R 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dateutil.relativedelta import relativedelta

from ppo_desktop.domain import Strand


def next_review(strand: Strand, after: dt.date, cadence: Mapping[Strand, int]) -> dt.date:
    return after + relativedelta(months=cadence[strand])


def months_between(start: dt.date, end: dt.date) -> int:
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months
