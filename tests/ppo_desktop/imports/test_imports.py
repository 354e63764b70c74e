"""Importing nominations: each bad file gets a message naming row and column and leaves the store as
it was; a good file's dry run gives every row its fate; the import is all or nothing."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from db.device import DeviceSecrets
from db.keyfile import KdfCost
from ppo_desktop.imports.nominations import NominationImport
from ppo_desktop.imports.planning import ImportCancelled
from ppo_desktop.imports.sources import ImportProblem
from ppo_desktop.services.cases import Cases, NominalDraft
from ppo_desktop.services.exports import Exports
from ppo_desktop.services.imports import Imports
from ppo_desktop.services.memberships import Memberships
from ppo_desktop.services.session import create_store
from ppo_desktop.services.workspace import ServiceError, Workspace

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports"


def _state(ws: Workspace) -> tuple[int, int, int]:
    """What an import could change: people, nominations and audit entries."""
    return tuple(  # type: ignore[return-value]
        ws.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("nominals", "nominations", "audit")
    )


def test_dry_run_gives_every_row_its_fate_and_the_import_is_all_or_nothing(ws: Workspace) -> None:
    existing = Cases(ws).add_nominal(NominalDraft("Fizzlewik", "Henrietta", dob=dt.date(1995, 7, 12))).record
    imports = NominationImport(ws)
    before = _state(ws)
    plan = imports.plan(FIXTURES / "good.csv")
    assert [r.fate for r in plan.rows] == ["new", "possible-duplicate", "matched"]
    assert plan.rows[1].nominal_id == existing.id and "similar name" in plan.rows[1].message
    assert plan.rows[2].same_as_row == 2 and "same PNC id" in plan.rows[2].message
    assert _state(ws) == before  # a dry run writes nothing
    with pytest.raises(ServiceError, match="need a person's decision"):
        Imports(ws).commit(plan, justification="Monthly nominations from the intelligence unit")
    assert _state(ws) == before
    Imports(ws).commit(plan, {3: existing.id}, justification="Monthly nominations from the intelligence unit")
    people, nominations, _ = _state(ws)
    assert (people, nominations) == (before[0] + 1, before[1] + 3)
    wobbleford = ws.db.execute("SELECT id FROM nominals WHERE family_name = 'Wobbleford'").fetchall()
    assert len(wobbleford) == 1  # the second row for the same PNC joined the first, not a new person
    agencies = {
        r[0] for r in ws.db.execute("SELECT agency FROM nominations WHERE nominal_id = ?", [wobbleford[0][0]])
    }
    assert agencies == {"Police", "YOS"}
    combination = ws.audit.search(kind="combination")[-1]
    assert "3 rows" in combination.summary and combination.justification.startswith("Monthly")


def test_a_failure_midway_leaves_nothing_behind(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    imports = NominationImport(ws)
    plan = imports.plan(FIXTURES / "good.csv")
    plan = dataclasses.replace(plan, rows=plan.rows[:1] + plan.rows[2:])  # no duplicate
    before = _state(ws)
    from ppo_desktop.services.nominations import Nominations

    calls = []

    def failing(self: Nominations, *args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise ServiceError("simulated failure on the second row")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    original = Nominations.nominate
    monkeypatch.setattr(Nominations, "nominate", failing)
    with pytest.raises(ServiceError, match="simulated"):
        Imports(ws).commit(plan, justification="test")
    assert _state(ws) == before


def test_the_column_mapping_is_remembered_per_source(ws: Workspace, tmp_path: Path) -> None:
    """Remembered by the import itself, in its one audited transaction."""
    imports = NominationImport(ws)
    header = ["Name 1", "Name 2", "Org", "Programme", "Why"]
    assert imports.mapping_for("unit-a", header) == {"reason": "Why"}  # guessed from the header's words
    mapping = {
        "family_name": "Name 1",
        "given_names": "Name 2",
        "agency": "Org",
        "strand": "Programme",
        "reason": "Why",
    }
    path = tmp_path / "unit-a.csv"
    path.write_text(",".join(header) + "\nQuillfeather,Fictional,Police,C&C,Test\n", encoding="utf-8")
    plan = imports.plan(path, source="unit-a", columns=mapping)
    Imports(ws).commit(plan, justification="Monthly nominations")
    assert imports.mapping_for("unit-a", header) == mapping
    entry = ws.audit.search(kind="combination")[0]
    assert entry.after is not None and json.loads(entry.after)["mapping"] == mapping
    assert imports.mapping_for("unit-b", header) == {"reason": "Why"}


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("missing_columns.csv", "required column(s) missing: agency, strand, reason"),
        ("wrong_encoding.csv", "row 2, column 1 is not UTF-8 text"),
    ],
)
def test_unreadable_files_are_explained(ws: Workspace, fixture: str, message: str) -> None:
    before = _state(ws)
    with pytest.raises(ImportProblem) as caught:
        NominationImport(ws).plan(FIXTURES / fixture)
    assert message in str(caught.value) and fixture in str(caught.value)
    assert _state(ws) == before


def test_bad_rows_are_rejected_naming_row_and_column(ws: Workspace) -> None:
    imports = NominationImport(ws)
    before = _state(ws)
    plan = imports.plan(FIXTURES / "impossible_dates.csv")
    messages = [r.message for r in plan.rows]
    assert [r.fate for r in plan.rows] == ["rejected"] * 3
    assert (
        messages[0].startswith("Row 2:")
        and "column 'Date of birth': '1990-02-30' is not a date" in messages[0]
    )
    assert "Row 3:" in messages[1] and "impossible date of birth" in messages[1]
    assert "Row 4:" in messages[2]
    assert "column 'Strand': 'X&Y' is not one of the lists (P&D, C&C, R&R)" in messages[2]
    with pytest.raises(ServiceError, match="3 row\\(s\\) are rejected"):
        Imports(ws).commit(plan, justification="test")
    assert _state(ws) == before


def test_formula_cells_are_stored_as_text_and_exported_neutralised(ws: Workspace) -> None:
    imports = NominationImport(ws)
    plan = imports.plan(FIXTURES / "formula.csv")
    Imports(ws).commit(plan, justification="test")
    stored = ws.db.execute("SELECT family_name FROM nominals").fetchone()[0]
    assert stored == "=cmd|' /C calc'!A0"  # kept exactly, as text
    from ppo_desktop.domain import Basis, Status, Strand

    nid = ws.db.execute("SELECT id FROM nominals").fetchone()[0]
    Memberships(ws).select(nid, Strand.CATCH_CONVICT, Basis.PROLIFIC, Status.OFFENDING_CJS, authority="Test")
    data = Exports(ws).export("cohort", how="saved", recipient="Board", justification="Return")
    cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert not any(c.startswith(("=", "@", "+")) for c in cells)


@pytest.mark.slow
def test_a_large_file_streams_with_progress_and_can_be_cancelled(ws: Workspace, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Surname", "Forenames", "Date of birth", "Agency", "Strand", "Reason"])
        start = dt.date(1960, 1, 1)
        for i in range(200_000):
            day = start + dt.timedelta(days=i % 15000)
            writer.writerow([f"Fictional{i}", "Testperson", day.isoformat(), "Police", "C&C", "Synthetic"])
    seen: list[int] = []
    with pytest.raises(ImportCancelled):
        NominationImport(ws).plan(big, progress=lambda n: seen.append(n) or n < 5000)
    assert seen == [1000, 2000, 3000, 4000, 5000]  # reported as it went, stopped when asked
    plan = NominationImport(ws).plan(big, progress=lambda n: seen.append(n) is None)
    assert len(plan.rows) == 200_000 and seen[-1] == 200_000 and plan.count("rejected") == 0


def test_excel_workbooks_import_and_bad_ones_are_explained(ws: Workspace, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Family name", "Given names", "Date of birth", "Agency", "Strand", "Reason"])
    sheet.append(["Quillfeather", "Barnaby", dt.datetime(1993, 4, 5), "Police", "C&C", "Fictional"])
    book.save(tmp_path / "nominations.xlsx")
    plan = NominationImport(ws).plan(tmp_path / "nominations.xlsx")
    assert [r.fate for r in plan.rows] == ["new"]
    Imports(ws).commit(plan, justification="Workbook from the unit")
    dob = ws.db.execute("SELECT dob FROM nominals WHERE family_name = 'Quillfeather'").fetchone()[0]
    assert dob == "1993-04-05"
    (tmp_path / "fake.xlsx").write_text("not a workbook")
    with pytest.raises(ImportProblem, match="not a readable Excel workbook"):
        NominationImport(ws).plan(tmp_path / "fake.xlsx")


def test_exported_cohort_imports_into_a_fresh_store(
    demo_store: Path, tmp_path: Path, no_device: DeviceSecrets, cost: KdfCost
) -> None:
    from ppo_desktop.demo import DEMO_PASSPHRASE
    from ppo_desktop.services.session import unlock

    demo = unlock(demo_store, DEMO_PASSPHRASE, device=DeviceSecrets(None))
    try:
        data = Exports(demo).export("cohort", how="saved", recipient="Other scheme", justification="Transfer")
        cohort = {
            (r.nominal.pnc_id, r.membership.strand.value) for r in Cases(demo).cohort(include_former=False)
        }  # type: ignore[union-attr]
    finally:
        demo.close()
    exported = tmp_path / "cohort.csv"
    exported.write_bytes(data)
    fresh, _ = create_store(
        tmp_path / "fresh", user_id="admin", display_name="Admin", passphrase="fresh passphrase 1",
        partnership="Fresh (TEST)", device=no_device, cost=cost,
    )  # fmt: skip
    try:
        imports = NominationImport(fresh)
        plan = imports.plan(exported)
        assert plan.count("new") == len(cohort) and plan.count("rejected") == 0
        Imports(fresh).commit(plan, justification="Transfer from the demo scheme")
        pool = {
            (r["pnc_id"], r["strand"])
            for r in fresh.db.query(
                "SELECT n.pnc_id, o.strand FROM nominations o JOIN nominals n ON n.id = o.nominal_id"
            )
        }
        assert pool == cohort
    finally:
        fresh.close()


@pytest.mark.parametrize(
    ("given", "possible"),
    [("Brad", True), ("B", True), ("Bradley", True), ("Bradleigh", False), ("Conrad", False)],
)
def test_a_shortened_forename_with_the_same_surname_and_birth_date_is_a_possible_duplicate(
    ws: Workspace, given: str, possible: bool
) -> None:
    """"HOLLOWAY, Brad" beside "HOLLOWAY, Bradley James" (same date of birth) became a new person: it
    is a possible duplicate for a person to decide — never matched on its own."""
    from ppo_desktop.imports.nominations import PersonIndex

    born = dt.date(1990, 3, 4)
    existing = Cases(ws).add_nominal(NominalDraft("Holloway", "Bradley James", dob=born)).record
    fate = PersonIndex(ws).match_draft(NominalDraft("Holloway", given, dob=born), 1)
    assert (fate.fate == "possible-duplicate" and fate.nominal_id == existing.id) is possible
    assert fate.fate != "matched"


def test_a_file_without_a_strand_column_imports_with_one_strand_for_all_rows(
    ws: Workspace, tmp_path: Path
) -> None:
    """An import without a strand column was refused outright: the coordinator can say "all rows are
    C&C" (rows that do give a strand keep it)."""
    from ppo_desktop.domain import Strand

    source = FIXTURES / "good.csv"
    rows = source.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    keep = [i for i, h in enumerate(header) if h != "Strand"]
    lines = [",".join(cells[i] for i in keep) for cells in (r.split(",") for r in rows)]
    no_strand = tmp_path / "no_strand.csv"
    no_strand.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match="strand"):
        NominationImport(ws).plan(no_strand)
    plan = NominationImport(ws, Strand.CATCH_CONVICT).plan(no_strand)
    assert plan.strand == "C&C" and any("taken as C&C" in note for note in plan.notes)
    assert all(r.fate != "rejected" for r in plan.rows)
    decisions = {r.number: None for r in plan.rows if r.fate == "possible-duplicate"}
    Imports(ws).commit(plan, decisions, justification="Monthly list, all C&C")
    strands = {r[0] for r in ws.db.execute("SELECT strand FROM nominations")}
    assert strands == {"C&C"}
