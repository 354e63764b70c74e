"""``ppo-desktop --screenshots DIR``: render every main screen of the demo store to PNG, offscreen."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ppo_desktop.demo import DEMO_PASSPHRASE, build_demo


def write_screenshots(out: Path, size: tuple[int, int] = (1366, 768)) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ppo_desktop.services.bundle import Services
    from ppo_desktop.services.session import DeviceSecrets, unlock
    from ui import theme
    from ui.app import demo_hint
    from ui.context import AppContext
    from ui.main_window import NAV, MainWindow
    from ui.tasks import SyncRunner
    from ui.unlock_dialog import UnlockDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme.apply(app)
    out.mkdir(parents=True, exist_ok=True)
    device = DeviceSecrets(None, "")
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="ppo-shots-") as tmp:
        store = Path(tmp) / "demo.ppo"
        build_demo(store)
        dialog = UnlockDialog(store, device, SyncRunner(), hint=demo_hint())
        dialog.show()
        written.append(_save(dialog, out / "00-unlock.png"))
        dialog.close()
        ws = unlock(store, DEMO_PASSPHRASE, device=device)
        window = MainWindow(AppContext(Services(ws), SyncRunner()))
        window.resize(*size)
        window.show()
        for i, name in enumerate(NAV, start=1):
            window.show_screen(name)
            written.append(_save(window, out / f"{i:02d}-{name.lower()}.png"))
        from ppo_desktop.domain import Strand

        subject = next(
            r
            for r in window.ctx.services.cases.cohort()
            if r.membership
            and r.membership.current
            and r.membership.strand is Strand.CATCH_CONVICT
            and r.latest_score is not None
        )
        window.show_screen("Cohort")
        window.open_case(subject.nominal.id)
        written.append(_save(window, out / "20-case.png"))
        tabs = window.case_view.tabs
        tabs.setCurrentIndex(next(i for i in range(tabs.count()) if "Ti&meline" in tabs.tabText(i)))
        written.append(_save(window, out / "20-case-timeline.png"))
        tabs.setCurrentIndex(0)
        written += _scoring_shots(window, out)
        written += _meeting_shots(window, out)
        written.append(_reports_shot(window, out))
        window.close()
    for path in written:
        print(path)
    return 0


def _save(widget: object, path: Path) -> Path:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget)
    for _round in range(3):  # layout requests cascade through nested layouts
        QApplication.processEvents()
    widget.grab().save(str(path))
    return path


def _scoring_shots(window: object, out: Path) -> list[Path]:
    """The live scoring widget on a re-score (previous sheet beside each line), normal and projector."""
    from ui.main_window import MainWindow
    from ui.scoring.widget import apply_projector_theme

    assert isinstance(window, MainWindow)
    view = window.case_view
    view.tabs.setCurrentWidget(view.scoring)
    panel = view.scoring
    panel.score_now()
    model = panel.widget.model
    assert model is not None
    previous = panel.widget.previous or {}
    edited = 0
    for row, item in enumerate(model.items):
        if item.heading:
            continue
        if previous.get(item.key) or edited < 2 and item.key in ("robbery", "shoplifting"):
            model.setData(model.index(row, 2), 1 + edited % 3)
            edited += 1
    impact = panel.widget._editors["impact"]
    impact.setCurrentIndex(impact.findData("moderate"))
    panel.widget.flush()
    shots = [_save(window, out / "21-scoring.png")]
    apply_projector_theme(panel.widget, True)
    window.resize(1920, 1080)
    shots.append(_save(window, out / "22-scoring-projector.png"))
    apply_projector_theme(panel.widget, False)
    return shots


def _meeting_shots(window: object, out: Path) -> list[Path]:
    """The agenda builder, the chair console and the projector at the two sizes a panel meets."""
    from ppo_desktop.domain import MeetingState
    from ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    ctx = window.ctx
    meetings = ctx.services.meetings
    meeting = next(m for m in meetings.all() if m.state is MeetingState.PLANNED)
    ctx.broadcast(meetings.add_proposals(meeting.id, meetings.proposals(meeting.id)[:12]))
    window.resize(1366, 768)
    window.show_screen("Meetings")
    shots = [_save(window, out / "23-agenda-builder.png")]
    console = window.open_console(meeting.id)
    console.go_to(1)
    console.toggle_projector()
    for width, height in ((1920, 1080), (1366, 768)):
        console.resize(width, height)
        console.projector.resize(width, height)
        shots.append(_save(console, out / f"24-console-{width}x{height}.png"))
        shots.append(_save(console.projector, out / f"25-projector-{width}x{height}.png"))
    console.close()
    return shots


def _reports_shot(window: object, out: Path) -> Path:
    from ui.main_window import MainWindow
    from ui.reports.screen import ReportsScreen

    assert isinstance(window, MainWindow)
    window.resize(1366, 768)
    window.show_screen("Reports")
    screen = window.screens["Reports"]
    assert isinstance(screen, ReportsScreen)
    closed = next(i for i in range(screen.meeting.count()) if "closed" in screen.meeting.itemText(i))
    screen.meeting.setCurrentIndex(closed)
    screen.buttons["minutes"].click()
    _let_pdf_pages_render()
    return _save(window, out / "26-reports-minutes.png")


def _let_pdf_pages_render(ms: int = 1500) -> None:
    """QPdfView paints pages from a background renderer with no completion signal; a picture taken
    at once shows blank paper, so the screenshot tool (not the tests) lets the event loop run briefly."""
    from PySide6.QtCore import QEventLoop, QTimer

    # An event loop with a timer, not a processEvents() spin (PySide6 6.12 crashes on a long spin).
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
