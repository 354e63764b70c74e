"""Restore a backup bundle as a new store, from the first window (a new laptop, a damaged store): what
will happen is said before anything is done, the store there now is never touched, and the restored
store is checked — every page and the audit chain — before it is offered for unlocking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.i18n import _
from ppo_desktop.keyring_policy import DeviceSource, resolve
from ppo_desktop.paths import store_file
from ui.context import attempt
from ui.dialog import Dialog
from ui.tasks import TaskRunner
from ui.widgets import add_rows


class RestoreDialog(Dialog):
    def __init__(
        self, folder: Path, device: DeviceSource, runner: TaskRunner, *, today: dt.date,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._device, self.runner = device, runner
        self.restored: Path | None = None  # the store as restored and checked, to unlock
        self.setWindowTitle(_("Restore a backup as a new store"))
        self.setMinimumWidth(600)
        self.bundle = QLineEdit()
        self.bundle.setAccessibleName(_("Backup file"))
        self.bundle.setPlaceholderText(_("panel-20261124-0930.ppobackup"))
        choose = QPushButton(_("&Choose…"))
        choose.clicked.connect(self._choose)
        self.folder = QLineEdit(str(folder))
        self.folder.setAccessibleName(_("Folder"))
        self.name = QLineEdit(f"restored-{today:%Y%m%d}")
        self.user = QLineEdit(placeholderText=_("optional"))
        self.secret = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.recovery = QCheckBox(
            _("Use the store's recovery key &instead (another laptop, or a lost keyring)")
        )
        self.recovery.toggled.connect(self._recovery_toggled)
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.said.setObjectName("hint")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        bundle_row = QHBoxLayout()
        bundle_row.addWidget(self.bundle, 1)
        bundle_row.addWidget(choose)
        form = QFormLayout()
        caption = QLabel(_("&Backup:"))
        caption.setBuddy(self.bundle)
        form.addRow(caption, bundle_row)
        self.secret_caption = QLabel(_("&Passphrase:"))
        self.secret_caption.setBuddy(self.secret)
        add_rows(
            form,
            ((_("&Folder:"), self.folder), (_("New store's &name:"), self.name), (_("&User:"), self.user)),
        )
        form.addRow(self.secret_caption, self.secret)
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(ok | cancel)
        self.restore_button = self.buttons.button(ok)
        self.restore_button.setText(_("&Restore and check"))
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)
        self._stopping = False  # Cancel pressed while the restore runs: the worker stops at its next step
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.recovery)
        layout.addWidget(self.said)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for box in (self.folder, self.name):
            box.textChanged.connect(self._say)
        self._say()

    def target(self) -> Path:
        return store_file(Path(self.folder.text()).expanduser() / self.name.text().strip())

    def _say(self) -> None:
        """What will happen, before anything does."""
        self.said.setText(
            _(
                "The backup will be unpacked as a new store, {target}, and checked — every page and the "
                "audit chain — before you unlock it. No store there now is touched or replaced. The "
                "restore is recorded in the restored store's own audit log."
            ).format(target=self.target())
        )

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Choose a backup"), self.folder.text(),
                                                _("PPO Panel backup (*.ppobackup)"))  # fmt: skip
        if chosen:
            self.bundle.setText(chosen)

    def _recovery_toggled(self, on: bool) -> None:
        self.secret_caption.setText(_("Recovery &key:") if on else _("&Passphrase:"))
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.user.setEnabled(not on)
        self.secret.clear()

    def attempt(self) -> None:
        bundle = Path(self.bundle.text().strip()).expanduser()
        name = self.name.text().strip()
        if not self.bundle.text().strip() or not bundle.is_file():
            self.error.setText(_("Choose the backup file (it ends .ppobackup)."))
            return
        if not name or Path(name).name != name:
            self.error.setText(_("Enter a name for the new store (no folder in it)."))
            return
        if not self.secret.text():
            self.error.setText(
                _("Enter the recovery key.") if self.recovery.isChecked() else _("Enter the passphrase.")
            )
            return
        from ppo_desktop.services.backups import restoring  # the services load when needed

        secret, recovery = self.secret.text(), self.recovery.isChecked()
        user = None if recovery else (self.user.text().strip() or None)
        made = attempt(
            lambda: restoring(bundle, self.target(), passphrase=None if recovery else secret, user_id=user,
                              recovery_key=secret if recovery else None, device=resolve(self._device),
                              progress=self._heard),
            self.error,
        )  # fmt: skip
        if made is None:
            return
        self._stopping = False
        self._busy(True)
        self.runner.run(made.value, self._restored, self._failed)

    def _heard(self, _stage: str, _done: int, _total: int) -> None:
        """The restore's progress hook (on the worker): once Cancel is pressed, it stops the restore."""
        if self._stopping:
            from ppo_desktop.services.workspace import Stopped

            raise Stopped(_("Stopped before it finished: nothing was restored, and nothing is left of it."))

    def reject(self) -> None:
        """Cancel: while the restore runs it is stopped (the dialog stays until it has), else closes."""
        if self.busy.isVisible():
            self._stopping = True
            self.error.setText(_("Stopping…"))
            return
        super().reject()

    def _restored(self, store: object) -> None:
        self._busy(False)
        assert isinstance(store, Path)
        self.restored = store
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from ppo_desktop.services.session import StoreProblem
        from ppo_desktop.services.workspace import ServiceError

        self._busy(False)
        if not isinstance(exc, ServiceError | StoreProblem):
            raise exc
        self.error.setText(str(exc))

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.restore_button.setEnabled(not busy)
        self.error.setText(_("Unpacking and checking the backup…") if busy else "")
