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
from ppo_desktop.i18n import _, format_date
from ppo_desktop.services import Changes, ServiceError
from ppo_desktop.services.documents import Document
from ui.context import AppContext, attempt
from ui.exporting import write_disclosed
from ui.flow_layout import flowing
from ui.imports.transfer_dialogs import TransferActions
from ui.reports.preview import PdfPreview
from ui.widgets import shrinkable, title_label


class ReportsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.documents = ctx.services.documents
        self.meeting = QComboBox()
        self.meeting.setAccessibleName(_("Meeting"))
        shrinkable(self.meeting)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.session.today().year)
        self.quarter = QSpinBox()
        self.quarter.setRange(1, 4)
        self.quarter.setValue((ctx.session.today().month - 1) // 3 + 1)
        self.quarter.setPrefix(_("Q"))
        self.year.setAccessibleName(_("Year"))
        self.quarter.setAccessibleName(_("Quarter"))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.preview = PdfPreview(self.documents, self, runner=ctx.runner)
        self.preview.disclosed.connect(ctx.broadcast)
        self.ask_csv_path: Callable[[str], Path | None] = self._ask_csv_path

        self.buttons: dict[str, QPushButton] = {}
        # One row per thing the documents are of: its label, what to choose, then its buttons, which
        # wrap onto a second line where the window is too narrow (200 % text).
        minutes = self._button("minutes", _("&Minutes"), lambda: self.documents.minutes(self._meeting_id()))
        summary = self._button(
            "minutes-summary",
            _("Executive s&ummary"),
            lambda: self.documents.minutes(self._meeting_id(), summary=True),
        )
        meeting_sheets = lambda: self.documents.agenda_sheets(self._meeting_id())  # noqa: E731
        sheets = self._button("sheets", _("Scoring &sheets for the agenda"), meeting_sheets)
        self.transfers = TransferActions(ctx, self, self.error.setText)
        send = QPushButton(_("Transfer pac&k for this meeting…"))
        send.clicked.connect(lambda: self._with_meeting(self.transfers.send))
        quarterly = self._button(
            "quarterly",
            _("&Quarterly added / removed"),
            lambda: self.documents.quarterly(self.year.value(), self.quarter.value()),
        )
        whole = [
            self._button("cohort", _("&Cohort report"), self.documents.cohort),
            self._button("actions", _("&Action tracker"), self.documents.action_tracker),
            self._button("blank", _("&Blank scoring sheet"), self.documents.blank_sheet),
        ]
        if ctx.session.user.role is Role.ADMINISTRATOR:
            whole.append(self._button("dpia", _("&DPIA draft"), self.documents.dpia))
        self.returns = QComboBox()
        self.returns.setAccessibleName(_("Return to export"))
        shrinkable(self.returns)
        self.returns.addItem(_("Cohort list"), ("cohort", ""))
        self.returns.addItem(_("Removals"), ("removals", ""))
        for year in ctx.services.cohort_years.all():
            self.returns.addItem(
                _("Re-offending cohort {label}").format(label=year.label), ("reoffending", year.label)
            )
        export = QPushButton(_("E&xport CSV…"))
        export.clicked.connect(self.export_return)
        receive = QPushButton(_("&Open a transfer pack…"))
        receive.clicked.connect(self.transfers.receive)
        quarter = QHBoxLayout()
        quarter.addWidget(self.year)
        quarter.addWidget(self.quarter)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)  # the choices take room there is to spare, then the buttons
        grid.setColumnStretch(2, 2)
        rows: list[tuple[str, QWidget | QHBoxLayout | None, list[QPushButton]]] = [
            (_("Meeting:"), self.meeting, [minutes, summary, sheets, send]),
            (_("Quarter:"), quarter, [quarterly]),
            (_("The cohort:"), None, whole),
            (_("Returns (CSV):"), self.returns, [export]),
            (_("Transfer packs:"), None, [receive]),
        ]
        for row, (caption, chosen, buttons) in enumerate(rows):
            grid.addWidget(QLabel(caption), row, 0)
            if isinstance(chosen, QWidget):
                grid.addWidget(chosen, row, 1)
            elif chosen is not None:
                grid.addLayout(chosen, row, 1)
            grid.addWidget(flowing(*buttons, align_left=True), row, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(_("Reports")))
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
        for m in self.ctx.services.meetings.all():
            self.meeting.addItem(f"{format_date(m.held_on)} — {m.panel} ({_(m.state.value)})", m.id)

    def _with_meeting(self, action: Callable[[int], None]) -> None:
        attempt(lambda: action(self._meeting_id()), self.error)

    def export_return(self) -> None:
        kind, year = self.returns.currentData()
        path = self.ask_csv_path(f"{kind}.csv")
        if path is None:
            return
        answer = self.preview.ask_disclosure(_("Export: {table}").format(table=self.returns.currentText()))
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
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Export (unencrypted CSV)"), name, _("CSV (*.csv)")
        )
        return Path(chosen) if chosen else None

    def _meeting_id(self) -> int:
        value = self.meeting.currentData()
        if value is None:
            raise ServiceError(_("Choose a meeting first."))
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
            self.error.setText(_("The document could not be built: {exc}").format(exc=exc))

        self.ctx.runner.run(lambda: document.pdf, done, failed)

    def _idle(self) -> None:
        self.busy.hide()
        for b in self.buttons.values():
            b.setEnabled(True)
