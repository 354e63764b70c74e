"""Reports: build off the UI thread, preview from memory, save a copy as an audited disclosure."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from ui.context import AppContext
from ui.reports.screen import ReportsScreen
from ui.tasks import TaskRunner


def test_build_preview_and_save(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    ctx.runner = TaskRunner()  # the real thread pool: the PDF renders on a worker
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    screen.buttons["actions"].click()
    qtbot.waitUntil(lambda: screen.preview.document is not None, timeout=15000)
    assert screen.preview.pdf.status() == QPdfDocument.Status.Ready
    assert screen.preview.pdf.pageCount() >= 1
    assert "preview only" in screen.preview.status.text()
    assert not list(tmp_path.rglob("*.pdf"))  # previewing wrote nothing

    target = tmp_path / "tracker"
    screen.preview.ask_path = lambda title: target
    screen.preview.ask_disclosure = lambda what: ("", "no recipient")
    screen.preview.save_document()
    assert (
        "recipient and the reason" in screen.preview.status.text() and not target.with_suffix(".pdf").exists()
    )
    screen.preview.ask_disclosure = lambda what: ("Partnership board", "Quarterly board meeting")
    screen.preview.save_document()
    saved = target.with_suffix(".pdf")
    assert saved.read_bytes()[:5] == b"%PDF-"
    last = ctx.ws.audit.entries(limit=1)[0]
    assert last.kind == "disclosure" and last.summary.startswith(f"saved to {saved}")


def test_minutes_need_a_meeting(qtbot: QtBot, ctx: AppContext) -> None:
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    screen.meeting.clear()
    screen.buttons["minutes"].click()
    assert screen.error.text() == "Choose a meeting first."
