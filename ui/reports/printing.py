"""Printing a document: each page of the PDF the app made is drawn at 300 dots per inch (enough for
type on paper; 1,200 made a 69 MB job for 11 pages and a minute's freeze) on a worker thread, with
the page count reported as it goes. QtPdf renders pages as images, so this is as close to the
document's own vector pages as Qt can send to a printer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

PRINT_DPI = 300


def printer() -> QPrinter:
    made = QPrinter(QPrinter.PrinterMode.PrinterResolution)
    made.setResolution(PRINT_DPI)
    return made


def print_pages(data: bytes, target: QPrinter, progress: Callable[[int, int], None] | None = None) -> int:
    """Draw every page of the PDF ``data`` on ``target``; safe on a worker thread (its own document,
    painting on a printer). Returns the number of pages printed. ``progress`` hears each page drawn
    and may stop the printing by raising: the print job is then aborted (the printer is told to drop
    it; pages it has already taken may still come out) and the exception raised again."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    pdf = QPdfDocument()
    pdf.load(buffer)
    count = pdf.pageCount()
    painter = QPainter(target)
    try:
        for page in range(count):
            if page:
                target.newPage()
            area = painter.viewport()
            painter.drawImage(area, pdf.render(page, QSize(area.width(), area.height())))
            if progress is not None:
                progress(page + 1, count)
    except BaseException:
        target.abort()
        raise
    finally:
        painter.end()
        pdf.close()
        buffer.close()
    return count
