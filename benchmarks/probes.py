"""Each benchmark runs in its own process (so its peak RSS is its own) and prints one JSON line."""

from __future__ import annotations

import functools
import json
import os
import resource
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the probes import Qt and the app inside themselves: each starts its own process
    from PySide6.QtWidgets import QApplication, QLabel

    from ppo_desktop.services.workspace import Workspace
    from ui.screens.case_view import CaseView

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    """This process's own peak RSS. ru_maxrss carries the parent's peak across fork/exec on Linux,
    so read the high-water mark of this process's memory map where there is one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def emit(**fields: object) -> None:
    print(json.dumps({**fields, "rss_mb": round(rss_mb(), 1)}))


def app() -> QApplication:
    from PySide6.QtWidgets import QApplication

    found = QApplication.instance()
    return found if isinstance(found, QApplication) else QApplication([])


def workspace(store: Path) -> Workspace:
    from benchmarks.synthetic import PASSPHRASE
    from db.device import DeviceSecrets
    from ppo_desktop.services.session import unlock

    return unlock(store, PASSPHRASE, device=DeviceSecrets(None))


def _repaint(a: QApplication, label: QLabel) -> None:
    label.setText(str(time.perf_counter()))
    a.processEvents()


def _shown(a: QApplication, view: CaseView, nominal_id: int) -> None:
    view.show_case(nominal_id)
    a.processEvents()


def _fetch(db: Any, sql: str, args: list[Any]) -> list[Any]:
    return list(db.execute(sql, args).fetchall())


# -- probes ------------------------------------------------------------------------------------
def until_mapped() -> None:
    """Print the probe's line and end the process as soon as a window is on screen (its first
    expose: on a real X server, when the server has mapped it)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QWindow

    class Mapped(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Expose and isinstance(watched, QWindow) and watched.isExposed():
                emit(shown=True)
                sys.stdout.flush()
                os._exit(0)
            return False

    a = app()
    a.installEventFilter(Mapped(a))


def start_bare(_store: Path) -> None:
    """A bare PySide6 window, to its first mapped frame: the baseline for start-up."""
    from PySide6.QtWidgets import QWidget

    a = app()
    until_mapped()
    w = QWidget()
    w.resize(480, 260)
    w.show()
    a.exec()


def start_app(store: Path) -> None:
    from db.device import DeviceSecrets
    from ui import theme
    from ui.tasks import TaskRunner
    from ui.unlock_dialog import UnlockDialog

    a = app()
    theme.apply(a)
    d = UnlockDialog(store, DeviceSecrets(None), TaskRunner())
    d.show()
    a.processEvents()
    emit(shown=True)


def start_ordinary(store: Path) -> None:
    """``ppo-desktop --store`` on an ordinary store (not the demo; the OS keyring looked for as on
    any laptop), from process start to its unlock dialog mapped."""
    app()
    until_mapped()
    from ui.app import main

    main(["--store", str(store)])


def unlock_to_cohort(store: Path) -> None:
    a = app()
    from benchmarks.synthetic import PASSPHRASE
    from db.device import DeviceSecrets
    from ppo_desktop.services.bundle import Services
    from ppo_desktop.services.session import open_granted, unlock_key
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import SyncRunner

    t = time.perf_counter()  # as the unlock dialog does it: the whole-file check runs afterwards
    device = DeviceSecrets(None)
    ws = open_granted(unlock_key(store, PASSPHRASE, device=device), device=device, defer_check=True)
    window = MainWindow(AppContext(Services(ws), SyncRunner()))
    window.show()
    a.processEvents()
    value = (time.perf_counter() - t) * 1000
    rows = window.cohort.model.rowCount()
    plain = plain_copy(store)
    base = statistics.median(timed(lambda: plain.execute(COHORT_SQL).fetchall(), 3))
    emit(value=value, baseline=base, rows=rows)


def keystroke(store: Path) -> None:
    a = app()
    from PySide6.QtWidgets import QLabel

    from ppo_desktop.services.score_sheets import ScoreSheets
    from ui.scoring.widget import ScoringWidget

    ws = workspace(store)
    sheets = ScoreSheets(ws)
    nid = ws.db.execute("SELECT nominal_id FROM memberships WHERE strand = 'C&C' LIMIT 1").fetchone()[0]
    sheet = sheets.start(nid).record
    widget = ScoringWidget(sheets)
    widget.resize(1366, 700)
    widget.show()
    widget.load(sheet)
    a.processEvents()
    model = widget.model
    assert model is not None
    row = next(i for i, item in enumerate(model.items) if item.key == "robbery")
    keys, saves = [], []
    for n in range(300):
        t = time.perf_counter()
        model.setData(model.index(row, 2), n % 9)
        a.processEvents()  # the paint of what the edit dirtied (changed rows, the total), as the app does
        keys.append((time.perf_counter() - t) * 1000)
        if n % 10 == 9:
            t = time.perf_counter()
            widget.flush()
            saves.append((time.perf_counter() - t) * 1000)
    label = QLabel("Total 0")
    label.show()
    base = timed(lambda: _repaint(a, label), 300)
    emit(
        p50=p(keys, 0.5),
        p95=p(keys, 0.95),
        save_p50=p(saves, 0.5),
        save_p95=p(saves, 0.95),
        baseline=p(base, 0.95),
    )


def next_item(store: Path) -> None:
    a = app()
    from PySide6.QtWidgets import QLabel

    from ppo_desktop.services.bundle import Services
    from ui.context import AppContext
    from ui.meeting.console import ChairConsole
    from ui.tasks import SyncRunner

    ws = workspace(store)
    ctx = AppContext(Services(ws), SyncRunner())
    meeting = ws.db.execute("SELECT id FROM meetings WHERE state = 'planned'").fetchone()[0]
    people = [r[0] for r in ws.db.execute("SELECT id FROM nominals LIMIT 40")]
    for nid in people:
        ctx.services.meetings.add_item(meeting, f"Person {nid}", nominal_id=nid, reasons=["benchmark"])
    console = ChairConsole(ctx, meeting)
    console.resize(1366, 768)
    console.show()
    console.projector.set_curtain(False)
    console.projector.resize(1920, 1080)
    console.projector.show()
    a.processEvents()
    times = []
    for i in range(1, 40):
        t = time.perf_counter()
        console.go_to(i)
        a.processEvents()  # console and projector repaint what changed
        times.append((time.perf_counter() - t) * 1000)
    label = QLabel("x")
    label.show()
    base = timed(lambda: _repaint(a, label), 40)
    emit(p50=p(times, 0.5), p95=p(times, 0.95), baseline=p(base, 0.95))


def agenda_proposal(store: Path) -> None:
    from ppo_desktop.services.meetings import Meetings

    ws = workspace(store)
    meeting = ws.db.execute("SELECT id FROM meetings WHERE state = 'planned'").fetchone()[0]
    found: list[object] = []
    values = timed(lambda: found.append(len(Meetings(ws).proposals(meeting))), 3)
    plain = plain_copy(store)
    base = statistics.median(timed(lambda: plain.execute(COHORT_SQL).fetchall(), 3))
    emit(value=statistics.median(values), baseline=base, proposals=found[0])


def cohort_filter(store: Path) -> None:
    a = app()
    from ppo_desktop.services.bundle import Services
    from ui.context import AppContext
    from ui.screens.cohort import CohortScreen
    from ui.tasks import SyncRunner

    ws = workspace(store)
    screen = CohortScreen(AppContext(Services(ws), SyncRunner()))
    screen.show()
    a.processEvents()
    words = ["bramble", "quill", "98/000", "zebedee", "moss", ""] * 4
    times_: list[float] = []
    for w in words:
        t = time.perf_counter()
        screen.proxy.set_criteria(search=w)
        times_.append((time.perf_counter() - t) * 1000)
    names = [screen.model.row_object(i).nominal.family_name.lower() for i in range(screen.model.rowCount())]
    base = timed(lambda: [n for n in names if "bramble" in n], 20)
    emit(p50=p(times_, 0.5), p95=p(times_, 0.95), baseline=p(base, 0.95), rows=len(names))


def open_case(store: Path) -> None:
    a = app()
    from ppo_desktop.services.bundle import Services
    from ui.context import AppContext
    from ui.screens.case_view import CaseView
    from ui.tasks import SyncRunner

    ws = workspace(store)
    nid = ws.db.execute(
        "SELECT nominal_id FROM score_sheets GROUP BY nominal_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    view = CaseView(AppContext(Services(ws), SyncRunner()))
    view.resize(1366, 768)
    view.show()
    values = timed(lambda: _shown(a, view, nid), 5)
    plain = plain_copy(store)
    base = statistics.median(timed(lambda: [plain.execute(q, [nid]).fetchall() for q in CASE_SQL], 5))
    emit(
        value=statistics.median(values),
        baseline=base,
        sheets=ws.db.execute("SELECT count(*) FROM score_sheets WHERE nominal_id = ?", [nid]).fetchone()[0],
    )


def minutes_40(store: Path) -> None:
    from ppo_desktop.domain import DecisionKind
    from ppo_desktop.services.decisions import Decisions
    from ppo_desktop.services.documents import Documents
    from ppo_desktop.services.meetings import Meetings

    ws = workspace(store)
    meetings = Meetings(ws)
    meeting = ws.db.execute("SELECT id FROM meetings WHERE state = 'planned'").fetchone()[0]
    people = [
        r[0] for r in ws.db.execute("SELECT nominal_id FROM memberships WHERE removed_on IS NULL LIMIT 40")
    ]
    meetings.start(meeting)
    for nid in people:
        made = meetings.add_item(meeting, f"Person {nid}", nominal_id=nid, reasons=["benchmark review"])
        item = made.record
        meetings.set_notes(item.id, "Synthetic discussion of engagement, accommodation and offending. " * 3)
        Decisions(ws).decide(item.id, DecisionKind.RETAIN)
    doc = Documents(ws).minutes(meeting)
    story = doc.story
    assert story is not None
    value = statistics.median(timed(lambda: doc.render(), 3))
    base = statistics.median(timed(lambda: plain_reportlab(story()), 3))
    emit(value=value, baseline=base, items=len(people))


def sheets_100(store: Path) -> None:
    from ppo_desktop.services.documents import Documents

    ws = workspace(store)
    ids = [r[0] for r in ws.db.execute("SELECT DISTINCT nominal_id FROM score_sheets LIMIT 100")]
    doc = Documents(ws).scoring_sheets(ids)
    story = doc.story
    assert story is not None
    value = statistics.median(timed(lambda: doc.render(), 2))
    base = statistics.median(timed(lambda: plain_reportlab(story()), 2))
    emit(value=value, baseline=base, sheets=len(ids))


def encrypted_vs_plain(store: Path) -> None:
    ws = workspace(store)
    plain = plain_copy(store)
    enc, raw = [], []
    nid = ws.db.execute("SELECT nominal_id FROM score_sheets LIMIT 1").fetchone()[0]
    for sql, args in [
        (COHORT_SQL, []),
        *[(q, [nid]) for q in CASE_SQL],
        ("SELECT * FROM audit ORDER BY seq DESC LIMIT 1000", []),
        ("SELECT nominal_id, count(*), max(total) FROM score_sheets GROUP BY nominal_id", []),
    ]:
        enc.append(statistics.median(timed(functools.partial(_fetch, ws.db, sql, args), 5)))
        raw.append(statistics.median(timed(functools.partial(_fetch, plain, sql, args), 5)))
    emit(value=sum(enc), baseline=sum(raw))


def performance_figures(store: Path) -> None:
    """The dashboard's figures (every table and chart) against reading the same rows plainly."""
    from ppo_desktop.services.performance import Performance

    ws = workspace(store)
    plain = plain_copy(store)
    perf = Performance(ws)
    value = statistics.median(timed(perf.report, 3))
    base = statistics.median(
        timed(
            lambda: [
                plain.execute(q).fetchall()
                for q in (
                    "SELECT * FROM nominals",
                    "SELECT * FROM memberships",
                    "SELECT nominal_id, matrix_id, scored_on, total FROM score_sheets WHERE state = 'final'",
                )
            ],
            3,
        )
    )
    emit(value=value, baseline=base)


def import_dry_run(store: Path) -> None:
    """A 200,000-row nominations file through the dry run, against the csv module reading it."""
    import csv

    from ppo_desktop.imports.nominations import NominationImport

    ws = workspace(store)
    big = store.with_name("nominations-200k.csv")
    with big.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Surname", "Forenames", "Date of birth", "PNC", "Agency", "Strand", "Reason"])
        for i in range(200_000):
            writer.writerow([f"Synthetic{i}", "Benchmark", f"19{60 + i % 40}-0{1 + i % 9}-1{i % 9}",
                             f"98/{i:06d}B", "Police", "C&C", "Synthetic nomination"])  # fmt: skip
    t = time.perf_counter()
    plan = NominationImport(ws).plan(big)
    value = (time.perf_counter() - t) * 1000
    assert len(plan.rows) == 200_000
    t = time.perf_counter()
    with big.open(newline="", encoding="utf-8") as f:
        rows = sum(1 for _ in csv.reader(f))
    base = (time.perf_counter() - t) * 1000
    emit(value=value, baseline=base, rows=rows - 1)


def merge_pack(store: Path) -> None:
    """Every person of the store, with all their records, merged into an empty laptop from a pack
    (open, check, match, reconcile, write with stamps and audit), against the same rows inserted
    plainly into another empty store in one transaction. The pack is made, and the baseline run, in
    child processes: the peak RSS printed is the merge's own."""
    from benchmarks.synthetic import PASSPHRASE
    from db.device import DeviceSecrets
    from db.keyfile import KdfCost
    from ppo_desktop.services.session import create_store, unlock
    from ppo_desktop.services.transfer import Transfer

    made, timed = store.with_name("merge.pack"), store.with_name("merge-baseline.json")
    targets = {name: store.with_name(f"{name}.ppo") for name in ("merged", "plain")}

    def prepare() -> None:
        ws = workspace(store)
        fresh = [
            create_store(
                target, user_id="chair", display_name="Benchmark chair", passphrase=PASSPHRASE,
                partnership="Benchmarkshire (FICTIONAL)", device=DeviceSecrets(None), cost=KdfCost(n=2**14),
            )[0]
            for target in targets.values()
        ]  # fmt: skip
        people = [r[0] for r in ws.db.execute("SELECT id FROM nominals")]
        key = Transfer(fresh[0]).keys.public_key()
        made.write_bytes(
            Transfer(ws).export(people, recipient_key=key, recipient="Benchmark", justification="Benchmark")
        )
        for w in (ws, *fresh):
            w.close()

    _in_child(prepare)
    target = unlock(targets["merged"], PASSPHRASE, device=DeviceSecrets(None))
    data = made.read_bytes()
    t = time.perf_counter()
    transfer = Transfer(target)
    plan = transfer.plan(data)
    alike = {p.number: None for p in plan.people if p.fate == "possible-duplicate"}  # all new people
    transfer.commit(plan, alike, justification="Benchmark", trusted=plan.fingerprint)
    value = (time.perf_counter() - t) * 1000
    people = len(plan.people)
    _in_child(lambda: _plain_inserts(store, plan, targets["plain"], timed))
    found = json.loads(timed.read_text())
    emit(value=value, baseline=found["baseline"], people=people, records=found["records"])


def _in_child(work: Callable[[], None]) -> None:
    """``work`` in a forked child (its memory is its own), waited for; a failure fails the probe."""
    pid = os.fork()
    if pid == 0:
        try:
            work()
        except BaseException:  # noqa: BLE001 - said by the exit status, and its traceback
            import traceback

            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError("a benchmark child process failed")


def _plain_inserts(store: Path, plan: Any, target: Path, out: Path) -> None:
    """The baseline: the pack's rows inserted plainly, in one transaction (the time written to ``out``)."""
    from benchmarks.synthetic import PASSPHRASE
    from db.device import DeviceSecrets
    from ppo_desktop.services.session import unlock
    from ppo_desktop.transfer.sync import REFERENCES

    ws, plain = workspace(store), unlock(target, PASSPHRASE, device=DeviceSecrets(None))
    records: list[dict[str, Any]] = list(plan.records())
    breakdowns = {  # read before the clock starts: the baseline only inserts
        f"{ws.vault.store_id}:score_sheets:{i}": b
        for i, b in ws.db.execute("SELECT id, breakdown FROM score_sheets")
    }
    t = time.perf_counter()
    with plain.vault.transaction() as db:
        local: dict[str, int] = {}
        for r in records:
            if any(r["v"].get(k) and r["v"][k] not in local for k in REFERENCES):
                continue  # refers to a meeting not in the pack: the merge leaves it out too
            row = {k: (local[v] if k in REFERENCES and v else v) for k, v in r["v"].items()}
            if r["t"] == "score_sheets":  # the whole row as stored there, breakdown included
                row["breakdown"] = breakdowns[r["uid"]]
            if r["t"] == "nominals":
                row |= {"ref": r["uid"][-12:], "created_at": "2026-11-24", "updated_at": "2026-11-24"}
            local[r["uid"]] = int(db.table(r["t"]).insert(row).last_pk or 0)
    base = (time.perf_counter() - t) * 1000
    out.write_text(json.dumps({"baseline": base, "records": len(records)}))


# -- helpers -----------------------------------------------------------------------------------
COHORT_SQL = """SELECT n.*, m.* FROM nominals n LEFT JOIN memberships m ON m.nominal_id = n.id
                AND m.removed_on IS NULL ORDER BY n.family_name"""
CASE_SQL = [
    "SELECT * FROM memberships WHERE nominal_id = ?",
    "SELECT * FROM actions WHERE nominal_id = ?",
    "SELECT * FROM decisions WHERE nominal_id = ?",
    "SELECT * FROM score_sheets WHERE nominal_id = ?",
    "SELECT * FROM audit WHERE nominal_id = ? ORDER BY seq DESC LIMIT 200",
]


def subject_access(store: Path) -> None:
    """A subject access pack (bundle and PDF) for the person with the most audit entries."""
    import datetime as dt

    from ppo_desktop.services.subject_access import SubjectAccess

    ws = workspace(store)
    nid = ws.db.execute(
        "SELECT nominal_id FROM audit WHERE nominal_id IS NOT NULL GROUP BY nominal_id ORDER BY count(*) DESC"
    ).fetchone()[0]
    access = SubjectAccess(ws)

    def make() -> None:
        pack = access.pack(nid, requested_on=dt.date(2026, 11, 1))
        access.pdf(pack)

    values = timed(make, 3)
    plain = plain_copy(store)
    tables = access.person_tables()
    base = statistics.median(timed(lambda: [plain.execute(f'SELECT * FROM "{t}" WHERE nominal_id = ?', [nid])
                                            .fetchall() for t in [*tables, "audit"]], 3))  # fmt: skip
    audited = ws.db.execute("SELECT count(*) FROM audit WHERE nominal_id = ?", [nid]).fetchone()[0]
    emit(value=statistics.median(values), baseline=base, audit_entries=audited)


def rfg_scores(store: Path) -> None:
    """Everyone's IOM score (RFGV) as at a date, with 20 offences a person (200,000 for 10,000)."""
    import datetime as dt
    import random

    from ppo_desktop.services.offences import OUTCOMES, Offences

    ws = workspace(store)
    rng = random.Random(7)
    day = dt.date(2026, 11, 24)
    categories = ["burglary", "robbery", "theft", "vehicle-crime", "violence", "criminal-damage", "other"]
    people = [r[0] for r in ws.db.execute("SELECT id FROM nominals")]
    rows = [(nid, (day - dt.timedelta(days=rng.randrange(1, 1500))).isoformat(), rng.choice(categories),
             rng.choice(OUTCOMES), rng.randrange(0, 3), "", "", day.isoformat())
            for nid in people for _ in range(20)]  # fmt: skip
    with ws.vault.transaction() as db:
        db.conn.executemany(
            "INSERT INTO offences (nominal_id, offence_on, category, outcome, victims, code, source, "
            "recorded_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    offences = Offences(ws)
    values = timed(lambda: offences.scores(day), 3)
    plain = sqlite3.connect(":memory:")
    plain.execute("CREATE TABLE offences (nominal_id, offence_on, category, outcome, victims, code, s, r)")
    plain.executemany("INSERT INTO offences VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    base = statistics.median(timed(lambda: plain.execute("SELECT * FROM offences").fetchall(), 3))
    emit(value=statistics.median(values), baseline=base, offences=len(rows), people=len(people))


def plain_copy(store: Path) -> sqlite3.Connection:
    """The same data, unencrypted (made once by run.py with sqlcipher_export), for baselines."""
    return sqlite3.connect(store.with_name(store.stem + "-plain.sqlite"))


def plain_reportlab(story: list[object]) -> bytes:
    """The same flowables through reportlab's own SimpleDocTemplate: no page furniture, one pass."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


PROBES = {
    f.__name__: f
    for f in (
        start_bare,
        start_app,
        start_ordinary,
        unlock_to_cohort,
        keystroke,
        next_item,
        agenda_proposal,
        subject_access,
        rfg_scores,
        cohort_filter,
        open_case,
        minutes_40,
        sheets_100,
        encrypted_vs_plain,
        performance_figures,
        import_dry_run,
        merge_pack,
    )
}

if __name__ == "__main__":
    PROBES[sys.argv[1]](Path(sys.argv[2]))
