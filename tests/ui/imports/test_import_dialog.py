"""The import dialog driven through its widgets: mapping guessed, dry run with progress and Stop,
duplicates decided by a person, then the import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from ppo_desktop.imports.nominations import ImportPlan
from tests.ui.conftest import CancellingRunner, show_active
from ui.context import AppContext
from ui.imports.import_dialog import ImportDialog

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports"


def _count(ctx: AppContext, table: str) -> int:
    return int(ctx.ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def choose(dialog: ImportDialog, row: int, label: str) -> None:
    """As a person does it: onto the row's Decision cell (its drop-down opens), pick, and it is kept."""
    index = dialog.fates.index(row, 3)
    dialog.results.setCurrentIndex(index)
    editor = dialog.results.indexWidget(index)
    assert isinstance(editor, QComboBox), "the drop-down opens on the cell"
    editor.setCurrentIndex(editor.findText(label))
    editor.activated.emit(editor.currentIndex())


def _dialog(qtbot: QtBot, ctx: AppContext, path: Path) -> ImportDialog:
    dialog = ImportDialog(ctx, "nominations")
    show_active(qtbot, dialog)
    dialog.ask_file = lambda: path
    dialog.ask_reason = lambda: "Monthly nominations (test)"
    qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)
    return dialog


def test_dry_run_then_import(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = _dialog(qtbot, ctx, FIXTURES / "good.csv")
    assert dialog.columns["family_name"].currentData() == "Surname"  # guessed from the header
    assert dialog.columns["pnc_id"].currentData() == "PNC"
    before = _count(ctx, "nominations")
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    fates = [dialog.fates.row(i).texts[1] for i in range(dialog.fates.rowCount())]
    assert fates == ["new", "new", "matched"] and _count(ctx, "nominations") == before
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _count(ctx, "nominations") == before + 3
    assert "Imported" in dialog.status.text()
    assert ctx.ws.audit.search(kind="combination")[-1].justification == "Monthly nominations (test)"


def test_a_possible_duplicate_waits_for_a_decision(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    person = ctx.services.cases.nominal(1)
    assert person.dob is not None
    path = tmp_path / "dup.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Surname", "Forenames", "Date of birth", "Agency", "Strand", "Reason"])
        writer.writerow(
            [person.family_name + "e", person.given_names, person.dob.isoformat(), "Police", "C&C", "x"]
        )
    dialog = _dialog(qtbot, ctx, path)
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert dialog.fates.row(0).texts[1] == "possible-duplicate"
    assert not dialog.import_button.isEnabled()
    choose(dialog, 0, f"The same person as nominal {person.id}")
    assert dialog.import_button.isEnabled() and dialog.decisions() == {2: person.id}
    people = _count(ctx, "nominals")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _count(ctx, "nominals") == people  # joined to the existing person, never a silent merge


def test_stop_a_long_dry_run_and_explain_a_bad_file(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Surname", "Forenames", "Agency", "Strand", "Reason"])
        writer.writerows([f"Fictional{i}", "Test", "Police", "C&C", "x"] for i in range(50_000))
    dialog = _dialog(qtbot, ctx, big)
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "rows read" in dialog.status.text())
    assert dialog.stop.isEnabled() and dialog.progress.isVisible()
    qtbot.mouseClick(dialog.stop, Qt.MouseButton.LeftButton)
    assert dialog.plan is None and "stopped" in dialog.status.text() and not dialog.progress.isVisible()

    dialog.ask_file = lambda: FIXTURES / "missing_columns.csv"
    qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    assert "required column(s) missing: agency, strand, reason" in dialog.status.text()
    assert not dialog.import_button.isEnabled()


def test_a_real_extract_is_read_as_it_comes_and_the_layout_can_be_said(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, ctx, FIXTURES / "real" / "probation-report-title-totals.csv")
    assert dialog.columns["family_name"].currentData() == "Last Name"  # under a two-row title
    assert dialog.columns["reason"].currentData() == "Grounds"
    assert "The header is row 4" in dialog.status.text()
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    rows = [dialog.fates.row(i).texts[0] for i in range(dialog.fates.rowCount())]
    assert rows == ["5", "6", "7"] and "Row 8 looks like a totals row" in dialog.status.text()
    # A file whose commas sit inside names: the person says the cells are separated by semicolons.
    odd = tmp_path / "odd.csv"
    odd.write_text("Surname;Forenames;Agency;Strand;Reason\nOddly, Named;Fictional;Police;C&C;Fictional\n")
    dialog.ask_file = lambda: odd
    qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)
    dialog.delimiter.setFocus()
    dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(";"))
    assert dialog.columns["family_name"].currentData() == "Surname"
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert dialog.fates.row(0).texts[1] == "new"


