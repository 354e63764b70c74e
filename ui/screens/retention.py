"""Retention review (administrators): the schedule's dry run — what each class of record would erase
today and why, and who a legal hold keeps — and erasure only by a deliberate act: a person with their
reference typed back and the reason given, another class as a whole with the reason given."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ppo_desktop.domain import Role
from ppo_desktop.i18n import _, ngettext
from ppo_desktop.services.retention import PEOPLE, Due
from ui.context import AppContext
from ui.flow_layout import flowing
from ui.table_model import Column, ObjectRole, fmt_date
from ui.widgets import read_only_table, title_label


def _columns(labels: dict[str, str]) -> list[Column[Due]]:
    return [
        Column(_("Class"), lambda d: labels.get(d.record_class, d.record_class)),
        Column(_("Ref"), lambda d: d.ref),
        Column(_("Name or record"), lambda d: d.name),
        Column(_("Last activity"), lambda d: fmt_date(d.last_activity), lambda d: d.last_activity),
        Column(_("Why listed"), lambda d: d.why),
    ]


class RetentionPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.retention = ctx.services.retention
        labels = {p.record_class: _(p.label) for p in self.retention.schedule()}
        name = _("Records due under the retention schedule")
        self.view, self.model = read_only_table(_columns(labels), name, self)
        self.schedule = QLabel()
        self.schedule.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        admin = ctx.session.user.role is Role.ADMINISTRATOR
        self.dry_run_button = QPushButton(_("&Dry run (recorded)"))
        self.dry_run_button.setToolTip(_("Lists what the schedule would erase today; nothing is erased"))
        self.dry_run_button.clicked.connect(self.dry_run)
        self.erase_button = QPushButton(_("Erase the selected rec&ord…"))
        self.erase_button.clicked.connect(self.erase_selected)
        self.hold_button = QPushButton(_("Legal &hold…"))
        self.hold_button.setToolTip(
            _("Keep the selected person out of every retention class, with the reason")
        )
        self.hold_button.clicked.connect(self.hold_selected)
        for button in (self.dry_run_button, self.erase_button, self.hold_button):
            button.setEnabled(admin)
        self.ask_confirmation: Callable[[Due], str | None] = self._ask_confirmation
        self.ask_reason: Callable[[str, str], str | None] = self._ask_reason
        head = QHBoxLayout()
        head.addWidget(title_label(_("Retention review"), "sectionTitle"))
        head.addWidget(flowing(self.dry_run_button, self.hold_button, self.erase_button), 1)
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
            _("Schedule: {classes}.").format(
                classes="; ".join(str(p).split(" — ")[0] for p in self.retention.schedule())
            )
        )
        held = (
            ngettext(
                " {n} held back by a legal hold (listed last).",
                " {n} held back by a legal hold (listed last).",
                len(review.held),
            ).format(n=len(review.held))
            if review.held
            else ""
        )
        people = sum(1 for d in review.due if d.record_class in PEOPLE)
        admin = self.ctx.session.user.role is Role.ADMINISTRATOR
        self.status.setText(
            ngettext(
                "{n} record due today, {people} of them people.",
                "{n} records due today, {people} of them people.",
                len(review.due),
            ).format(n=len(review.due), people=people)
            + held
            + ("" if admin else _(" Only an administrator erases a record or places a hold."))
        )

    def dry_run(self) -> None:
        if self.ctx.perform(self.retention.dry_run, self.status) is not None:
            self.reload()
            self.status.setText(self.status.text() + _(" The dry run is recorded in the audit log."))

    def _selected(self) -> Due | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.status.setText(_("Select a record first."))
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
            done = _("{ref} was erased; the erasure is in the audit log (without their details).").format(
                ref=due.ref
            )
        else:
            question = _("Erase every record due in this class ({why})?").format(why=due.why)
            asked = self.ask_reason(_("Erase by the schedule"), question)
            if asked is None:
                return
            erased = self.ctx.perform(
                lambda: self.retention.erase_class(due.record_class, justification=asked), self.status
            )
            done = _("Erased by the schedule; the erasure is in the audit log.")
        if erased is None:
            return
        self.reload()
        self.status.setText(done)

    def hold_selected(self) -> None:
        due = self._selected()
        if due is None or due.nominal_id is None:
            if due is not None:
                self.status.setText(_("A legal hold is placed on a person: select a person's record."))
            return
        held = any(h.nominal_id == due.nominal_id for h in self.retention.holds())
        nid = due.nominal_id
        if held:
            reason = self.ask_reason(
                _("Lift the legal hold"), _("Why is the hold on {ref} lifted?").format(ref=due.ref)
            )
            action = (
                (lambda: self.retention.lift(nid, reason or "")),
                _("Legal hold lifted for {ref}; recorded in the audit log."),
            )
        else:
            reason = self.ask_reason(
                _("Legal hold"), _("Why must {ref} be kept (claim, complaint, inquiry)?").format(ref=due.ref)
            )
            action = (
                (lambda: self.retention.hold(nid, reason or "")),
                _("Legal hold placed for {ref}; recorded in the audit log."),
            )
        if reason is None or self.ctx.perform(action[0], self.status) is None:
            return
        self.reload()
        self.status.setText(action[1].format(ref=due.ref))

    def _ask_confirmation(self, case: Due) -> str | None:
        typed, ok = QInputDialog.getText(
            self,
            _("Erase a record"),
            _("This cannot be undone. Type the reference {ref} to erase {name}:").format(
                ref=case.ref, name=case.name
            ),
        )
        if not ok or typed.strip().upper() != case.ref:
            self.status.setText(_("Not erased: the reference did not match."))
            return None
        return self._ask_reason(_("Erase a record"), _("Reason (recorded in the audit log):"))

    def _ask_reason(self, title: str, question: str) -> str | None:
        reason, ok = QInputDialog.getText(
            self, title, _("{question}\nReason (recorded in the audit log):").format(question=question)
        )
        return reason if ok and reason.strip() else None
