"""Unlock a store with a passphrase (or the recovery key); key derivation runs off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop.i18n import _
from ppo_desktop.keyring_policy import DeviceSource, PendingDevice, resolve
from ui.dialog import Dialog
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ppo_desktop.services.session import DeviceSecrets
    from ppo_desktop.services.workspace import Workspace


class UnlockDialog(Dialog):
    def __init__(
        self,
        store: Path,
        device: DeviceSource,
        runner: TaskRunner,
        *,
        hint: str = "",
        offer_restore: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        """``offer_restore``: at start-up, a backup may be restored instead (not when unlocking after
        a lock: the session goes on with its own store)."""
        super().__init__(parent)
        self.store = store
        self._device = device  # the OS keyring may still be being looked for: see ``device``
        self.runner = runner
        self.workspace: Workspace | None = None
        self.failures = 0
        self.wait_left = 0
        self.backoff = QTimer(self)
        self.backoff.setInterval(1000)
        self.backoff.timeout.connect(self._tick)
        self.setWindowTitle(_("Unlock PPO Panel store"))
        self.setMinimumWidth(480)

        self.user = QLineEdit(placeholderText=_("optional"))
        self.user.setAccessibleName(_("User name"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(_("Passphrase"))
        self.recovery = QCheckBox(_("Use the &recovery key instead"))
        self.recovery.toggled.connect(self._recovery_toggled)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(_("Unlock error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.unlock_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.unlock_button.setText(_("&Unlock"))
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        self.store_label = store_label = QLabel(str(store))
        store_label.setWordWrap(True)
        store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(_("Store:"), store_label)
        self.user_label = QLabel(_("&User:"))
        self.user_label.setBuddy(self.user)
        form.addRow(self.user_label, self.user)
        self.secret_label = QLabel(_("&Passphrase:"))
        self.secret_label.setBuddy(self.secret)
        form.addRow(self.secret_label, self.secret)

        layout = QVBoxLayout(self)
        if hint:
            banner = QLabel(hint)
            banner.setObjectName("demoBanner")
            banner.setWordWrap(True)
            layout.addWidget(banner)
        self.keyring_note = QLabel()
        self.keyring_note.setObjectName("hint")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.hide()
        layout.addWidget(self.keyring_note)
        layout.addLayout(form)
        layout.addWidget(self.recovery)
        layout.addWidget(self.error)
        restore = QPushButton(_("Restore a &backup instead…"))
        restore.setToolTip(
            _("A damaged store or a new laptop: a backup restored as a new store, then unlocked")
        )
        restore.clicked.connect(self.restore_backup)
        if offer_restore:
            self.buttons.addButton(restore, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)
        self.restore_dialog: QDialog | None = None
        self.secret.setFocus()
        # Work that can wait until the dialog has been drawn: it must not slow the first frame.
        self.on_screen: list[Callable[[], None]] = []
        if isinstance(device, PendingDevice) and not device.ready:  # looked for once on screen
            self.on_screen.append(lambda: runner.run(device.get, self._device_known, lambda _exc: None))
        else:
            self._device_known(resolve(device))

    def restore_backup(self) -> None:
        """Restore a backup as a new store (window-modal); once restored and checked, this dialog
        unlocks that store instead."""
        from ppo_desktop import clock
        from ui.restore_dialog import RestoreDialog

        dialog = self.restore_dialog = RestoreDialog(
            self.store.parent, self._device, self.runner, today=clock.today(), parent=self
        )
        dialog.accepted.connect(lambda: self.unlock_instead(dialog.restored))
        dialog.open()

    def unlock_instead(self, store: Path | None) -> None:
        if store is None:
            return
        self.store = store
        self.store_label.setText(str(store))
        self.secret.clear()
        self.secret.setFocus()
        self.error.setText(_("Restored and checked. Unlock it to open it (the store before is untouched)."))

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.on_screen:
            waiting, self.on_screen = self.on_screen, []
            QTimer.singleShot(0, self, lambda: [job() for job in waiting])

    @property
    def device(self) -> DeviceSecrets:
        """This computer's keyring (waiting for the look-up if it is still going: on the unlock
        worker, never on the UI thread in practice — it takes a fraction of the time typing does)."""
        return resolve(self._device)

    def _device_known(self, device: DeviceSecrets) -> None:
        if not device.available and device.reason:
            self.keyring_note.setText(device.reason)
            self.keyring_note.show()
            self.adjustSize()  # the note arrives after the dialog was sized: it grows to fit

    def _recovery_toggled(self, on: bool) -> None:
        self.secret_label.setText(_("&Recovery key:") if on else _("&Passphrase:"))
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.user.setEnabled(not on)
        self.secret.clear()
        self.secret.setFocus()

    def attempt(self) -> None:
        secret = self.secret.text()
        if not secret:
            self.error.setText(
                _("Enter the passphrase.") if not self.recovery.isChecked() else _("Enter the recovery key.")
            )
            return
        self._busy(True)
        user = self.user.text().strip() or None
        # The services load here, not at start-up: the dialog appears before the database libraries.
        from ppo_desktop.services.session import unlock_key

        if self.recovery.isChecked():
            job = lambda: unlock_key(self.store, recovery_key=secret, device=self.device)  # noqa: E731
        else:
            job = lambda: unlock_key(self.store, secret, user_id=user, device=self.device)  # noqa: E731
        self.runner.run(job, self._granted, self._failed)

    def _granted(self, grant: object) -> None:
        from ppo_desktop.services.session import StoreProblem, open_granted

        try:
            self.workspace = open_granted(grant, device=self.device, defer_check=True)  # type: ignore[arg-type]
        except StoreProblem as exc:
            self._failed(exc)
            return
        self._busy(False)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from ppo_desktop.backoff import wait_after
        from ppo_desktop.services.session import StoreProblem
        from ppo_desktop.services.session import WrongPassphrase as Wrong

        self._busy(False)
        if not isinstance(exc, StoreProblem):
            raise exc
        self.error.setText(str(exc))
        if isinstance(exc, Wrong):
            self.failures += 1
            self.wait_left = wait_after(self.failures)
            if self.wait_left:
                self._tick()
                self.backoff.start()
                return
        self.secret.selectAll()
        self.secret.setFocus()

    def _tick(self) -> None:
        """One second of the back-off after repeated wrong passphrases."""
        if self.wait_left <= 0:
            self.backoff.stop()
            self._busy(False)
            self.error.setText(_("You can try again now."))
            self.secret.selectAll()
            self.secret.setFocus()
            return
        self._busy(True)
        self.error.setText(_("{failures} wrong attempts: try again in {seconds} s.").format(
            failures=self.failures, seconds=self.wait_left))  # fmt: skip
        self.wait_left -= 1

    def _busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.secret.setEnabled(not busy)
        if busy:
            self.error.setText(_("Unlocking…"))
