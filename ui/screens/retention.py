"""Retention review (administrators): people off the scheme for longer than the profile keeps them,
each erased only by a deliberate act — the reference typed back, and the reason given."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import Role
from ppo_desktop.services.retention import Retention, RetentionCase
from ui.context import AppContext
from ui.table_model import Column, ObjectRole, fmt_date
from ui.widgets import read_only_table, title_label

COLUMNS: list[Column[RetentionCase]] = [
    Column("Ref", lambda c: c.ref),
    Column("Name", lambda c: c.name),
    Column("Last on the scheme or nominated", lambda c: fmt_date(c.last_activity), lambda c: c.last_activity),
    Column("Why listed", lambda c: c.why),
]


class RetentionPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.retention = Retention(ctx.ws)
        self.view, self.model = read_only_table(COLUMNS, "People due for the retention review", self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.erase_button = QPushButton("Erase the selected rec&ord…")
        self.erase_button.clicked.connect(self.erase_selected)
        self.erase_button.setEnabled(ctx.ws.user.role is Role.ADMINISTRATOR)
        self.ask_confirmation: Callable[[RetentionCase], str | None] = self._ask_confirmation
        head = QHBoxLayout()
        head.addWidget(title_label("Retention review", "sectionTitle"), 1)
        head.addWidget(self.erase_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.reload()

    def reload(self) -> None:
        due = self.retention.due()
        self.model.set_rows(due)
        profile = self.ctx.ws.profile()
        self.status.setText(
            f"{len(due)} people have been off the scheme for more than {profile.retention_years} years "
            f"({profile.name})."
            + (
                ""
                if self.ctx.ws.user.role is Role.ADMINISTRATOR
                else " Only an administrator erases a record."
            )
        )

    def erase_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.status.setText("Select the person to erase first.")
            return
        case = self.view.model().index(rows[0].row(), 0).data(ObjectRole)
        reason = self.ask_confirmation(case)
        if reason is None:
            return
        if (
            self.ctx.perform(lambda: self.retention.erase(case.nominal_id, justification=reason), self.status)
            is None
        ):
            return
        self.reload()
        self.status.setText(
            f"{case.ref} was erased; the erasure is in the audit log (without their details)."
        )

    def _ask_confirmation(self, case: RetentionCase) -> str | None:
        typed, ok = QInputDialog.getText(
            self,
            "Erase a record",
            f"This cannot be undone. Type the reference {case.ref} to erase {case.name}:",
        )
        if not ok or typed.strip().upper() != case.ref:
            self.status.setText("Not erased: the reference did not match.")
            return None
        reason, ok = QInputDialog.getText(self, "Erase a record", "Reason (recorded in the audit log):")
        return reason if ok and reason.strip() else None
