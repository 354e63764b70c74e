"""Reports: choose a document, build it off the UI thread, preview it, then print or save it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.domain import Role
from ppo_desktop.services import Changes, ServiceError
from ppo_desktop.services.documents import Document
from ui.context import AppContext, attempt
from ui.exporting import write_disclosed
from ui.imports.transfer_dialogs import TransferActions
from ui.reports.preview import PdfPreview
from ui.widgets import title_label


class ReportsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.documents = ctx.services.documents
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.session.today().year)
        self.quarter = QSpinBox()
        self.quarter.setRange(1, 4)
        self.quarter.setValue((ctx.session.today().month - 1) // 3 + 1)
        self.quarter.setPrefix("Q")
        self.year.setAccessibleName("Year")
        self.quarter.setAccessibleName("Quarter")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.preview = PdfPreview(self.documents, self, runner=ctx.runner)
        self.preview.disclosed.connect(ctx.broadcast)
        self.ask_csv_path: Callable[[str], Path | None] = self._ask_csv_path

        grid = QGridLayout()
        grid.addWidget(QLabel("Meeting:"), 0, 0)
        grid.addWidget(self.meeting, 0, 1)
        self.buttons: dict[str, QPushButton] = {}
        for column, (key, label, make) in enumerate(
            (
                ("minutes", "&Minutes", lambda: self.documents.minutes(self._meeting_id())),
                (
                    "minutes-summary",
                    "Executive s&ummary",
                    lambda: self.documents.minutes(self._meeting_id(), summary=True),
                ),
                (
                    "sheets",
                    "Scoring &sheets for the agenda",
                    lambda: self.documents.agenda_sheets(self._meeting_id()),
                ),
            ),
            start=2,
        ):
            grid.addWidget(self._button(key, label, make), 0, column)
        grid.addWidget(QLabel("Quarter:"), 1, 0)
        quarter = QHBoxLayout()
        quarter.addWidget(self.year)
        quarter.addWidget(self.quarter)
        grid.addLayout(quarter, 1, 1)
        grid.addWidget(
            self._button(
                "quarterly",
                "&Quarterly added / removed",
                lambda: self.documents.quarterly(self.year.value(), self.quarter.value()),
            ),
            1,
            2,
        )
        grid.addWidget(self._button("cohort", "&Cohort report", self.documents.cohort), 1, 3)
        grid.addWidget(self._button("actions", "&Action tracker", self.documents.action_tracker), 1, 4)
        grid.addWidget(self._button("blank", "&Blank scoring sheet", self.documents.blank_sheet), 2, 2)
        if ctx.session.user.role is Role.ADMINISTRATOR:
            grid.addWidget(self._button("dpia", "&DPIA draft", self.documents.dpia), 2, 3)
        grid.addWidget(QLabel("Returns (CSV):"), 3, 0)
        self.returns = QComboBox()
        self.returns.setAccessibleName("Return to export")
        self.returns.addItem("Cohort list", ("cohort", ""))
        self.returns.addItem("Removals", ("removals", ""))
        for year in ctx.services.cohort_years.all():
            self.returns.addItem(f"Re-offending cohort {year.label}", ("reoffending", year.label))
        grid.addWidget(self.returns, 3, 1)
        export = QPushButton("E&xport CSV…")
        export.clicked.connect(self.export_return)
        grid.addWidget(export, 3, 2)
        self.transfers = TransferActions(ctx, self, self.error.setText)
        send = QPushButton("Transfer pac&k for this meeting…")
        send.clicked.connect(lambda: self._with_meeting(self.transfers.send))
        receive = QPushButton("&Open a transfer pack…")
        receive.clicked.connect(self.transfers.receive)
        grid.addWidget(QLabel("Transfer packs:"), 4, 0)
        grid.addWidget(send, 4, 2)  # (it once sat on top of "Scoring sheets for the agenda", hiding it)
        grid.addWidget(receive, 4, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Reports"))
        layout.addLayout(grid)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.preview, 1)
        ctx.changed.connect(self._on_changed)
        self.reload_meetings()

    def _on_changed(self, changes: Changes) -> None:
        if "meetings" in changes.topics:
            self.reload_meetings()

    def reload_meetings(self) -> None:
        self.meeting.clear()
        for m in self.ctx.meetings.all():
            self.meeting.addItem(f"{m.held_on:%d %b %Y} — {m.panel} ({m.state.value})", m.id)

    def _with_meeting(self, action: Callable[[int], None]) -> None:
        attempt(lambda: action(self._meeting_id()), self.error)

    def export_return(self) -> None:
        kind, year = self.returns.currentData()
        path = self.ask_csv_path(f"{kind}.csv")
        if path is None:
            return
        answer = self.preview.ask_disclosure(f"Export: {self.returns.currentText()}")
        if answer is None:
            return
        changes, message = write_disclosed(
            path,
            lambda: self.ctx.services.exports.export(
                kind, how=f"saved to {path}", recipient=answer[0], justification=answer[1], year_label=year
            ),
        )
        self.error.setText(message)
        if changes is not None:
            self.ctx.broadcast(changes)

    def _ask_csv_path(self, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Export (unencrypted CSV)", name, "CSV (*.csv)")
        return Path(chosen) if chosen else None

    def _meeting_id(self) -> int:
        value = self.meeting.currentData()
        if value is None:
            raise ServiceError("Choose a meeting first.")
        return int(value)

    def _button(self, key: str, label: str, make: Callable[[], Document]) -> QPushButton:
        button = QPushButton(label)
        button.clicked.connect(lambda: self.build(make))
        self.buttons[key] = button
        return button

    def build(self, make: Callable[[], Document]) -> None:
        """Gather the records here (the store's thread), render the PDF on a worker, then preview."""
        made = attempt(make, self.error)
        if made is None:
            return
        document = made.value
        self.error.clear()
        self.busy.show()
        for b in self.buttons.values():
            b.setEnabled(False)

        def done(_pdf: object) -> None:
            self._idle()
            self.preview.show_document(document)

        def failed(exc: BaseException) -> None:
            self._idle()
            self.error.setText(f"The document could not be built: {exc}")

        self.ctx.runner.run(lambda: document.pdf, done, failed)

    def _idle(self) -> None:
        self.busy.hide()
        for b in self.buttons.values():
            b.setEnabled(True)
