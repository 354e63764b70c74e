"""After unlocking with the recovery key: set a new passphrase for a user (re-enrolled on this
computer's keyring where there is one)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from ppo_desktop.i18n import _
from ppo_desktop.services.bundle import Services
from ppo_desktop.services.session import StoreProblem
from ui.dialog import Dialog
from ui.widgets import add_rows


class ReenrolDialog(Dialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = services.status
        self.setWindowTitle(_("Set a new passphrase"))
        self.user = QComboBox()
        for user in services.users.all():
            if user.active:
                self.user.addItem(f"{user.display_name} ({user.id})", user.id)
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.second = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                _(
                    "You unlocked with the recovery key. Set a new passphrase now, so the recovery key "
                    "can go back in its safe place."
                )
            )
        )
        add_rows(
            form,
            ((_("&User:"), self.user), (_("New &passphrase:"), self.first), (_("&Repeat:"), self.second)),
        )
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Set passphrase"))
        buttons.accepted.connect(self.attempt)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def attempt(self) -> None:
        if self.first.text() != self.second.text():
            self.error.setText(_("The two passphrases differ."))
            return
        try:
            self.session.reenrol(self.user.currentData(), self.first.text())
        except StoreProblem as exc:
            self.error.setText(str(exc))
            return
        self.accept()
