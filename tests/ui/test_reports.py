"""Reports: build off the UI thread, preview from memory, save a copy as an audited disclosure."""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from ppo_desktop.services.documents import Documents
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


def test_printing_draws_each_page_once_at_print_resolution(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    """Printed to a PDF file (as a person may choose): every page, at 300 dpi, off the UI thread in
    the app (a synchronous runner here); 1,200 dpi made 69 MB for 11 pages."""
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from ui.reports.preview import PdfPreview

    preview = PdfPreview(Documents(ctx.ws), runner=ctx.runner)
    qtbot.addWidget(preview)
    meeting = next(m for m in ctx.meetings.all() if m.state.value == "closed")
    doc = Documents(ctx.ws).minutes(meeting.id)
    preview.show_document(doc)
    out = tmp_path / "printed.pdf"

    def to_file(target: QPrinter) -> bool:
        target.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        target.setOutputFileName(str(out))
        return True

    preview.choose_printer = to_file
    preview.ask_disclosure = lambda _what: ("Chair", "Minutes for the file")
    progress: list[tuple[int, int]] = []
    preview.page_printed.connect(lambda n, total: progress.append((n, total)))
    with qtbot.waitSignal(preview.printed, timeout=20000) as printed:
        preview.print_button.click()
    pages = len(PdfReader(str(out)).pages)
    assert printed.args == [pages] and pages == len(PdfReader(io.BytesIO(doc.pdf)).pages)
    assert progress == [(n, pages) for n in range(1, pages + 1)]  # page by page, as it goes
    assert out.stat().st_size < pages * 3_000_000  # a few MB a page at most, not 6 MB a page
    assert "Printed" in preview.status.text()
