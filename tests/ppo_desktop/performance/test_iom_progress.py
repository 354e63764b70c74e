"""Progress as current IOM panels measure it (issue 25, deliver 5): each person's IOM score on the day
their period on the scheme began against the day it ended — or the report period's end for those still
on it — worked out here by hand with a definition simple enough to count on fingers (one point per
convicted offence in the 12 months before the day; nothing else scores)."""

from __future__ import annotations

import datetime as dt

import pytest

from ppo_desktop.domain import Basis, Membership, Nominal, Status, Strand
from ppo_desktop.performance.figures import Facts, Filters, build, iom_progress, periods
from ppo_desktop.rules import profiles
from ppo_desktop.scoring.rfg import Offence, RfgDefinition

pytestmark = pytest.mark.dateless  # every date is written out here; none is read from a clock

COUNTING = RfgDefinition(
    id="fingers", version="1", title="One point per convicted offence in a year", source="test",
    window_months=12, counts=frozenset({"convicted"}), recency=(), frequency_each=1, frequency_cap=100,
    victims_each=0, victims_cap=0, gravity={"other": 0}, bands=(),
)  # fmt: skip
D = dt.date


def _member(
    id_: int, who: int, strand: Strand, added: dt.date, removed: dt.date | None, since: dt.date
) -> Membership:
    return Membership(id_, who, strand, Basis.PROLIFIC, Status.OFFENDING_CJS, added, removed_on=removed,
                      scheme_since=since)  # fmt: skip


def _offences(*days: dt.date, outcome: str = "convicted") -> list[Offence]:
    return [Offence(day, "burglary", outcome) for day in days]


def _facts(memberships: list[Membership], offences: dict[int, list[Offence]]) -> Facts:
    nominals = {m.nominal_id: Nominal(m.nominal_id, f"N{m.nominal_id:05d}", "Fictional", "Test")
                for m in memberships}  # fmt: skip
    return Facts(nominals, memberships, [], [], [], profiles.get("thurrock-2009"), offences=offences,
                 scores=COUNTING)  # fmt: skip


def test_entry_and_leaving_scores_worked_by_hand() -> None:
    memberships = [
        # 1: selected 1 Mar 2025 onto C&C, moved to R&R 1 Sep 2025, de-selected 1 Mar 2026: one period
        _member(1, 1, Strand.CATCH_CONVICT, D(2025, 3, 1), D(2025, 9, 1), D(2025, 3, 1)),
        _member(2, 1, Strand.REHABILITATE_RESETTLE, D(2025, 9, 1), D(2026, 3, 1), D(2025, 3, 1)),
        # 2: selected 1 Jun 2025, still on the scheme
        _member(3, 2, Strand.CATCH_CONVICT, D(2025, 6, 1), None, D(2025, 6, 1)),
        # 3: on the scheme, but no offences recorded: left out
        _member(4, 3, Strand.CATCH_CONVICT, D(2025, 6, 1), None, D(2025, 6, 1)),
    ]
    offences = {
        # before entry (1 Mar 2025): 10 Mar 2024, 1 Jan 2025, 20 Feb 2025 → 3 in the year before entry;
        # before leaving (1 Mar 2026): only 5 Apr 2025 (a year back to 1 Mar 2025, exclusive) → 1
        1: _offences(D(2024, 3, 10), D(2025, 1, 1), D(2025, 2, 20), D(2025, 4, 5)),
        # before entry (1 Jun 2025): 1 Jul 2024, 1 May 2025 (and a caution, not counted) → 2;
        # at the report period's end (31 Mar 2026): 1 May 2025, 1 Dec 2025, 1 Feb 2026 → 3
        2: [*_offences(D(2024, 7, 1), D(2025, 5, 1), D(2025, 12, 1), D(2026, 2, 1)),
            Offence(D(2025, 5, 2), "theft", "cautioned")],  # fmt: skip
    }
    assert periods(memberships) == [(1, D(2025, 3, 1), D(2026, 3, 1)), (2, D(2025, 6, 1), None),
                                    (3, D(2025, 6, 1), None)]  # fmt: skip
    year_to_march = Filters(D(2025, 4, 1), D(2026, 3, 31))
    table = iom_progress(_facts(memberships, offences), memberships, year_to_march)
    assert table is not None
    assert table.rows == (
        ("Left the scheme in the period", 1, 3.0, 1.0, -2.0),
        ("On the scheme at the period's end", 1, 2.0, 3.0, 1.0),
        # each list from the day the person joined it: C&C — 1 from 3 (1 Mar 2025) to 3 (1 Sep 2025:
        # 1 Jan, 20 Feb, 5 Apr 2025), 2 from 2 to 3 at the period's end; R&R — 1 from 3 (1 Sep 2025)
        # to 1 (1 Mar 2026)
        ("Catch & Convict: joining it → leaving it, or the period's end", 2, 2.5, 3.0, 0.5),
        ("Rehabilitate & Resettle: joining it → leaving it, or the period's end", 1, 3.0, 1.0, -2.0),
    )


def test_no_offences_recorded_means_no_table_and_the_report_still_builds() -> None:
    memberships = [_member(1, 1, Strand.CATCH_CONVICT, D(2025, 3, 1), None, D(2025, 3, 1))]
    facts = _facts(memberships, {})
    assert iom_progress(facts, memberships, Filters(D(2025, 1, 1), D(2025, 12, 31))) is None
    assert "iom-progress" not in {t.key for t in build(facts, Filters(D(2025, 1, 1), D(2025, 12, 31))).tables}


def test_a_period_ending_before_the_report_period_is_neither_leaving_nor_staying() -> None:
    memberships = [_member(1, 1, Strand.CATCH_CONVICT, D(2024, 1, 1), D(2024, 6, 1), D(2024, 1, 1))]
    table = iom_progress(_facts(memberships, {1: _offences(D(2023, 12, 1))}), memberships,
                         Filters(D(2025, 1, 1), D(2025, 12, 31)))  # fmt: skip
    assert table is not None and [r[1] for r in table.rows] == [0, 0]


def test_the_figures_of_fewer_than_five_people_leave_the_app_as_small() -> None:
    """A mean of one person's scores is that person's score: printed or exported, a row of fewer
    than five people shows none of its figures; on screen the coordinator sees them all."""
    memberships = [_member(1, 1, Strand.CATCH_CONVICT, D(2025, 3, 1), D(2026, 3, 1), D(2025, 3, 1))]
    memberships += [_member(10 + n, 10 + n, Strand.CATCH_CONVICT, D(2025, 6, 1), None, D(2025, 6, 1))
                    for n in range(5)]  # fmt: skip
    offences = {who: _offences(D(2025, 1, 1)) for who in (1, 10, 11, 12, 13, 14)}
    table = iom_progress(_facts(memberships, offences), memberships, Filters(D(2025, 4, 1), D(2026, 3, 31)))
    assert table is not None
    on_cc = ("Catch & Convict: joining it → leaving it, or the period's end", 6, 1.0, 0.0, -1.0)
    assert table.rows == (("Left the scheme in the period", 1, 1.0, 0.0, -1.0),
                          ("On the scheme at the period's end", 5, 1.0, 0.0, -1.0), on_cc)  # fmt: skip
    assert table.disclosed().rows == (("Left the scheme in the period", "<5", "<5", "<5", "<5"),
                                      ("On the scheme at the period's end", 5, 1.0, 0.0, -1.0),
                                      on_cc)  # fmt: skip
    assert b"Left the scheme in the period,<5,<5,<5,<5" in table.csv()
