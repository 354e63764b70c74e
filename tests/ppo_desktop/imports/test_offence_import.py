"""Importing offence histories from a police extract (issue 25, deliver 6): the people must be on file,
every line gets its fate in the dry run, importing the same extract twice counts nothing twice, and the
import is all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from ppo_desktop.imports.offence_history import OffenceImport
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.imports import Imports
from ppo_desktop.services.offences import Offences
from ppo_desktop.services.workspace import ServiceError, Workspace

HEADER = ["PNC", "Offence date", "Offence type", "Outcome", "Victims", "HO code"]


def _write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _count(ws: Workspace) -> int:
    return int(ws.db.execute("SELECT count(*) FROM offences").fetchone()[0])


@pytest.fixture
def person(ws: Workspace) -> int:
    return Cases(ws).add_nominal(NominalDraft("Fictionalson", "Ivor", pnc_id="99/123456A")).record.id


def test_each_line_gets_its_fate_and_nothing_is_written_by_the_dry_run(
    ws: Workspace, person: int, tmp_path: Path
) -> None:
    day = ws.today()
    tomorrow, last_month = day + dt.timedelta(days=1), day - dt.timedelta(days=30)
    path = _write(tmp_path / "extract.csv", [
        ["99/123456A", f"{last_month:%d/%m/%Y}", "Burglary", "Convicted", "1", "28/1"],
        ["99/123456A", f"{last_month:%d/%m/%Y}", "burglary", "Guilty", "1", "28/1"],  # the same, twice
        ["99/123456A", f"{last_month:%Y-%m-%d}", "Theft from vehicle", "NFA", "", ""],
        ["99/999999Z", f"{last_month:%d/%m/%Y}", "Robbery", "Charged", "2", ""],
        ["99/123456A", f"{tomorrow:%d/%m/%Y}", "Robbery", "Charged", "0", ""],
        ["99/123456A", "not a date", "Robbery", "Charged", "0", ""],
        ["99/123456A", f"{last_month:%d/%m/%Y}", "Robbery", "Acquitted-ish", "0", ""],
        ["99/123456A", f"{last_month:%d/%m/%Y}", "Robbery", "Charged", "many", ""],
        ["99/123456A", f"{last_month:%d/%m/%Y}", "", "Charged", "0", ""],
    ])  # fmt: skip
    plan = OffenceImport(ws).plan(path)
    fates = [line.fate for line in plan.lines]
    assert fates == ["new", "on file", "new"] + ["rejected"] * 6
    messages = [line.message for line in plan.rejected]
    assert "'99/999999Z' is not anyone on file" in messages[0]
    assert "is in the future" in messages[1] and "is not a date" in messages[2]
    assert "'Acquitted-ish' is not one of: convicted" in messages[3]
    assert "'many' is not a number of victims" in messages[4] and "is empty" in messages[5]
    assert plan.lines[2].outcome == "no-further-action" and plan.lines[0].outcome == "convicted"
    assert plan.summary() == "9 offences: 2 new for 1 people, 1 already on file, 6 rejected"
    assert _count(ws) == 0
    entries = ws.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(ServiceError, match="6 line\\(s\\) are rejected"):
        Imports(ws).commit(plan, justification="Monthly extract")
    assert _count(ws) == 0 and ws.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries


def test_an_extract_imported_twice_counts_nothing_twice_and_the_score_reads_it(
    ws: Workspace, person: int, tmp_path: Path
) -> None:
    day = ws.today()
    rows = [["99 123456A", f"{day - dt.timedelta(days=d):%d/%m/%Y}", "Burglary", "Convicted", "1", "28/1"]
            for d in (10, 40, 400)]  # fmt: skip
    path = _write(tmp_path / "extract.csv", rows)
    before = Offences(ws).score(person, day).total
    plan = OffenceImport(ws).plan(path)
    assert [line.fate for line in plan.lines] == ["new"] * 3
    Imports(ws).commit(plan, justification="Monthly extract from the police")
    assert _count(ws) == 3 and Offences(ws).score(person, day).total > before == 0
    entry = ws.audit.search(kind="combination", limit=1)[0]
    assert entry.justification == "Monthly extract from the police" and "3 new for 1 people" in entry.summary
    again = OffenceImport(ws).plan(path)
    assert [line.fate for line in again.lines] == ["on file"] * 3
    Imports(ws).commit(again, justification="Sent twice")
    assert _count(ws) == 3  # the same offences are not counted twice
    recorded = Offences(ws).of(person)
    assert {(o.on, o.category, o.outcome, o.victims, o.code) for o in recorded} == {
        (day - dt.timedelta(days=d), "burglary", "convicted", 1, "28/1") for d in (10, 40, 400)
    }
