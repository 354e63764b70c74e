"""The audit viewer: filter by person, user, kind of action and period; verify the chain; export a
read-only CSV for the data protection officer (itself an audited disclosure)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.audit import AuditKind
from ppo_desktop.domain import Role
from ppo_desktop.i18n import N_, _, ngettext
from ppo_desktop.output_files import check_target, write_private
from ppo_desktop.services import Changes
from ppo_desktop.services.workspace import Stopped
from ui.context import AppContext, attempt
from ui.flow_layout import flowing
from ui.refresh import EVERYTHING, RefreshWhenShown
from ui.reports.preview import Disclosure, ask_disclosure
from ui.screens.case_view import AUDIT_COLUMNS
from ui.screens.retention import RetentionPanel
from ui.widgets import read_only_table, title_label, wrapping

VERIFY = N_("&Verify audit chain")
PERIODS = {N_("All time"): None, N_("Last 7 days"): 7, N_("Last 30 days"): 30, N_("Last year"): 365}


class AuditScreen(RefreshWhenShown, QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view, self.model = read_only_table(AUDIT_COLUMNS, _("Audit log"), self, newest_first=True)
        self.user = QComboBox()
        self.user.addItem(_("All"), None)
        for user in ctx.services.audit.users():
            self.user.addItem(user, user)
        self.kind = QComboBox()
        self.kind.addItem(_("All"), None)
        for kind in AuditKind:
            self.kind.addItem(kind.value, kind.value)  # the log's own word for it, as its rows show
        self.person = QLineEdit(placeholderText=_("Reference, e.g. N00015"))
        self.period = QComboBox()
        for label, days in PERIODS.items():
            self.period.addItem(_(label), days)
        for widget, name in (
            (self.user, _("Filter by user")),
            (self.kind, _("Filter by kind of action")),
            (self.person, _("Filter by person")),
            (self.period, _("Filter by period")),
        ):
            widget.setAccessibleName(name)
        self.user.currentTextChanged.connect(self.reload)
        self.kind.currentTextChanged.connect(self.reload)
        self.period.currentTextChanged.connect(self.reload)
        self.person.editingFinished.connect(self.reload)
        self.result = QLabel()
        self.result.setObjectName("chainResult")
        verify = self.verify_button = QPushButton(_(VERIFY))
        self._verifying: threading.Event | None = None  # set: the check running now is to stop
        verify.clicked.connect(self.verify)
        export = QPushButton(_("&Export for the DPO…"))
        export.clicked.connect(self.export)
        self.access_button = QPushButton(_("Su&bject access pack…"))
        self.access_button.setToolTip(_("Everything held about one person, for them and for the DPO (s.45)"))
        self.access_button.clicked.connect(self.subject_access)
        self.access_button.setVisible(ctx.session.user.role is Role.ADMINISTRATOR)
        self.ask_path: Callable[[], Path | None] = self._ask_path
        self.ask_disclosure: Callable[[str], Disclosure | None] = lambda what: ask_disclosure(self, what)
        self.count = wrapping(QLabel())

        filters = QHBoxLayout()
        for label, widget in (
            (_("&User:"), self.user),
            (_("&Kind:"), self.kind),
            (_("&Person:"), self.person),
            (_("Pe&riod:"), self.period),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 1)
        header = QHBoxLayout()
        header.addWidget(title_label(_("Audit log")))
        header.addWidget(wrapping(self.result), 1)
        header.addWidget(flowing(verify, export, self.access_button), 1)  # wraps where the words are long
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.count)
        self.retention = RetentionPanel(ctx, self)
        layout.addWidget(self.retention, 1)
        self.watch(ctx, EVERYTHING)  # every change writes an audit entry
        self.reload()

    def criteria(self) -> dict[str, object]:
        days = self.period.currentData()
        nominal = None
        ref = self.person.text().strip().upper()
        if ref:
            found = [r.nominal.id for r in self.ctx.services.cases.cohort() if r.nominal.ref == ref]
            nominal = found[0] if found else -1
        return {
            "user_id": self.user.currentData(),
            "kind": self.kind.currentData(),
            "nominal_id": nominal,
            "since": None if days is None else self.ctx.session.today() - dt.timedelta(days=days),
        }

    def reload(self) -> None:
        if hasattr(self, "retention"):
            self.retention.reload()
        entries = self.ctx.services.audit.search(**self.criteria(), limit=2000)
        self.model.set_rows(entries)
        shown = ngettext(
            "{n} entry shown (newest first, at most 2,000; export for all)",
            "{n} entries shown (newest first, at most 2,000; export for all)",
            len(entries),
        )
        self.count.setText(shown.format(n=len(entries)))

    def subject_access(self) -> None:
        from ui.screens.subject_access_dialog import SubjectAccessDialog

        SubjectAccessDialog(self.ctx, self).exec()

    def verify(self) -> None:
        """The whole chain, on a worker with its own read-only connection: the window goes on. While
        it runs the same button stops it (a long log takes a while)."""
        if self._verifying is not None:
            self._verifying.set()
            self.result.setText(_("Stopping the check…"))
            return
        stop = self._verifying = threading.Event()
        self.verify_button.setText(_("&Stop verifying"))
        self.result.setText(_("Verifying the audit chain… (you can go on working)"))

        def heard(_stage: str, _done: int, _total: int) -> None:  # on the worker
            if stop.is_set():
                raise Stopped(_("Stopped before it finished: the chain was not verified this time."))

        def over(text: str) -> None:
            self._verifying = None
            self.verify_button.setText(_(VERIFY))
            self.result.setText(text)

        def failed(exc: BaseException) -> None:
            over(
                str(exc)
                if isinstance(exc, Stopped)
                else _("The audit chain could not be verified: {why}").format(why=exc)
            )

        self.ctx.runner.run(self.ctx.services.audit.chain_check(heard), over, failed)

    def export(self) -> None:
        path = self.ask_path()
        if path is None:
            return
        docs = self.ctx.services.documents
        made = attempt(lambda: docs.audit_export(**self.criteria()), self.result)  # type: ignore[arg-type]
        answer = self.ask_disclosure(_("Audit log export")) if made is not None else None
        if made is None or answer is None:
            return
        data, people = made.value

        def disclose_and_write() -> Changes:
            check_target(path, overwrite=True)
            changes = docs.disclose_export(
                "Audit log export", data, people, how=f"saved to {path}", recipient=answer[0],
                justification=answer[1],
            )  # fmt: skip
            write_private(path, data, overwrite=True)
            return changes

        try:
            written = attempt(disclose_and_write, self.result)
        except OSError as exc:
            self.result.setText(str(exc))
            return
        if written is None:
            return
        changes = written.value
        self.result.setText(_("Exported to {path} (not encrypted)").format(path=path))
        self.ctx.broadcast(changes)

    def _ask_path(self) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Export the audit log (unencrypted CSV)"), "audit.csv", _("CSV (*.csv)")
        )
        return Path(chosen) if chosen else None