def test_every_possible_duplicate_is_listed_to_decide_however_long_the_file(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More rows needing a person than the dialog lists: each possible duplicate still has its choice
    (before, those after the listed rows kept *Import* disabled for good)."""
    import ui.imports.import_dialog as module


    monkeypatch.setattr(module, "LISTED", 5)
    person = ctx.services.cases.nominal(1)
    assert person.dob is not None
    path = tmp_path / "dups.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Surname", "Forenames", "Date of birth", "Agency", "Strand", "Reason"])
        for n in range(8):  # each one letter from the person on file: a possible duplicate
            writer.writerow([person.family_name + "e" * (n + 1), person.given_names, person.dob.isoformat(),
                             "Police", "C&C", "x"])  # fmt: skip
        writer.writerow(["Quite-Different", "Fictional", "1990-01-01", "Police", "C&C", "x"])
    dialog = _dialog(qtbot, ctx, path)
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    to_decide = [i for i in range(dialog.fates.rowCount()) if dialog.fates.row(i).choices]
    plan = dialog.plan
    assert isinstance(plan, ImportPlan) and len(to_decide) == plan.count("possible-duplicate") > 5
    for i in to_decide:
        choose(dialog, i, "A new person")
    assert dialog.import_button.isEnabled()


def test_one_strand_for_a_file_without_a_strand_column(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    rows = [line.split(",") for line in (FIXTURES / "good.csv").read_text(encoding="utf-8").splitlines()]
    keep = [i for i, h in enumerate(rows[0]) if h != "Strand"]
    no_strand = tmp_path / "no_strand.csv"
    no_strand.write_text("\n".join(",".join(r[i] for i in keep) for r in rows) + "\n", encoding="utf-8")
    dialog = _dialog(qtbot, ctx, no_strand)
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    assert "strand" in dialog.status.text().lower()  # refused without a strand: it says which column
    dialog.strand.setCurrentIndex(dialog.strand.findData("C&C"))
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert "rejected" not in [dialog.fates.row(i).texts[1] for i in range(dialog.fates.rowCount())]


def test_cancel_on_the_import_imports_nothing_and_it_can_be_done_again(qtbot: QtBot, ctx: AppContext) -> None:
    """The import runs on a worker with a progress window (issue 23); its Cancel rolls it all back."""
    dialog = _dialog(qtbot, ctx, FIXTURES / "good.csv")
    before, entries = _count(ctx, "nominations"), _count(ctx, "audit")
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    runner = CancellingRunner(dialog, "Importing")
    ctx.runner = runner
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert runner.pressed and "Stopped before it finished: nothing was changed." in dialog.status.text()
    assert _count(ctx, "nominations") == before and _count(ctx, "audit") == entries
    assert dialog.import_button.isEnabled()  # the same dry run, to try again
    runner.title = "(none)"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert _count(ctx, "nominations") == before + 3 and "Imported" in dialog.status.text()


def test_an_offence_history_is_imported_through_the_dialog(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    """Offence histories (for the IOM scores) are a kind of import like the others: headings guessed,
    a dry run with each line's fate, then the import."""
    person = ctx.services.cases.cohort()[0].nominal
    before = [o.category for o in ctx.services.offences.of(person.id)]  # (the demo's own)
    path = tmp_path / "offences.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["PNC", "Offence date", "Offence type", "Outcome"])
        writer.writerow([person.pnc_id, "01/02/2024", "Burglary", "Convicted"])
        writer.writerow(["99/999999Z", "01/02/2024", "Burglary", "Convicted"])
    dialog = ImportDialog(ctx, "offence_history")
    show_active(qtbot, dialog)
    dialog.ask_file = lambda: path
    dialog.ask_reason = lambda: "Police extract (test)"
    qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)
    assert dialog.columns["offence_on"].currentData() == "Offence date"  # guessed from the heading
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert [dialog.fates.row(i).texts[1] for i in range(dialog.fates.rowCount())] == ["rejected", "new"]
    assert not dialog.import_button.isEnabled()  # all or nothing
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["PNC", "Offence date", "Offence type", "Outcome"],
                                 [person.pnc_id, "01/02/2024", "Burglary", "Convicted"]])  # fmt: skip
    qtbot.mouseClick(dialog.dry_run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.import_button.isEnabled())
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "Imported" in dialog.status.text()
    after = [o.category for o in ctx.services.offences.of(person.id)]
    assert sorted(after) == sorted([*before, "burglary"])  # one offence more, or "on file" had it been there
