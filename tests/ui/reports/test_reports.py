"""Reports: build off the UI thread, preview from memory, save a copy as an audited disclosure."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from ppo_desktop.services.documents import Documents
from tests.ui.conftest import HeldRunner, show_active
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
    """Every page, at 300 dpi, reported as it goes (the preview runs this on a worker); drawn on a
    PDF printer here, the only printer a test machine has; 1,200 dpi made 69 MB for 11 pages."""
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from ui.reports.printing import PRINT_DPI, print_pages, printer

    meeting = next(m for m in ctx.services.meetings.all() if m.state.value == "closed")
    doc = Documents(ctx.ws).minutes(meeting.id)
    out = tmp_path / "printed.pdf"
    target = printer()
    target.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target.setOutputFileName(str(out))
    progress: list[tuple[int, int]] = []
    count = print_pages(doc.pdf, target, lambda n, total: progress.append((n, total)))
    pages = len(PdfReader(str(out)).pages)
    assert count == pages == len(PdfReader(io.BytesIO(doc.pdf)).pages) and target.resolution() == PRINT_DPI
    assert progress == [(n, pages) for n in range(1, pages + 1)]  # page by page, as it goes
    assert out.stat().st_size < pages * 3_000_000  # a few MB a page at most, not 6 MB a page


def test_printing_stopped_after_a_page_aborts_the_job(ctx: AppContext, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from ppo_desktop.services.workspace import Stopped
    from ui.reports.printing import print_pages, printer

    meeting = next(m for m in ctx.services.meetings.all() if m.state.value == "closed")
    doc = Documents(ctx.ws).minutes(meeting.id)
    target = printer()
    target.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target.setOutputFileName(str(tmp_path / "stopped.pdf"))
    heard: list[int] = []

    def stop_after_two(n: int, _total: int) -> None:
        heard.append(n)
        if n == 2:
            raise Stopped("Stopped (test)")

    with pytest.raises(Stopped):
        print_pages(doc.pdf, target, stop_after_two)
    assert heard == [1, 2]  # no page after the stop was drawn


def test_printing_is_stopped_from_the_preview_and_recorded(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    from ui.reports.preview import PdfPreview

    runner = HeldRunner()
    preview = PdfPreview(Documents(ctx.ws), runner=runner)
    show_active(qtbot, preview)
    doc = Documents(ctx.ws).cohort()
    preview.show_document(doc)
    preview.ask_disclosure = lambda _what: ("Panel members", "Monthly panel")
    preview.choose_printer = lambda _target: True  # the system's printer, as chosen
    drawn: list[int] = []

    def printing(_data: bytes, _target: object, progress: Callable[[int, int], None]) -> int:
        for n in range(1, 6):  # a stand-in for the system's printer: five pages, as they go
            drawn.append(n)
            progress(n, 5)
        return 5

    preview.print_pages = printing  # type: ignore[assignment]
    preview.print_button.setFocus()
    qtbot.keyClick(preview.print_button, Qt.Key.Key_Space)
    assert not preview.stop_button.isHidden() and preview.stop_button.hasFocus()
    assert not preview.print_button.isEnabled()
    qtbot.keyClick(preview.stop_button, Qt.Key.Key_Space)
    runner.let_run()
    assert drawn == [1]  # the page being drawn was the last
    assert preview.status.text().startswith("Printing stopped after 1 of ")
    assert preview.stop_button.isHidden() and preview.print_button.hasFocus()
    last, before = ctx.ws.audit.entries(limit=2)
    assert last.summary.startswith("Printing stopped after 1 of ") and last.kind == "disclosure"
    assert before.summary.startswith("printed on a printer")


def test_the_print_dialog_offers_no_print_to_file(qtbot: QtBot) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QComboBox

    from ui.reports.preview import print_dialog

    def offered(dialog: QPrintDialog) -> list[str]:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        combos = [c for c in dialog.findChildren(QComboBox) if c.objectName() == "printers"]
        dialog.close()
        return [c.itemText(i) for c in combos for i in range(c.count())]

    assert "Print to File (PDF)" in offered(QPrintDialog(QPrinter()))  # Qt's own: the scale would see it
    assert "Print to File (PDF)" not in offered(print_dialog(QPrinter()))


def test_a_file_chosen_in_the_print_dialog_follows_the_file_rules(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    """A print dialog that still writes a file (another platform's): the store behind a symbolic link
    is never overwritten, and the file is the document itself, private whatever the folder's umask."""
    import os
    import stat

    from PySide6.QtPrintSupport import QPrinter

    from ui.reports.preview import PdfPreview

    preview = PdfPreview(Documents(ctx.ws), runner=ctx.runner)
    qtbot.addWidget(preview)
    doc = Documents(ctx.ws).cohort()
    preview.show_document(doc)
    preview.ask_disclosure = lambda _what: ("Chair", "A copy for the file")
    chosen: list[Path] = []

    def to_file(target: QPrinter) -> bool:
        target.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        target.setOutputFileName(str(chosen[-1]))
        return True

    preview.choose_printer = to_file
    store = Path(ctx.ws.status().store_path)
    before = store.read_bytes()[:4096]
    link = tmp_path / "print.pdf"
    link.symlink_to(store)
    chosen.append(link)
    preview.print_button.click()
    assert "symbolic link" in preview.status.text()
    assert store.read_bytes()[:4096] == before and link.is_symlink()

    shared = tmp_path / "shared"
    shared.mkdir()
    chosen.append(shared / "cohort.pdf")
    old = os.umask(0o002)  # a shared folder's umask: group-writable by default
    try:
        preview.print_button.click()
    finally:
        os.umask(old)
    written = shared / "cohort.pdf"
    assert written.read_bytes() == doc.pdf  # the document, not page images
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    last = ctx.ws.audit.entries(limit=1)[0]
    assert last.kind == "disclosure" and last.summary.startswith(f"saved to {written}")


def test_no_report_button_hides_another(qtbot: QtBot, ctx: AppContext) -> None:
    """'Scoring sheets for the agenda' sat under 'Transfer pack…' in the same grid cell, invisible."""
    from PySide6.QtWidgets import QPushButton

    from tests.ui.conftest import show_active
    from ui.reports.screen import ReportsScreen

    screen = ReportsScreen(ctx)
    screen.resize(1280, 720)
    show_active(qtbot, screen)
    buttons = [b for b in screen.findChildren(QPushButton) if b.isVisible()]
    assert any("Scoring sheets for the agenda" in b.text().replace("&", "") for b in buttons)
    boxes = [(b.text(), b.geometry().translated(b.parentWidget().mapTo(screen, b.pos()) - b.pos()))
             for b in buttons]  # fmt: skip
    for i, (text, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :]:
            assert not box.intersects(other_box), f"{text!r} overlaps {other!r}"
