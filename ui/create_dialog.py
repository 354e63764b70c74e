"""Create a new encrypted store, then show its recovery key once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.i18n import _
from ppo_desktop.keyring_policy import DeviceSource, PendingDevice, resolve
from ppo_desktop.paths import store_file
from ui.dialog import Dialog
from ui.tasks import TaskRunner
from ui.widgets import add_rows

if TYPE_CHECKING:
    from ppo_desktop.services.session import DeviceSecrets
    from ppo_desktop.services.workspace import Workspace


class CreateStoreDialog(Dialog):
    def __init__(
        self,
        store: Path,
        device: DeviceSource,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._device = device
        self.workspace: Workspace | None = None
        self.recovery_key = ""
        self.store: Path | None = None  # the store as created: the session, the lock and the next launch
        self.restored: Path | None = None  # or a backup restored instead, to unlock
        self._runner = runner
        store = store_file(store)
        self.setWindowTitle(_("Create a PPO Panel store"))
        self.setMinimumWidth(560)
        self.folder = QLineEdit(str(store.parent))
        self.folder.setAccessibleName(_("Folder"))
        browse = QPushButton(_("&Browse…"))
        browse.clicked.connect(self._browse)
        self.name = QLineEdit(store.stem)  # as given with --store (or "panel")
        self.partnership = QLineEdit(placeholderText=_("e.g. Northtown Community Safety Partnership"))
        self.user_id = QLineEdit(placeholderText=_("e.g. j.coordinator"))
        self.display_name = QLineEdit()
        self.passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        caption = QLabel(_("&Folder:"))
        caption.setBuddy(self.folder)  # Alt+F reaches the folder box, and a screen reader names it
        form.addRow(caption, folder_row)
        add_rows(
            form,
            (
                (_("Store &name:"), self.name),
                (_("&Partnership:"), self.partnership),
                (_("Your &user name:"), self.user_id),
                (_("Your &display name:"), self.display_name),
                (_("P&assphrase:"), self.passphrase),
                (_("&Repeat passphrase:"), self.confirm),
            ),
        )
        keyring = self.keyring_note = QLabel(_("Looking for this computer's keyring…"))
        keyring.setObjectName("hint")
        keyring.setWordWrap(True)
        if isinstance(device, PendingDevice) and not device.ready and runner is not None:
            runner.run(device.get, self._show_keyring, lambda _exc: None)  # said once it is known
        else:
            self._show_keyring(resolve(device))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Create store"))
        buttons.accepted.connect(self.attempt)
        buttons.rejected.connect(self.reject)
        restore = QPushButton(_("Restore a backup &instead…"))
        restore.setToolTip(_("A new laptop: the partnership's store restored from its backup, then unlocked"))
        restore.clicked.connect(self.restore_backup)
        buttons.addButton(restore, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(keyring)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def restore_backup(self) -> None:
        """A new laptop for an existing partnership: its store restored from a backup (window-modal);
        once restored and checked, this dialog closes and the restored store is unlocked."""
        from ppo_desktop import clock
        from ui.restore_dialog import RestoreDialog
        from ui.tasks import SyncRunner

        dialog = self.restore_dialog = RestoreDialog(
            Path(self.folder.text()).expanduser(), self._device, self._runner or SyncRunner(),
            today=clock.today(), parent=self,
        )  # fmt: skip
        dialog.accepted.connect(lambda: self._restored(dialog.restored))
        dialog.open()

    def _restored(self, store: Path | None) -> None:
        if store is not None:
            self.restored = store
            self.reject()  # nothing was created here: the restored store is unlocked next

    def _show_keyring(self, device: DeviceSecrets) -> None:
        self.keyring_note.setText(
            _("The store will also be tied to this computer's keyring.")
            if device.available
            else device.reason
        )

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Folder for the store"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def attempt(self) -> None:
        if self.passphrase.text() != self.confirm.text():
            self.error.setText(_("The two passphrases differ."))
            return
        if not self.partnership.text().strip():
            self.error.setText(_("Enter the partnership's name; it appears on every document."))
            return
        name = self.name.text().strip()
        if not name or Path(name).name != name:
            self.error.setText(_("Enter a name for the store (letters and numbers; no folder in it)."))
            return
        path = store_file(Path(self.folder.text()).expanduser() / name)
        from ppo_desktop.services.session import StoreProblem, create_store  # loaded when needed

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.workspace, self.recovery_key = create_store(
                path,
                user_id=self.user_id.text().strip(),
                display_name=self.display_name.text().strip() or self.user_id.text().strip(),
                passphrase=self.passphrase.text(),
                partnership=self.partnership.text().strip(),
                device=resolve(self._device),
            )
        except StoreProblem as exc:
            self.error.setText(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.store = path
        RecoveryKeyDialog(self.recovery_key, self).exec()
        self.accept()


class RecoveryKeyDialog(Dialog):
    """Shows the recovery key once; the user must confirm they have recorded it."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Recovery key — shown once"))
        text = QLabel(
            _(
                "This recovery key opens the store if a passphrase is forgotten or this computer's keyring "
                "is "
                "lost. It is shown only now. Write it down or print it and keep it locked away, apart from "
                "the laptop."
            )
        )
        text.setWordWrap(True)
        key_label = QLabel(key)
        key_label.setObjectName("screenTitle")
        key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        key_label.setAccessibleName(_("Recovery key"))
        self.confirmed = QCheckBox(_("I have recorded the recovery key somewhere safe"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.confirmed.toggled.connect(ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for w in (text, key_label, self.confirmed, buttons):
            layout.addWidget(w)
