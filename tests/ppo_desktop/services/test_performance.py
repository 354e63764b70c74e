"""Scheme performance: the Stockton ceiling figures, small-number suppression, and each figure on the
demo store worked out here independently (plain SQL), not by calling the same code twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.domain import PPO_STRANDS, Basis, RemovalOutcome, RemovalReason, Role, Status, Strand
from ppo_desktop.performance.ceiling import CeilingYear, reduced
from ppo_desktop.performance.figures import Filters
from ppo_desktop.performance.tables import Table, suppress
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.cohort_years import CohortYears
from ppo_desktop.services.documents import Documents
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.performance import Performance
from ppo_desktop.services.session import unlock
from ppo_desktop.services.users import Users
from ppo_desktop.services.workspace import PermissionDenied, ServiceError, Workspace
from tests.conftest import DEMO_DAY

# Stockton's year as the seed gives it (003 §2.1–2.9): 40 PPOs, 21.5 months, 16 % (stretch 19 %),
# 247 convictions in the baseline year, then 56, 49, 23 and 22 a quarter; 55 % of the cohort convicted.
QUARTERS = (56, 49, 23, 22)
CONVICTED = 22  # 55 % of 40


def _people(ws: Workspace, n: int, prefix: str = "Fictional") -> list[int]:
    cases = Cases(ws)
    return [cases.add_nominal(NominalDraft(f"{prefix}{i:02d}", "Testperson")).record.id for i in range(n)]


def _spread(people: list[int], total: int) -> dict[int, int]:
    """``total`` convictions across ``people`` (as a PNC extract would list them, person by person)."""
    out = {p: 0 for p in people}
    for k in range(total):
        out[people[k % len(people)]] += 1
    return out


@pytest.fixture
def stockton(ws: Workspace) -> tuple[CohortYears, int, list[int]]:
    people = _people(ws, 40)
    years = CohortYears(ws)
    year = years.create(
        "2008/09",
        dt.date(2008, 4, 1),
        baseline=247,
        ceiling_pct="16",
        stretch_pct="19 %",
        months_on_scheme="21.5",
        members=people,
    ).record
    counts: dict[tuple[int, int], int | None] = {}
    for quarter, total in enumerate(QUARTERS, start=1):
        for nid, n in _spread(people[:CONVICTED], total).items():
            counts[(nid, quarter)] = n
    years.set_counts(year.id, counts)
    return years, year.id, people


def test_stockton_year_one_as_the_seed_reports_it(
    ws: Workspace, stockton: tuple[CohortYears, int, list[int]]
) -> None:
    years, year_id, _ = stockton
    year = years.ceiling(year_id)
    assert year.members == 40 and year.months_on_scheme == Decimal("21.5")
    assert year.threshold == 207  # "should not exceed 207 convictions (i.e. a 16% reduction on 247)"
    q1, q2, q3, q4 = year.quarter_results()
    assert (q1.convictions, q1.difference, q1.wording) == (56, Decimal("4.25"), "4.25 over")
    assert (q2.convictions, q2.difference, q2.wording) == (49, Decimal("-2.75"), "2.75 under")
    assert (q3.convictions, q4.convictions) == (23, 22)
    assert year.convictions == 150 and year.against_threshold == -57  # "the actual was 150"
    assert year.reduction_pct == Decimal("39.3")  # (247 − 150) / 247; the seed prints 38 %
    assert year.share_convicted_pct == Decimal("55.0")  # "only 55% of the cohort have been convicted"
    assert year.stretch_threshold == 200  # 19 % stretch: 247 × 0.81 = 200.07 → 200


def test_stockton_year_two_and_the_printed_report(
    ws: Workspace, stockton: tuple[CohortYears, int, list[int]]
) -> None:
    years, _, _ = stockton
    people = _people(ws, 42, prefix="Second")
    year2 = years.create("2009/10", dt.date(2009, 4, 1), baseline=221, ceiling_pct=14, members=people).record
    second = years.ceiling(year2.id)
    assert (second.members, second.baseline, second.ceiling_pct) == (42, 221, Decimal(14))
    assert second.threshold == 190 and second.reduction_pct is None  # no quarter entered yet
    report = Performance(ws).report(Filters(dt.date(2008, 4, 1), dt.date(2010, 3, 31)))
    quarters = report.table("reoffending-quarters")
    assert quarters.text()[0] == ["2008/09", "Q1", "56", "51.75", "4.25", "4.25 over"]
    assert quarters.text()[1][-1] == "2.75 under"
    pdf = Documents(ws).performance(report).pdf
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "threshold is 207 convictions" in text and "Q1: 56 (4.25 over)" in text
    assert "Q2: 49 (2.75 under)" in text and "221" in text and "190" in text
    assert text.count("OFFICIAL-SENSITIVE") >= 2


def test_ceiling_arithmetic_rounds_down_and_stays_exact() -> None:
    assert (
        reduced(247, Decimal(16)) == 207
        and reduced(221, Decimal(14)) == 190
        and reduced(100, Decimal(0)) == 100
    )
    year = CeilingYear("x", 10, 247, Decimal(16), quarters=(None, 40, None, None))
    assert year.quarter_allowance == Decimal("51.75") and year.entered_quarters == 1 and not year.complete
    assert year.quarter_results()[0].wording == "not yet entered"


def test_cohort_year_input_is_checked(ws: Workspace, stockton: tuple[CohortYears, int, list[int]]) -> None:
    years, year_id, people = stockton
    with pytest.raises(ServiceError, match="not a percentage"):
        years.create("bad", dt.date(2010, 4, 1), baseline=10, ceiling_pct="sixteen")
    with pytest.raises(ServiceError, match="between 0 and 100"):
        years.create("bad", dt.date(2010, 4, 1), baseline=10, ceiling_pct=116)
    with pytest.raises(ServiceError, match="cannot be negative"):
        years.create("bad", dt.date(2010, 4, 1), baseline=-1, ceiling_pct=10)
    with pytest.raises(ServiceError, match="already a cohort year"):
        years.create("2008/09", dt.date(2010, 4, 1), baseline=10, ceiling_pct=10)
    with pytest.raises(ServiceError, match="not a number of convictions"):
        years.set_counts(year_id, {(people[0], 1): -3})
    with pytest.raises(ServiceError, match="quarter is 1, 2, 3 or 4"):
        years.set_counts(year_id, {(people[0], 5): 1})
    outsider = _people(ws, 1, prefix="Outsider")[0]
    with pytest.raises(ServiceError, match="is not in cohort"):
        years.set_counts(year_id, {(outsider, 1): 1})
    with pytest.raises(ServiceError, match="have convictions entered"):
        years.set_members(year_id, people[CONVICTED:])
    assert years.ceiling(year_id).convictions == 150  # nothing above changed a thing


def test_counts_are_audited_per_person_and_cleared_with_none(
    ws: Workspace, stockton: tuple[CohortYears, int, list[int]]
) -> None:
    years, year_id, people = stockton
    before = ws.audit.head()
    years.set_counts(year_id, {(people[0], 1): 9, (people[0], 2): None})
    rows = [e for e in ws.audit.search(nominal_id=people[0]) if e.entity == "convictions"]
    assert rows[0].kind == "alteration" and json.loads(rows[0].after or "{}") in (
        {"count": 9},
        {"count": None},
    )
    assert ws.audit.head() != before
    assert years.counts(year_id)[people[0]][:2] == [9, None]
    assert years.set_counts(year_id, {(people[0], 1): 9}).topics == frozenset()  # no change, no entry


def test_panel_members_cannot_enter_convictions(
    ws: Workspace, stockton: tuple[CohortYears, int, list[int]]
) -> None:
    years, year_id, people = stockton
    user = Users(ws).add("member", "Panel Member", Role.PANEL_MEMBER, "member passphrase 1").record
    member = Workspace(ws.vault, user)
    with pytest.raises(PermissionDenied):
        CohortYears(member).set_counts(year_id, {(people[0], 1): 1})


def test_small_numbers_are_suppressed_when_disclosed() -> None:
    rows = (("Female", 3, 0, 12), ("Male", 9, 7, 2), ("Total", 12, 7, 14))
    assert suppress(rows, total_row=True) == (
        ("Female", "<5", 0, "<5"),  # the lone 2 in the last column would follow from 14 − 12
        ("Male", "<5", 7, "<5"),  # the lone 3 would follow from 12 − 9, so 9 is hidden too
        ("Total", 12, 7, 14),
    )
    table = Table("t", "Test", ("Group", "A", "B", "C"), rows, small_numbers=True, total_row=True)
    assert table.text()[0][1] == "3"  # on screen the counts are as they are
    lines = list(csv.reader(io.StringIO(table.csv().decode("utf-8-sig"))))
    assert lines[2] == ["Female", "<5", "0", "<5"] and lines[3] == ["Male", "<5", "7", "<5"]


# -- the demo store, each figure worked out here from the records ------------------------------------
@pytest.fixture
def demo(demo_store: Path) -> Iterator[Workspace]:
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    yield ws
    ws.close()


def _one(ws: Workspace, sql: str, params: object = ()) -> int:
    return int(ws.db.execute(sql, params).fetchone()[0])


ON = "added_on <= :d AND (removed_on IS NULL OR removed_on > :d)"
M_ON = "m.added_on <= :d AND (m.removed_on IS NULL OR m.removed_on > :d)"
LATEST = "ROW_NUMBER() OVER (PARTITION BY s.nominal_id ORDER BY s.scored_on DESC, s.id DESC)"
SCORED = "s.state = 'final' AND s.matrix_id = :m AND s.scored_on <= :d"


def test_demo_capacity_and_equality(demo: Workspace) -> None:
    report = Performance(demo).report()
    end = DEMO_DAY.isoformat()
    sizes = report.table("capacity")
    held = zip(PPO_STRANDS, sizes.column("Cohort"), sizes.column("Amber list"), strict=True)
    for strand, cohort, amber in held:
        assert cohort == _one(
            demo,
            f"SELECT count(*) FROM memberships WHERE strand = :s AND is_lead AND NOT amber AND {ON}",
            {"s": strand.value, "d": end},
        )
        assert amber == _one(
            demo,
            "SELECT count(*) FROM memberships WHERE strand = :s AND is_lead AND amber AND amber_on <= :d "
            "AND (amber_until IS NULL OR amber_until > :d)",
            {"s": strand.value, "d": end},
        )
    assert sum(int(str(c)) for c in sizes.column("Amber list")) > 0  # the demo has amber-list people
    assert sum(int(str(c)) for c in sizes.column("Custody")) == _one(
        demo,
        f"SELECT count(*) FROM memberships WHERE is_lead AND NOT amber AND {ON} AND custody_on <= :d "
        "AND (release_on IS NULL OR release_on > :d)",
        {"d": end},
    )
    over = [r for r in sizes.rows if "over the maximum" in str(r[5])]
    assert all(int(str(r[1])) > int(str(r[4])) for r in over)
    together = report.table("capacity-groups")  # Thurrock: C&C and R&R, minimum 20 (000 App. 1)
    assert together.rows[0][:3] == ("C&C + R&R", int(str(sizes.rows[1][1])) + int(str(sizes.rows[2][1])), 20)
    gender = report.table("equality-gender")
    women = dict(zip(gender.columns[1:], gender.rows[0][1:], strict=True))
    assert gender.rows[0][0] == "Female"
    assert women["C&C"] == _one(
        demo,
        f"SELECT count(DISTINCT m.nominal_id) FROM memberships m JOIN nominals n ON n.id = m.nominal_id "
        f"WHERE m.strand = 'C&C' AND n.gender = 'Female' AND {M_ON}",
        {"d": end},
    )
    assert women["Nominations pool"] == _one(
        demo,
        "SELECT count(DISTINCT o.nominal_id) FROM nominations o JOIN nominals n ON n.id = o.nominal_id "
        "WHERE o.state = 'open' AND n.gender = 'Female'",
    )
    printed = gender.disclosed()
    assert all(c == "<5" or not (isinstance(c, int) and 0 < c < 5) for r in printed.rows for c in r)


def test_demo_removals_outcomes_and_reoffending(demo: Workspace) -> None:
    report = Performance(demo).report()
    start, end = report.filters.start.isoformat(), report.filters.end.isoformat()
    removals = dict(report.table("removals").rows)
    assert sum(int(str(n)) for n in removals.values()) == _one(
        demo, "SELECT count(*) FROM memberships WHERE removed_on BETWEEN ? AND ?", [start, end]
    )
    assert not any("-" in str(reason) and " " not in str(reason) for reason in removals)  # words, no codes
    assert "Amber list (long custody, held until reconsidered)" in removals  # it was printed "amber-list"
    outcomes = dict(report.table("outcomes").rows)
    for outcome in RemovalOutcome:
        assert outcomes[outcome.label] == _one(
            demo,
            "SELECT count(*) FROM memberships, json_each(memberships.removal_outcomes) o "
            "WHERE o.value = ? AND removed_on BETWEEN ? AND ?",
            [outcome.value, start, end],
        )
    assert sum(outcomes.values()) > 0
    for year in CohortYears(demo).all():
        ceiling = demo.db.execute(
            "SELECT baseline, ceiling_pct FROM cohort_years WHERE id = ?", [year.id]
        ).fetchone()
        expected_threshold = ceiling[0] * (100 - int(ceiling[1])) // 100
        line = next(r for r in report.table("reoffending-years").rows if r[0] == year.label)
        assert line[5] == expected_threshold
        for q, n in demo.db.execute(
            "SELECT quarter, sum(count) FROM convictions WHERE cohort_year_id = ? GROUP BY quarter", [year.id]
        ):
            row = next(r for r in report.table("reoffending-quarters").rows if r[:2] == (year.label, f"Q{q}"))
            assert row[2] == n and row[4] == Decimal(n) - Decimal(expected_threshold) / 4


def test_demo_score_trend_matches_the_sheets(demo: Workspace) -> None:
    report = Performance(demo).report()
    target = demo.profile().score_series()[0]
    assert (target.baseline, target.strands) == (788, (Strand.CATCH_CONVICT, Strand.REHABILITATE_RESETTLE))
    rows = [r for r in report.table("score-trend").rows if r[0] == target.label and r[1] == "All"]
    assert len(rows) >= 3
    for row in rows:
        day = row[2].isoformat()  # type: ignore[union-attr]
        expected = demo.db.execute(
            f"""SELECT count(*), coalesce(sum(total), 0) FROM (
                  SELECT s.total, {LATEST} rn FROM score_sheets s WHERE {SCORED}
                  AND s.nominal_id IN (
                    SELECT nominal_id FROM memberships WHERE strand IN ('C&C', 'R&R') AND {ON}))
                WHERE rn = 1""",
            {"m": target.matrix, "d": day},
        ).fetchone()
        assert (row[3], row[4]) == (expected[0], pytest.approx(expected[1]))
        assert row[7] == pytest.approx(expected[1] - 788)


def test_filters_narrow_every_figure(demo: Workspace) -> None:
    perf = Performance(demo)
    base = perf.default_filters()
    area = perf.areas()[0]
    narrow = perf.report(Filters(base.start, base.end, Strand.CATCH_CONVICT, area))
    sizes = dict(
        zip(narrow.table("capacity").column("Strand"), narrow.table("capacity").column("Cohort"), strict=True)
    )
    assert sizes[Strand.PREVENT_DETER.long_name] == 0
    assert sizes[Strand.CATCH_CONVICT.long_name] == _one(
        demo,
        "SELECT count(*) FROM memberships m JOIN nominals n ON n.id = m.nominal_id WHERE m.strand = 'C&C' "
        "AND n.area = :a AND m.is_lead AND m.added_on <= :d AND (m.removed_on IS NULL OR m.removed_on > :d)",
        {"a": area, "d": base.end.isoformat()},
    )
    assert narrow.table("equality-gender").columns == ("Gender", "C&C", "Nominations pool")
    with pytest.raises(ServiceError, match="starts after it ends"):
        perf.report(Filters(base.end, base.start))


def test_removal_outcomes_are_recorded_and_exported_as_a_disclosure(ws: Workspace) -> None:
    cases = Cases(ws)
    nid = _people(ws, 1)[0]
    membership = Memberships(cases.ws).select(
        nid,
        Strand.CATCH_CONVICT,
        Basis.PROLIFIC,
        Status.OFFENDING_CJS,
        on=dt.date(2026, 1, 5),
        authority="Test panel",
    ).record
    removed = Memberships(cases.ws).remove(
        membership.id,
        RemovalReason.STOPPED_OFFENDING,
        authority="Test chair",
        on=dt.date(2026, 11, 1),
        outcomes=[RemovalOutcome.DRUG_FREE, RemovalOutcome.EMPLOYED],
    ).record
    assert removed.removal_outcomes == (RemovalOutcome.DRUG_FREE, RemovalOutcome.EMPLOYED)
    perf = Performance(ws)
    table = perf.report().table("outcomes")
    assert dict(table.rows)["Drug free"] == 1 and dict(table.rows)["None recorded"] == 0
    with pytest.raises(ServiceError, match="recipient and the reason"):
        perf.export_csv(table, how="saved", recipient="", justification="")
    data = perf.export_csv(
        table, how="saved", recipient="Partnership board", justification="Quarterly return"
    )
    assert b"Drug free" in data
    disclosure = ws.audit.search(kind="disclosure")[-1]
    assert disclosure.justification == "Quarterly return" and "Outcomes recorded" in disclosure.summary


def test_demo_throughput_custody_and_time_on_scheme(demo: Workspace) -> None:
    report = Performance(demo).report()
    start, end = report.filters.start.isoformat(), report.filters.end.isoformat()
    through = dict(report.table("throughput").rows)
    assert through["Selected in the period"] == _one(
        demo, "SELECT count(DISTINCT nominal_id) FROM memberships WHERE is_lead AND added_on BETWEEN ? AND ?",
        [start, end],
    )  # fmt: skip
    assert through["Removed in the period"] == _one(
        demo,
        "SELECT count(DISTINCT nominal_id) FROM memberships WHERE removed_on BETWEEN ? AND ?",
        [start, end],
    )
    assert through["On the scheme at some time in the period"] == _one(
        demo, "SELECT count(DISTINCT nominal_id) FROM memberships WHERE added_on <= ? "
        "AND (removed_on IS NULL OR removed_on >= ?)", [end, start],
    )  # fmt: skip
    sizes = report.table("capacity")
    long_custody = sum(int(str(n)) for n in sizes.column("Custody over 12 months"))
    assert long_custody == _one(  # the sentence given is over 12 months (002 §4.4), not the time served
        demo, f"SELECT count(*) FROM memberships m WHERE is_lead AND NOT amber AND {ON} AND custody_on <= :d "
        "AND (release_on IS NULL OR release_on > :d) AND EXISTS (SELECT 1 FROM sentences s "
        "WHERE s.nominal_id = m.nominal_id AND date(s.starts_on, '+' || "
        "(s.length_years * 12 + s.length_months) || ' months', '+' || s.length_days || ' days') "
        "> date(s.starts_on, '+12 months'))", {"d": end},
    )  # fmt: skip
    assert long_custody > 0  # the demo has people serving over a year
    for strand, months in zip(PPO_STRANDS, sizes.column("Average months on scheme"), strict=True):
        days = demo.db.execute(
            "SELECT avg(julianday(:d) - julianday(added_on)) FROM memberships "
            f"WHERE strand = :s AND is_lead AND NOT amber AND {ON}",
            {"d": end, "s": strand.value},
        ).fetchone()[0]
        assert months == pytest.approx(Decimal(str(round(days / 30.436875, 1))), abs=Decimal("0.1"))
