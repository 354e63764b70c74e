"""A subject access pack from the Audit screen (DPA 2018 s.45; issue 27): for an administrator (the
DPO's role here), one person's pack — the DPO's JSON bundle and the person's PDF — written privately to
a folder, third parties' words redacted with their reasons. The same pack as `ppo-admin subject-access`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.i18n import _, ngettext
from ppo_desktop.output_files import check_target, write_private
from ui.context import AppContext, attempt
from ui.date_field import DateField
from ui.dialog import Dialog


def redactions(text: str) -> dict[str, str]:
    """'words = reason' per line (a line without a reason is kept, and refused by the service)."""
    found = {}
    for line in text.splitlines():
        words, _eq, reason = line.partition("=")
        if words.strip():
            found[words.strip()] = reason.strip()
    return found


class SubjectAccessDialog(Dialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Subject access pack"))
        self.setMinimumWidth(560)
        self.ref = QLineEdit()
        self.ref.setPlaceholderText(_("e.g. N00015"))
        self.requested = DateField(_("Request received"), required=True)
        self.requested.set_date(ctx.session.today())
        self.redact = QPlainTextEdit()
        self.redact.setPlaceholderText(
            _("One per line: words to redact = why ('DS Example = a third party')")
        )
        self.redact.setAccessibleName(_("Redactions"))
        self.folder = QLineEdit()
        self.folder.setAccessibleName(_("Folder for the pack"))
        choose = QPushButton(_("C&hoose…"))
        choose.clicked.connect(self._choose)
        self.ask_folder: Callable[[], str] = lambda: QFileDialog.getExistingDirectory(self, _("Folder"))
        self.status = QLabel(
            _(
                "Two private files: REF-subject-access.json for the DPO (everything, and what was withheld) "
                "and REF-subject-access.pdf for the person. Making them is recorded as a disclosure."
            )
        )
        self.status.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (
            (_("&Person (reference):"), self.ref),
            (_("Request &received:"), self.requested),
            (_("Re&dact:"), self.redact),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(choose)
        caption = QLabel(_("&Folder:"))
        caption.setBuddy(self.folder)
        form.addRow(caption, where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.make_button = buttons.addButton(_("&Make the pack"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.make)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.written: tuple[Path, Path] | None = None

    def _choose(self) -> None:
        chosen = self.ask_folder()
        if chosen:
            self.folder.setText(chosen)

    def make(self) -> None:
        try:
            requested = self.requested.date()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        assert requested is not None
        folder = Path(self.folder.text().strip())
        if not self.folder.text().strip() or not folder.is_dir():
            self.status.setText(_("Choose an existing folder for the pack."))
            return
        access = self.ctx.services.subject_access

        def write() -> tuple[Path, Path, int]:
            person = self.ctx.services.cases.by_ref(self.ref.text())
            targets = [folder / f"{person.ref}-subject-access{suffix}" for suffix in (".json", ".pdf")]
            for target in targets:  # refused before anything is made (an existing file, a link)
                check_target(target)
            redact = redactions(self.redact.toPlainText())
            pack = access.pack(person.id, requested_on=requested, redact=redact)
            write_private(targets[0], pack.bundle)
            write_private(targets[1], access.pdf(pack))
            return targets[0], targets[1], pack.withheld

        try:
            done = attempt(write, self.status)
        except OSError as exc:
            self.status.setText(
                _("Could not write to {folder}: {strerror}").format(folder=folder, strerror=exc.strerror)
            )
            return
        if done is not None:
            json_path, pdf_path, withheld = done.value
            self.written = (json_path, pdf_path)
            self.status.setText(
                ngettext(
                    "Written: {json} and {pdf} ({withheld} record withheld under s.45(4)); the disclosure "
                    "is in the audit log.",
                    "Written: {json} and {pdf} ({withheld} records withheld under s.45(4)); the disclosure "
                    "is in the audit log.",
                    withheld,
                ).format(json=json_path.name, pdf=pdf_path.name, withheld=withheld)
            )
