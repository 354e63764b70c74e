"""Retention review (administrators): the schedule's dry run — what each class of record would erase
today and why, and who a legal hold keeps — and erasure only by a deliberate act: a person with their
reference typed back and the reason given, another class as a whole with the reason given."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import Role
from ppo_desktop.services.retention import PEOPLE, Due
from ui.context import AppContext
from ui.table_model import Column, ObjectRole, fmt_date
from ui.widgets import read_only_table, title_label


def _columns(labels: dict[str, str]) -> list[Column[Due]]:
    return [
        Column("Class", lambda d: labels.get(d.record_class, d.record_class)),
        Column("Ref", lambda d: d.ref),
        Column("Name or record", lambda d: d.name),
        Column("Last activity", lambda d: fmt_date(d.last_activity), lambda d: d.last_activity),
        Column("Why listed", lambda d: d.why),
    ]


class RetentionPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.retention = ctx.services.retention
        labels = {p.record_class: p.label for p in self.retention.schedule()}
        name = "Records due under the retention schedule"
        self.view, self.model = read_only_table(_columns(labels), name, self)
        self.schedule = QLabel()
        self.schedule.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        admin = ctx.session.user.role is Role.ADMINISTRATOR
        self.dry_run_button = QPushButton("&Dry run (recorded)")
        self.dry_run_button.setToolTip("Lists what the schedule would erase today; nothing is erased")
        self.dry_run_button.clicked.connect(self.dry_run)
        self.erase_button = QPushButton("Erase the selected rec&ord…")
        self.erase_button.clicked.connect(self.erase_selected)
        self.hold_button = QPushButton("Legal &hold…")
        self.hold_button.setToolTip("Keep the selected person out of every retention class, with the reason")
        self.hold_button.clicked.connect(self.hold_selected)
        for button in (self.dry_run_button, self.erase_button, self.hold_button):
            button.setEnabled(admin)
        self.ask_confirmation: Callable[[Due], str | None] = self._ask_confirmation
        self.ask_reason: Callable[[str, str], str | None] = self._ask_reason
        head = QHBoxLayout()
        head.addWidget(title_label("Retention review", "sectionTitle"), 1)
        for button in (self.dry_run_button, self.hold_button, self.erase_button):
            head.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.schedule)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.reload()

    def reload(self) -> None:
        review = self.retention.review()
        self.model.set_rows([*review.due, *review.held])
        self.schedule.setText(
            "Schedule: " + "; ".join(str(p).split(" — ")[0] for p in self.retention.schedule()) + "."
        )
        held = f" {len(review.held)} held back by a legal hold (listed last)." if review.held else ""
        people = sum(1 for d in review.due if d.record_class in PEOPLE)
        admin = self.ctx.session.user.role is Role.ADMINISTRATOR
        self.status.setText(
            f"{len(review.due)} records due today, {people} of them people.{held}"
            + ("" if admin else " Only an administrator erases a record or places a hold.")
        )

    def dry_run(self) -> None:
        if self.ctx.perform(self.retention.dry_run, self.status) is not None:
            self.reload()
            self.status.setText(self.status.text() + " The dry run is recorded in the audit log.")

    def _selected(self) -> Due | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.status.setText("Select a record first.")
            return None
        found: Due = self.view.model().index(rows[0].row(), 0).data(ObjectRole)
        return found

    def erase_selected(self) -> None:
        due = self._selected()
        if due is None:
            return
        if due.record_class in PEOPLE:
            reason = self.ask_confirmation(due)
            if reason is None:
                return
            erased = self.ctx.perform(
                lambda: self.retention.erase(due.record_id, justification=reason), self.status
            )
            done = f"{due.ref} was erased; the erasure is in the audit log (without their details)."
        else:
            question = f"Erase every record due in this class ({due.why})?"
            asked = self.ask_reason("Erase by the schedule", question)
            if asked is None:
                return
            erased = self.ctx.perform(
                lambda: self.retention.erase_class(due.record_class, justification=asked), self.status
            )
            done = "Erased by the schedule; the erasure is in the audit log."
        if erased is None:
            return
        self.reload()
        self.status.setText(done)

    def hold_selected(self) -> None:
        due = self._selected()
        if due is None or due.nominal_id is None:
            if due is not None:
                self.status.setText("A legal hold is placed on a person: select a person's record.")
            return
        held = any(h.nominal_id == due.nominal_id for h in self.retention.holds())
        nid = due.nominal_id
        if held:
            reason = self.ask_reason("Lift the legal hold", f"Why is the hold on {due.ref} lifted?")
            action = (lambda: self.retention.lift(nid, reason or "")), "lifted"
        else:
            reason = self.ask_reason("Legal hold", f"Why must {due.ref} be kept (claim, complaint, inquiry)?")
            action = (lambda: self.retention.hold(nid, reason or "")), "placed"
        if reason is None or self.ctx.perform(action[0], self.status) is None:
            return
        self.reload()
        self.status.setText(f"Legal hold {action[1]} for {due.ref}; recorded in the audit log.")

    def _ask_confirmation(self, case: Due) -> str | None:
        typed, ok = QInputDialog.getText(
            self,
            "Erase a record",
            f"This cannot be undone. Type the reference {case.ref} to erase {case.name}:",
        )
        if not ok or typed.strip().upper() != case.ref:
            self.status.setText("Not erased: the reference did not match.")
            return None
        return self._ask_reason("Erase a record", "Reason (recorded in the audit log):")

    def _ask_reason(self, title: str, question: str) -> str | None:
        reason, ok = QInputDialog.getText(self, title, f"{question}\nReason (recorded in the audit log):")
        return reason if ok and reason.strip() else None
