"""Importing offence counts (into draft score sheets) and convictions (into a cohort year)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.device import DeviceSecrets
from ppo_desktop.demo import DEMO_PASSPHRASE
from ppo_desktop.imports.counts import CountsImport
from ppo_desktop.imports.sources import ImportProblem
from ppo_desktop.services.cohort_years import CohortYears
from ppo_desktop.services.imports import Imports
from ppo_desktop.services.score_sheets import ScoreSheets
from ppo_desktop.services.session import unlock
from ppo_desktop.services.workspace import ServiceError, Workspace

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports"


@pytest.fixture
def demo(demo_store: Path) -> Iterator[Workspace]:
    ws = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    yield ws
    ws.close()


def _nominal(ws: Workspace, pnc: str) -> int:
    return int(ws.db.execute("SELECT id FROM nominals WHERE pnc_id = ?", [pnc]).fetchone()[0])


def _state(ws: Workspace) -> tuple[object, ...]:
    return tuple(
        ws.db.execute(sql).fetchone()[0]
        for sql in (
            "SELECT count(*) FROM audit",
            "SELECT group_concat(inputs, '|') FROM score_sheets WHERE state = 'draft'",
            "SELECT coalesce(sum(count), 0) FROM convictions",
        )
    )


def test_offence_counts_fill_draft_sheets_for_the_scorer(demo: Workspace) -> None:
    imports = CountsImport(demo, "offences")
    plan = imports.plan(FIXTURES / "offence_counts.csv")
    assert all(line.ok for line in plan.lines) and str(plan.period) == (
        "(datetime.date(2026, 5, 1), datetime.date(2026, 10, 31))"
    )
    Imports(demo).commit(plan, justification="Police counts for the November panel")
    first = ScoreSheets(demo).draft_of(_nominal(demo, "99/100002Z"))
    assert first is not None and not first.final  # an import never finalises a sheet
    offences = first.inputs["offences"]
    assert isinstance(offences, dict)
    assert offences["burglary_dwelling"]["convicted"] == 3 and offences["robbery"]["admitted"] == 1
    second = ScoreSheets(demo).draft_of(_nominal(demo, "99/100006Z"))
    assert second is not None and second.total > 0
    combination = demo.audit.search(kind="combination")[-1]
    assert "01 May 2026–31 Oct 2026" in combination.summary


def test_bad_count_lines_are_named_and_nothing_changes(demo: Workspace) -> None:
    imports = CountsImport(demo, "offences")
    before = _state(demo)
    plan = imports.plan(FIXTURES / "negative_counts.csv")
    messages = [line.message for line in plan.lines]
    assert messages[0] == "Row 2: column 'Count': -2 is negative; counts are 0 or more"
    assert messages[1].startswith("Row 3: column 'PNC': '99/999999Z' is not anyone on file")
    assert "Row 4: column 'Offence category': 'Knitting' is not a category" in messages[2]
    assert "Row 5: column 'Evidence': 'Rumoured' is not one of Convicted, Admitted, Suspected" in messages[3]
    assert "Row 6: column 'Period to': the period ends before it starts" in messages[4]
    with pytest.raises(ServiceError, match="5 line\\(s\\) are rejected"):
        Imports(demo).commit(plan, justification="test")
    assert _state(demo) == before


def test_convictions_import_into_the_cohort_year(demo: Workspace, tmp_path: Path) -> None:
    years = CohortYears(demo)
    year = years.all()[-1]
    members = years.members(year.id)[:3]
    path = tmp_path / "convictions.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Reference", "Cohort year", "Quarter", "Convictions"])
        for i, person in enumerate(members):
            writer.writerow([person.ref, year.label, "Q3", i + 1])
        writer.writerow([members[0].ref, "1999/00", "Q3", 1])
    imports = CountsImport(demo, "convictions")
    plan = imports.plan(path)
    assert [line.ok for line in plan.lines] == [True, True, True, False]
    assert "'1999/00' is not a cohort year" in plan.lines[3].message
    with pytest.raises(ServiceError):
        Imports(demo).commit(plan, justification="Home Office quarterly data")
    good = type(plan)(plan.kind, plan.source, plan.file_sha256, plan.mapping, plan.lines[:3])
    Imports(demo).commit(good, justification="Home Office quarterly data")
    counts = years.counts(year.id)
    assert [counts[p.id][2] for p in members] == [1, 2, 3]
    assert years.ceiling(year.id).quarters[2] == 6


def test_a_file_mixing_periods_is_refused(demo: Workspace, tmp_path: Path) -> None:
    lines = (FIXTURES / "offence_counts.csv").read_text().splitlines()
    lines[-1] = lines[-1].replace("2026-05-01", "2026-04-01")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportProblem, match="2 different periods"):
        CountsImport(demo, "offences").plan(mixed)
