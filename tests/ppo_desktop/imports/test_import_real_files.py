"""Files shaped like what police, probation and YOS systems and Excel write (fictional people): each
dry run gives every data row its fate naming its row, says what it assumed, and a refused file or
commit leaves the store as it was. Expectations: tests/fixtures/imports/real/expected.toml."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from openpyxl import Workbook

from ppo_desktop.imports.nominations import NominationImport
from ppo_desktop.imports.sources import ImportProblem, Reading, read_rows
from ppo_desktop.services.imports import Imports
from ppo_desktop.services.workspace import ServiceError, Workspace

REAL = Path(__file__).parents[2] / "fixtures" / "imports" / "real"
EXPECTED = tomllib.loads((REAL / "expected.toml").read_text(encoding="utf-8"))


def _state(ws: Workspace) -> tuple[int, ...]:
    return tuple(
        ws.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("nominals", "nominations", "audit")
    )


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if "fates" in e))
def test_real_files_give_every_row_its_fate(ws: Workspace, name: str) -> None:
    expected = EXPECTED[name]
    before = _state(ws)
    plan = NominationImport(ws).plan(REAL / name)
    assert [[r.number, r.fate] for r in plan.rows] == expected["fates"]
    assert all(r.message.startswith(f"Row {r.number}:") for r in plan.rows)
    messages = " | ".join(r.message for r in plan.rows)
    for words in expected["messages"]:
        assert words in messages
    notes = " | ".join(plan.notes)
    for words in expected["notes"]:
        assert words in notes
    assert _state(ws) == before  # a dry run writes nothing
    if plan.count("rejected"):
        with pytest.raises(ServiceError, match="rejected"):
            Imports(ws).commit(plan, justification="Monthly referrals")
        assert _state(ws) == before


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if "refused" in e))
def test_real_files_that_cannot_be_read_say_why(ws: Workspace, name: str) -> None:
    before = _state(ws)
    with pytest.raises(ImportProblem) as caught:
        NominationImport(ws).plan(REAL / name)
    for words in EXPECTED[name]["refused"]:
        assert words in str(caught.value)
    assert _state(ws) == before


def test_a_quoted_line_break_stays_in_its_cell_and_the_import_reads_the_file_again(ws: Workspace) -> None:
    imports = NominationImport(ws)
    plan = imports.plan(REAL / "pipe-separated.txt")
    Imports(ws).commit(plan, justification="Case system extract")
    reasons = {r[0] for r in ws.db.execute("SELECT reason FROM nominations")}
    assert reasons == {"Fictional: prolific shoplifting", "Fictional: burglary"}
    with read_rows(REAL / "police-semicolon-bom.csv") as source:
        first = next(source.rows)
    assert (
        first.number == 2
        and first.cells["Reason for nomination"] == "Fictional: 14 burglaries;\r\nvehicle crime"
    )
    assert source.header[0] == "SURNAME"  # the byte-order mark is not part of the first heading


def test_a_file_changed_after_the_dry_run_is_not_imported(ws: Workspace, tmp_path: Path) -> None:
    copy = tmp_path / "pipe.txt"
    copy.write_bytes((REAL / "pipe-separated.txt").read_bytes())
    imports = NominationImport(ws)
    plan = imports.plan(copy)
    before = _state(ws)
    copy.write_bytes(copy.read_bytes().replace(b"Noodleham", b"Noodlehat"))
    with pytest.raises(ServiceError, match="changed"):
        Imports(ws).commit(plan, justification="Case system extract")
    assert _state(ws) == before


def test_unsure_detection_says_what_it_assumed_and_can_be_overridden(ws: Workspace, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"  # one column of names with commas inside: a semicolon file of one field?
    odd.write_text("Surname;Forenames;Agency;Strand;Reason\nOddly, Named;Fictional;Police;C&C;Fictional\n")
    plan = NominationImport(ws).plan(odd, reading=Reading(delimiter=";"))
    assert [r.fate for r in plan.rows] == ["new"] and "separated by semicolon, as you said" in plan.notes[0]
    titled = tmp_path / "titled.csv"
    titled.write_text(
        "Monthly list\nSurname,Forenames,Agency,Strand,Reason\nTwiddle,Fictional,Police,C&C,Why\n"
    )
    plan = NominationImport(ws).plan(titled, reading=Reading(header_row=2))
    assert [r.number for r in plan.rows] == [3]
    with pytest.raises(ImportProblem, match="no row 9"):
        NominationImport(ws).plan(titled, reading=Reading(header_row=9))


def test_a_workbook_with_a_title_and_totals(ws: Workspace, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Intelligence unit: PPO nominations"])
    sheet.append([])
    sheet.append(["Surname", "Forename(s)", "D.O.B.", "PNC", "Nominating agency", "Strand", "Grounds"])
    sheet.append(
        ["Quillfeather", "Barnaby", dt.datetime(1993, 4, 5), "96/111111A", "Police", "C&C", "Fictional"]
    )
    sheet.append(["Sprocketson", "Zebedee", dt.datetime(1994, 5, 6), "", "Police", "C&C", "Fictional"])
    sheet.append(["Total", 2])
    book.save(tmp_path / "unit.xlsx")
    plan = NominationImport(ws).plan(tmp_path / "unit.xlsx")
    assert [[r.number, r.fate] for r in plan.rows] == [[4, "new"], [5, "new"]]
    assert any("The header is row 3" in n for n in plan.notes)
    assert any("Row 6 looks like a totals row" in n for n in plan.notes)


def test_a_file_that_is_one_enormous_line_is_refused_without_reading_it_whole(
    ws: Workspace, tmp_path: Path
) -> None:
    huge = tmp_path / "oneline.csv"
    with huge.open("w") as f:
        f.write("Surname,Forenames,Agency,Strand,Reason\n")
        f.write("x" * (3 << 20))  # 3 MB, no line break
    with pytest.raises(ImportProblem, match="line 2 is longer than 1024 KB"):
        NominationImport(ws).plan(huge)
