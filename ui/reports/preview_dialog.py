"""A document in its own window: the preview, with Print and Save as audited disclosures."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ppo_desktop.services.documents import Document, Documents
from ui.context import AppContext
from ui.reports.preview import PdfPreview


def open_preview(
    ctx: AppContext, parent: QWidget, title: str, make: Callable[[Documents], Document]
) -> QDialog:
    """Open (not modal to the whole app) a preview of ``make(documents)``; returns the dialog."""
    documents = ctx.services.documents
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    preview = PdfPreview(documents, dialog, runner=ctx.runner)
    preview.disclosed.connect(ctx.broadcast)
    QVBoxLayout(dialog).addWidget(preview)
    dialog.resize(900, 700)
    preview.show_document(make(documents))
    dialog.open()
    return dialog
