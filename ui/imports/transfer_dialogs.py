"""Transfer packs in the UI: seal a meeting's cases for the chair's laptop, and open one there."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.i18n import _, ngettext
from ppo_desktop.output_files import check_target, write_private
from ppo_desktop.services.transfer import TransferPlan
from ppo_desktop.transfer.pack import PackError, mode_of
from ui.choices_model import ChoiceRow, ChoicesModel, choices_view, people_decided, who_is_this
from ui.context import AppContext, Said, attempt
from ui.dialog import Dialog
from ui.widgets import add_rows


class SealDialog(Dialog):
    """How the pack is protected, and who it is for and why (recorded before it is written)."""

    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        partners: Sequence[tuple[str, str]] = (),
        partner: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.partner = QComboBox()
        self.partner.setAccessibleName(_("Which laptop the pack is for"))
        for store, who in partners:
            self.partner.addItem(_("{who} — what changed since the last exchange").format(who=who), store)
        self.partner.addItem(_("A laptop this store has not exchanged with — the whole meeting"), None)
        if partner is not None and (found := self.partner.findData(partner)) >= 0:
            self.partner.setCurrentIndex(found)
        self.by_passphrase = QRadioButton(_("A &passphrase (tell it to the recipient another way)"))
        self.by_key = QRadioButton(_("The receiving laptop's &public key"))
        self.by_passphrase.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_passphrase)
        group.addButton(self.by_key)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.key = QLineEdit()
        self.key.setPlaceholderText(_("ppo-pk1:… (Settings → Transfer key on the receiving laptop)"))
        self.recipient = QLineEdit()
        self.partner.currentIndexChanged.connect(self._suggest_recipient)
        self._suggest_recipient()
        self.reason = QLineEdit()
        self.error = QLabel()
        self.error.setObjectName("error")
        form = QFormLayout(self)
        add_rows(form, ((_("&For:"), self.partner),))
        form.addRow(self.by_passphrase)
        add_rows(form, ((_("Pass&phrase:"), self.passphrase), (_("&Repeat:"), self.repeat)))
        form.addRow(self.by_key)
        add_rows(
            form, ((_("&Key:"), self.key), (_("Re&cipient:"), self.recipient), (_("&Why:"), self.reason))
        )
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _suggest_recipient(self) -> None:
        """The partner store's user, until the person types someone else."""
        if self.partner.currentData() is not None and not self.recipient.isModified():
            self.recipient.setText(self.partner.currentText().split(" — ", 1)[0])

    def _check(self) -> None:
        if self.by_passphrase.isChecked() and self.passphrase.text() != self.repeat.text():
            self.error.setText(_("The two passphrases differ."))
            return
        self.accept()

    def answer(self) -> dict[str, str | None]:
        by_key = self.by_key.isChecked()
        return {
            "partner": self.partner.currentData(),
            "passphrase": None if by_key else self.passphrase.text(),
            "recipient_key": self.key.text() if by_key else None,
            "recipient": self.recipient.text(),
            "justification": self.reason.text(),
        }


