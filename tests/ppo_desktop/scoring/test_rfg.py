"""The IOM selection score (recency, frequency, gravity, victims) as at a date. The expected figures
are worked out by hand here from the example definition's numbers (window 24 months; recency 30/20/
10/5 within 30/90/180/365 days; 5 a counted offence, at most 50; 3 a victim, at most 30; burglary 8,
robbery 10, theft 3, other 1; High from 100, Medium from 50), not by the code under test."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ppo_desktop.scoring.rfg import Offence, score_as_at, shipped

EXAMPLE = shipped()["rfgv-example"]
DAY = dt.date(2026, 11, 24)


def test_a_worked_example() -> None:
    offences = [
        Offence(dt.date(2026, 11, 1), "burglary", "convicted", victims=1),  # 23 days before: recency 30
        Offence(dt.date(2026, 6, 1), "theft", "charged"),
        Offence(dt.date(2024, 11, 24), "robbery", "convicted", victims=2),  # exactly 24 months: outside
        Offence(dt.date(2026, 11, 20), "violence", "suspected"),  # a suspicion does not count
        Offence(dt.date(2026, 11, 25), "robbery", "convicted"),  # after the day: not yet
    ]
    s = score_as_at(EXAMPLE, offences, DAY)
    # recency 30 + frequency 2×5 + gravity 8+3 + victims 1×3 = 54 → Medium
    assert (s.recency, s.frequency, s.gravity, s.victims, s.total, s.band) == (30, 10, 11, 3, 54, "Medium")
    assert [o.category for o in s.counted] == ["theft", "burglary"]
    assert s.lines[2] == "Frequency 10: 2 × 5 (at most 50)"
    assert s.lines[3] == "Gravity 11: theft 3, burglary 8"  # which offences, which weight


@pytest.mark.parametrize(
    ("days_before", "recency"), [(0, 30), (30, 30), (31, 20), (90, 20), (91, 10), (180, 10), (181, 5),
                                 (365, 5), (366, 0)],
)  # fmt: skip
def test_recency_at_its_band_edges(days_before: int, recency: int) -> None:
    s = score_as_at(EXAMPLE, [Offence(DAY - dt.timedelta(days=days_before), "other", "convicted")], DAY)
    assert s.recency == recency and s.total == recency + 5 + 1


def test_the_window_edge_the_caps_and_the_bands() -> None:
    edge = [Offence(dt.date(2024, 11, 25), "other", "convicted")]  # 24 months less a day: inside
    assert score_as_at(EXAMPLE, edge, DAY).frequency == 5
    many = [Offence(DAY - dt.timedelta(days=d), "robbery", "convicted", victims=2) for d in range(12)]
    s = score_as_at(EXAMPLE, many, DAY)
    # recency 30 + frequency min(50, 60) + gravity 12×10 + victims min(30, 72) = 230 → High
    assert (s.frequency, s.gravity, s.victims, s.total, s.band) == (50, 120, 30, 230, "High")
    assert score_as_at(EXAMPLE, [], DAY).band == "Low" and score_as_at(EXAMPLE, [], DAY).total == 0


offences = st.lists(
    st.builds(
        Offence,
        on=st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
        category=st.sampled_from(["burglary", "robbery", "theft", "violence", "unlisted"]),
        outcome=st.sampled_from(["convicted", "charged", "cautioned", "suspected"]),
        victims=st.integers(0, 3),
    ),
    max_size=30,
)


@given(offences, st.dates(dt.date(2021, 1, 1), dt.date(2029, 1, 1)))
def test_the_score_for_a_date_ignores_what_came_after_it(found: list[Offence], day: dt.date) -> None:
    before = [o for o in found if o.on <= day]
    assert score_as_at(EXAMPLE, found, day) == score_as_at(EXAMPLE, before, day)
