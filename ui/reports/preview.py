"""Preview a PDF from memory (QtPdf reads a QBuffer: no temporary file), print it, or save a copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.i18n import N_, _, ngettext
from ppo_desktop.output_files import check_target, suggested_name, write_private
from ppo_desktop.services.documents import Document, Documents
from ppo_desktop.services.workspace import Stopped
from ui.context import attempt
from ui.dialog import Dialog
from ui.progress import Hook
from ui.reports.printing import print_pages, printer
from ui.tasks import TaskRunner
from ui.widgets import add_rows

Disclosure = tuple[str, str]  # (recipient, justification)


class DisclosureDialog(Dialog):
    """Who the copy is for and why: recorded in the audit log before it is printed or saved."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(what)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText(_("e.g. Partnership board, 12 Jan"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("e.g. Quarterly performance report to the board"))
        form = QFormLayout(self)
        form.addRow(
            QLabel(_("This copy will leave the encrypted store. Both are recorded in the audit log."))
        )
        add_rows(form, ((_("&Recipient:"), self.recipient), (_("&Why:"), self.reason)))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def ask_disclosure(parent: QWidget, what: str) -> Disclosure | None:
    dialog = DisclosureDialog(what, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.recipient.text(), dialog.reason.text()


def ask_save_path(parent: QWidget, title: str) -> Path | None:
    answer = QMessageBox.warning(
        parent,
        _("Saving an unencrypted copy"),
        _(
            "The saved PDF is NOT encrypted. Save it only to an encrypted, approved "
            "location, and delete it when it is no longer needed."
        ),
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
    )
    if answer != QMessageBox.StandardButton.Ok:
        return None
    name = suggested_name(title, ".pdf")
    chosen, _filter = QFileDialog.getSaveFileName(parent, _("Save a copy"), name, _("PDF (*.pdf)"))
    return Path(chosen) if chosen else None


def print_dialog(target: QPrinter, parent: QWidget | None = None) -> QPrintDialog:
    """The system's print dialog without its "Print to File": a file it wrote would bypass the rules
    every file follows (private, never a link or a store's file) and hold page images (30 MB), not the
    document. "Save a copy…" writes the document itself, by those rules."""
    dialog = QPrintDialog(target, parent)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
    return dialog


class PdfPreview(QWidget):
    """Shows one prepared document; Print and Save are audited disclosures."""

    disclosed = Signal(object)  # the Changes of the disclosure (the audit log), for the app to broadcast

    printed = Signal(int)

    def __init__(
        self, documents: Documents, parent: QWidget | None = None, *, runner: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self.documents = documents
        self.runner = runner or TaskRunner()  # printing runs on a worker; tests pass a SyncRunner
        self.choose_printer: Callable[[QPrinter], bool] = self._choose_printer
        self.document: Document | None = None
        self.pdf = QPdfDocument(self)
        self.buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(_("Document preview"))
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.status = QLabel()
        self.status.setWordWrap(True)  # a stopped print says what happened at length
        self.print_button = QPushButton(_("&Print…"))
        self.save_button = QPushButton(_("Sa&ve a copy…"))
        self.print_button.setToolTip(_("Print on paper. For a PDF file use “Save a copy…”."))
        self.print_button.clicked.connect(self.print_document)
        self.stop_button = QPushButton(_("S&top printing"))  # shown while a document prints
        self.stop_button.clicked.connect(self._stop_printing)
        self.stop_button.hide()
        self._printing: Hook | None = None
        self.print_pages = print_pages  # the printer is the system's: tests give a stand-in
        self.save_button.clicked.connect(self.save_document)
        self.ask_disclosure: Callable[[str], Disclosure | None] = lambda what: ask_disclosure(self, what)
        self.ask_path: Callable[[str], Path | None] = lambda title: ask_save_path(self, title)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.print_button)
        top.addWidget(self.stop_button)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self._enable(False)

    def show_document(self, document: Document) -> None:
        self.document = document
        self.pdf.close()
        self.buffer.close()
        self.buffer.setData(QByteArray(document.pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self.buffer)
        self.title.setText(document.title)
        self.status.setText(
            ngettext(
                "{n} page · preview only: nothing has left the store",
                "{n} pages · preview only: nothing has left the store",
                self.pdf.pageCount(),
            ).format(n=self.pdf.pageCount())
        )
        self._enable(True)

    def clear(self) -> None:
        self.pdf.close()
        self.buffer.close()
        self.buffer.setData(QByteArray())
        self.document = None
        self.title.clear()
        self._enable(False)

    def print_document(self) -> None:
        doc = self.document
        if doc is None:
            return
        target = printer()
        if not self.choose_printer(target):
            return
        if target.outputFileName():  # a print dialog that still offered a file: the app's own PDF, saved
            self._save_to(doc, Path(target.outputFileName()))  # by the rules every file follows
            return
        if not self._disclose(doc, f"printed on {target.printerName() or 'a printer'}"):
            return
        pages = self.pdf.pageCount()
        self.status.setText(
            ngettext(
                "Printing {pages} page… you can go on working.",
                "Printing {pages} pages… you can go on working.",
                pages,
            ).format(pages=pages)
        )
        hook, sent = Hook(self), [0]
        self._printing = hook
        self._enable(False)
        self.stop_button.show()
        self.stop_button.setFocus()

        def page(n: int, total: int) -> None:  # on the worker
            sent[0] = n
            hook.report(N_("Printing"), n, total)

        def over() -> None:
            focused = self.stop_button.hasFocus()
            self._printing = None
            self.stop_button.hide()
            self._enable(True)
            if focused:
                self.print_button.setFocus()

        def done(count: int) -> None:
            over()
            self.status.setText(
                ngettext(
                    "Printed {n} page; the disclosure is in the audit log.",
                    "Printed {n} pages; the disclosure is in the audit log.",
                    count,
                ).format(n=count)
            )
            self.printed.emit(count)

        def failed(exc: BaseException) -> None:
            over()
            if not isinstance(exc, Stopped):
                self.status.setText(
                    _("Printing failed ({error}); nothing more was sent.").format(error=type(exc).__name__)
                )
                return
            stopped = attempt(lambda: self.documents.print_stopped(doc, pages=sent[0], of=pages), self.status)
            if stopped is not None:
                self.disclosed.emit(stopped.value)
                self.status.setText(
                    ngettext(
                        "Printing stopped after {n} of {pages} page: the printer was told to drop the job "
                        "(pages it had already taken may still come out); the audit log says so.",
                        "Printing stopped after {n} of {pages} pages: the printer was told to drop the job "
                        "(pages it had already taken may still come out); the audit log says so.",
                        pages,
                    ).format(n=sent[0], pages=pages)
                )

        hook.moved.connect(self._page_printed)
        self.runner.run(lambda: self.print_pages(doc.pdf, target, page), done, failed)

    def _stop_printing(self) -> None:
        if self._printing is not None:
            self._printing.stop()
            self.status.setText(_("Stopping after this page…"))

    def _page_printed(self, _stage: str, n: int, total: int) -> None:
        if self._printing is None or self._printing.stopping:
            return
        self.status.setText(_("Printing page {n} of {total}…").format(n=n, total=total))

    def _choose_printer(self, target: QPrinter) -> bool:
        return print_dialog(target, self).exec() == QDialog.DialogCode.Accepted

    def save_document(self) -> None:
        doc = self.document
        if doc is None:
            return
        path = self.ask_path(doc.title)
        if path is not None:
            self._save_to(doc, path)

    def _save_to(self, doc: Document, path: Path) -> None:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        if attempt(lambda: check_target(path, overwrite=True), self.status) is None:
            return
        if not self._disclose(doc, f"saved to {path}"):
            return
        if attempt(lambda: write_private(path, doc.pdf, overwrite=True), self.status) is None:
            return
        self.status.setText(
            _("Saved an unencrypted copy to {path}; the disclosure is in the audit log.").format(path=path)
        )

    def _disclose(self, doc: Document, how: str) -> bool:
        answer = self.ask_disclosure(doc.title)
        if answer is None:
            return False
        recipient, reason = answer
        made = attempt(
            lambda: self.documents.disclose(doc, how=how, recipient=recipient, justification=reason),
            self.status,
        )
        if made is None:
            return False
        self.disclosed.emit(made.value)
        return True

    def _enable(self, on: bool) -> None:
        self.print_button.setEnabled(on)
        self.save_button.setEnabled(on)