class MergeDialog(Dialog):
    """What a pack holds and what will happen to each person; possible duplicates are decided here."""

    def __init__(self, plan: TransferPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_("Open a transfer pack"))
        self.people = ChoicesModel([_("Person"), _("What happens"), _("Decision")], self)
        self.people.set_rows([
            ChoiceRow((p.name, f"{p.fate}: {p.message}"),
                      who_is_this(p.nominal_id) if p.fate == "possible-duplicate" else (), key=p.number)
            for p in plan.people
        ])  # fmt: skip
        self.table = choices_view(self.people, _("People in the pack"), self)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, 280)
        self.choices = ChoicesModel(
            [_("Changed on both laptops"), _("On this laptop"), _("In the pack"), _("Keep")], self
        )
        self.choices.set_rows([
            ChoiceRow((f"{c.record}\n{c.field.replace('_', ' ')}", f"{_shown(c.here)}\n{c.here_by}",
                       f"{_shown(c.there)}\n{c.there_by}"),
                      ((_("This laptop's"), "here"), (_("The pack's"), "there")), key=c.key)
            for c in plan.conflicts
        ])  # fmt: skip
        self.conflicts = choices_view(
            self.choices, _("Conflicts: the same field changed on both laptops"), self
        )
        header = self.conflicts.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.conflicts.setColumnWidth(3, 160)
        self.conflicts.resizeRowsToContents()
        self.conflicts.setVisible(bool(plan.conflicts))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("e.g. Chair's copy for the panel on 1 December"))
        self.error = QLabel()
        self.error.setObjectName("error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge = QPushButton(_("&Merge into this store"))
        buttons.addButton(self.merge, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        summary = QLabel(f"{plan.summary()}\n{plan.signed_by}")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        if plan.conflicts:
            layout.addWidget(QLabel(
                ngettext(
                    "{n} field changed on both laptops since they last exchanged. Choose which value stands "
                    "for it; nothing is merged until it is chosen.",
                    "{n} fields changed on both laptops since they last exchanged. Choose which value stands "
                    "for each; nothing is merged until every one is chosen.",
                    len(plan.conflicts),
                ).format(n=len(plan.conflicts))
            ))  # fmt: skip
            layout.addWidget(self.conflicts, 1)
        self.table.setVisible(bool(plan.people))
        reason = QFormLayout()
        add_rows(reason, ((_("&Why:"), self.reason),))
        layout.addLayout(reason)
        # A first pack from a store: its key is trusted only once a person has compared fingerprints.
        self.fingerprint_checked = QCheckBox(
            _(
                "The sender read out this same fingerprint: {fingerprint} (first exchange with this store)"
            ).format(fingerprint=plan.fingerprint)
        )
        self.fingerprint_checked.setVisible(plan.first_exchange)
        layout.addWidget(self.fingerprint_checked)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(900, 500)

    def resolutions(self) -> dict[str, str]:
        """Each conflict settled: its key → "here" (this laptop's value) or "there" (the pack's)."""
        return {str(k): str(v) for k, v in self.choices.choices().items()}

    def decisions(self) -> dict[int, int | None]:
        """Each possible duplicate decided: its number in the pack → the person here, or None (new)."""
        return people_decided(self.people)


@dataclass(frozen=True)
class MergeAnswer:
    """What a person decided in the merge dialog."""

    decisions: dict[int, int | None]  # possible duplicate → local person (None: a new person)
    reason: str
    resolutions: dict[str, str] = field(default_factory=dict)  # conflict → "here" or "there"
    trusted: str = ""  # a first exchange: the fingerprint the person compared with the sender's


class _Reported:
    """A screen's report callback as a message area (the transfer actions report where they are used)."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self.setText = report

    def clear(self) -> None:
        pass


def _shown(value: object) -> str:
    return _("(empty)") if value in (None, "") else str(value)


class TransferActions:
    """The two transfer actions, for a screen to offer (Reports, with its meeting chosen)."""

    def __init__(self, ctx: AppContext, parent: QWidget, report: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.parent = parent
        self.report = report
        self.transfer = ctx.services.transfer
        self.ask_seal: Callable[[str, str | None], dict[str, str | None] | None] = self._ask_seal
        self.ask_save: Callable[[], Path | None] = self._ask_save
        self.ask_open: Callable[[], Path | None] = self._ask_open
        self.ask_passphrase: Callable[[], str | None] = self._ask_passphrase
        self.ask_merge: Callable[[TransferPlan], MergeAnswer | None] = self._ask_merge

    def send(self, meeting_id: int) -> None:
        """The meeting for the chair's laptop, or — for a meeting that came in a pack — its outcome
        back to the store it came from (what changed since the last exchange with it)."""
        back_to = self.transfer.partner_of_meeting(meeting_id)
        title = _("Send the outcome back") if back_to else _("Send this meeting to the chair's laptop")
        answer = self.ask_seal(title, back_to)
        if answer is None:
            return
        path = self.ask_save()
        if path is None:
            return
        said = Said(self.report)
        try:
            if attempt(lambda: check_target(path, overwrite=True), said) is None:
                return
            made = attempt(
                lambda: self.transfer.export([], meeting_id=meeting_id, **answer),  # type: ignore[arg-type]
                said,
            )
            if made is None:
                return
            write_private(path, made.value, overwrite=True)
        except OSError as exc:
            self.report(_("Could not save to {path}: {why}").format(path=path, why=exc.strerror))
            return
        self.report(
            _("Saved the encrypted pack to {path}; the disclosure is in the audit log.").format(path=path)
        )

    def receive(self) -> None:
        path = self.ask_open()
        if path is None:
            return
        try:
            data = path.read_bytes()
            passphrase = self.ask_passphrase() if mode_of(data) == "passphrase" else None
        except (OSError, PackError) as exc:
            self.report(str(exc))
            return
        self.ctx.perform_long(
            _("Reading the transfer pack"),
            lambda progress: self.transfer.planning(data, passphrase=passphrase, progress=progress),
            Said(self.report),
            self._planned,
            self.parent,
        )

    def _planned(self, plan: TransferPlan) -> None:
        """The pack read (on a worker): a person says how to merge it, then it merges on a worker."""
        answer = self.ask_merge(plan)
        if answer is None:
            return
        self.ctx.perform_long(
            _("Merging the transfer pack"),
            lambda progress: self.transfer.merging(
                plan, answer.decisions, justification=answer.reason, resolutions=answer.resolutions,
                trusted=answer.trusted, progress=progress,
            ),
            _Reported(self.report),
            lambda _changes: self.report(_("Merged: {summary}.").format(summary=plan.summary())),
            self.parent,
        )  # fmt: skip

    def copy_public_key(self) -> str:
        key = self.transfer.keys.public_key()
        QGuiApplication.clipboard().setText(key)  # a public key: not a secret
        return key

    def _ask_seal(self, title: str, partner: str | None) -> dict[str, str | None] | None:
        if partner is None and (known := self.transfer.partners()):
            partner = known[0][0]  # the laptop this store exchanged with last
        dialog = SealDialog(title, self.parent, self.transfer.partners(), partner)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _ask_save(self) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self.parent, _("Save the transfer pack"), "panel.ppopack", _("Transfer pack (*.ppopack)")
        )
        return Path(chosen) if chosen else None

    def _ask_open(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self.parent, _("Open a transfer pack"), "", _("Transfer pack (*.ppopack)")
        )
        return Path(chosen) if chosen else None

    def _ask_passphrase(self) -> str | None:
        text, ok = QInputDialog.getText(self.parent, _("Transfer pack"), _("The pack's passphrase:"),
                                        QLineEdit.EchoMode.Password)  # fmt: skip
        return text if ok else None

    def _ask_merge(self, plan: TransferPlan) -> MergeAnswer | None:
        dialog = MergeDialog(plan, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        trusted = plan.fingerprint if dialog.fingerprint_checked.isChecked() else ""
        return MergeAnswer(dialog.decisions(), dialog.reason.text(), dialog.resolutions(), trusted)


def key_row(actions: TransferActions) -> QVBoxLayout:
    """'This laptop's transfer key' with a copy button (cleared from the clipboard after 10 s), and
    the fingerprint of the key that signs its packs (to read out to the receiver of a first pack)."""
    rows = QVBoxLayout()
    row, second = QHBoxLayout(), QHBoxLayout()
    rows.addLayout(row)
    rows.addLayout(second)
    shown = QLabel(_("This laptop's transfer key: (made when first copied)"))
    button = QPushButton(_("Copy &transfer key"))
    button.clicked.connect(
        lambda: shown.setText(_("This laptop's transfer key: {key}").format(key=actions.copy_public_key()))
    )
    signed = QLabel(_("Packs from this laptop are signed; its signing key's fingerprint is shown here."))
    show = QPushButton(_("Show signing &fingerprint"))
    show.setToolTip(_("Read it to the person receiving your first pack, so they can compare it with theirs"))
    show.clicked.connect(
        lambda: signed.setText(
            _("Signing fingerprint: {signing_fingerprint}").format(
                signing_fingerprint=actions.transfer.keys.signing_fingerprint()
            )
        )
    )
    for label in (shown, signed):
        label.setWordWrap(True)  # a long key, or a longer language, wraps rather than widens the screen
    row.addWidget(shown, 1)
    row.addWidget(button)
    second.addWidget(signed, 1)
    second.addWidget(show)
    return rows
