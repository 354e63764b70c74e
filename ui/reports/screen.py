"""Reports: choose a document, build it off the UI thread, preview it, then print or save it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.services import Changes, ServiceError
from ppo_desktop.services.documents import Document, Documents
from ui.context import AppContext
from ui.reports.preview import PdfPreview
from ui.widgets import title_label


class ReportsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.documents = Documents(ctx.ws)
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.ws.today().year)
        self.quarter = QSpinBox()
        self.quarter.setRange(1, 4)
        self.quarter.setValue((ctx.ws.today().month - 1) // 3 + 1)
        self.quarter.setPrefix("Q")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.preview = PdfPreview(self.documents, self)
        self.preview.disclosed.connect(lambda _how: ctx.broadcast(Changes.of("audit")))

        grid = QGridLayout()
        grid.addWidget(QLabel("Meeting:"), 0, 0)
        grid.addWidget(self.meeting, 0, 1)
        self.buttons: dict[str, QPushButton] = {}
        for column, (key, label, make) in enumerate(
            (
                ("minutes", "&Minutes", lambda: self.documents.minutes(self._meeting_id())),
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
        grid.addWidget(self._button("actions", "&Action tracker", self.documents.action_tracker), 2, 2)
        grid.addWidget(self._button("blank", "&Blank scoring sheet", self.documents.blank_sheet), 2, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Reports"))
        layout.addLayout(grid)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.preview, 1)
        ctx.changed.connect(self._on_changed)
        self.reload_meetings()

    def _on_changed(self, changes: Changes) -> None:
        if "meetings" in changes.tables:
            self.reload_meetings()

    def reload_meetings(self) -> None:
        self.meeting.clear()
        for m in self.ctx.meetings.all():
            self.meeting.addItem(f"{m.held_on:%d %b %Y} — {m.panel} ({m.state.value})", m.id)

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
        try:
            document = make()
        except ServiceError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.busy.show()
        for b in self.buttons.values():
            b.setEnabled(False)

        def done(_pdf: object) -> None:
            self._idle()
            self.preview.show_document(document)

        def failed(exc: Exception) -> None:
            self._idle()
            self.error.setText(f"The document could not be built: {exc}")

        self.ctx.runner.run(lambda: document.pdf, done, failed)

    def _idle(self) -> None:
        self.busy.hide()
        for b in self.buttons.values():
            b.setEnabled(True)
