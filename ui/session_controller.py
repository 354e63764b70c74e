"""The unlocked session on screen: starts the workspace window, locks it (idle or Ctrl+L) and brings
the person back to the same place after unlocking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from ppo_desktop import i18n, paths
from ppo_desktop.domain import Role
from ppo_desktop.i18n import _
from ppo_desktop.services.bundle import Services
from ppo_desktop.services.session import DeviceSecrets
from ppo_desktop.services.session import lock as lock_store
from ppo_desktop.services.settings import lock_minutes
from ppo_desktop.services.workspace import Workspace
from ui import platform
from ui.clipboard import ClipboardGuard
from ui.context import AppContext, Said, attempt
from ui.lock import IdleWatcher
from ui.main_window import MainWindow
from ui.tasks import TaskRunner
from ui.unlock_dialog import UnlockDialog

BACKUP_CHECK_MS = 60 * 60 * 1000  # look once an hour whether the next automatic backup is due


class SessionController(QObject):
    def __init__(self, store: Path, device: DeviceSecrets, runner: TaskRunner, hint: str = "") -> None:
        super().__init__()
        self.store = store
        self.device = device
        self.runner = runner
        self.hint = hint
        self.window: MainWindow | None = None
        self.idle: IdleWatcher | None = None
        self.clipboard = ClipboardGuard(self)
        self.os_lock = platform.lock_watcher(self)
        self.os_lock.lock_requested.connect(self._os_locked)
        self.unlock_dialog: UnlockDialog | None = None
        self.reenrol_dialog: QDialog | None = None
        self._place: dict[str, object] = {}
        self.ws: Workspace | None = None  # the session's store, open while a window shows it

    def start(self, ws: Workspace, place: dict[str, object] | None = None) -> MainWindow:
        self.ws = ws  # the one place in ui/ that holds the Workspace: screens get its services
        ctx = AppContext(Services(ws), self.runner, keyring_note=self.device.reason)
        i18n.use(ctx.session.language())  # every screen built from here on speaks the user's language
        paths.remember_language(i18n.current())  # and the next unlock dialog on this computer
        window = MainWindow(ctx)
        window.resize(1280, 760)
        window.show()
        if hasattr(self.os_lock, "register"):  # Windows: the session's notifications come to this window
            self.os_lock.register(window)
        if place:
            window.restore(place)
        window.lock_requested.connect(self.lock)
        self.check_store(window, ws)
        if ws.status().by_recovery_key:
            from ui.reenrol_dialog import ReenrolDialog

            self.reenrol_dialog = ReenrolDialog(ctx.services, window)
            self.reenrol_dialog.open()  # window-modal: the rest of the app waits, the event loop runs
        self.backup_timer = QTimer(window)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(lambda: self.scheduled_backup(window))
        self.backup_timer.start()
        QTimer.singleShot(0, window, lambda: self.scheduled_backup(window))
        minutes = lock_minutes(ws)
        self.idle = IdleWatcher(minutes, self)
        self.idle.idle.connect(lambda: self.idle_for(minutes))
        self.window = window
        return window

    def check_store(self, window: MainWindow, ws: Workspace) -> None:
        """The store's quick check runs on a worker after unlocking; a problem is shown at once."""
        window.statusBar().showMessage(_("Checking the store…"))

        def done(problems: object) -> None:
            if self.window is not window:
                return
            if problems:
                window.statusBar().showMessage(_("The store failed its check"))
                QMessageBox.critical(
                    window,
                    _("The store failed its check"),
                    _(
                        "The store's quick check found a problem: {problems}. Stop editing, back up what "
                        "you can and restore from the last verified backup."
                    ).format(problems=problems),
                )
            else:
                window.statusBar().showMessage(_("Store checked: no problems found"), 8000)

        def failed(exc: BaseException) -> None:
            if self.window is window:
                window.statusBar().showMessage(_("The store could not be checked: {exc}").format(exc=exc))

        self.runner.run(ws.background_checks(), done, failed)

    def scheduled_backup(self, window: MainWindow) -> None:
        """When the next automatic backup is due, take it on a worker (the person goes on working)."""
        if self.window is not window or not (status := window.ctx.session.store()).open or status.read_only:
            return
        backups = window.ctx.services.backups
        folder = backups.due(window.ctx.session.backup_days())
        if folder is None or window.ctx.session.user.role not in (Role.ADMINISTRATOR, Role.COORDINATOR):
            return
        bar = window.statusBar()
        said = Said(
            lambda text: bar.showMessage(_("The scheduled backup could not start: {text}").format(text=text))
        )
        started = attempt(lambda: backups.start(folder), said)
        if started is None:
            return
        job = started.value
        window.statusBar().showMessage(_("Backing up to {folder}…").format(folder=folder))

        def done(info: Any) -> None:
            if self.window is window:
                window.statusBar().showMessage(
                    _("Scheduled backup written and verified: {name}").format(name=info.path.name), 15000
                )

        def failed(exc: BaseException) -> None:
            if self.window is window:
                window.statusBar().showMessage(_("The scheduled backup failed: {exc}").format(exc=exc))

        self.runner.run(job, done, failed)

    def idle_for(self, minutes: int) -> None:
        """Idle: lock — unless a meeting is in progress on the chair console (the room is watching
        the projector, the chair is talking, not typing); Ctrl+L and the OS's own lock still lock."""
        window = self.window
        if window is None:
            return
        if any(console.presenter.open for console in window.consoles.values()):
            window.statusBar().showMessage(
                _(
                    "Not locked after {minutes} idle minutes: a meeting is in progress on the chair "
                    "console (Ctrl+L locks now)."
                ).format(minutes=minutes),
                30_000,
            )
            if self.idle is not None:
                self.idle.timer.start()  # watched again from now
            return
        self.lock(f"idle for {minutes} minutes")

    def _os_locked(self, why: str) -> None:
        if self.window is not None:
            self.lock(why)

    def lock(self, reason: str) -> UnlockDialog | None:
        """Blank projectors, save drafts, record the lock, close the store and drop every model."""
        window = self.window
        if window is None:
            return None
        if self.idle is not None:
            self.idle.stop()
        self._place = window.place()
        ws, self.ws = self.ws, None
        for console in window.consoles.values():
            console.projector.set_curtain(True)  # the room sees nothing from this instant
        self.clipboard.clear_now()
        # The unlock dialog opens before the windows close, so the application never has no window.
        dialog = UnlockDialog(self.store, self.device, self.runner, hint=self.hint, offer_restore=False)
        dialog.setWindowTitle(_("PPO Panel is locked — unlock to continue"))
        dialog.accepted.connect(self._unlocked)
        dialog.show()
        self.unlock_dialog = dialog
        window.shut_for_lock()
        if ws is not None:
            lock_store(ws, reason)
        window.deleteLater()
        self.window = None
        return dialog

    def _unlocked(self) -> None:
        dialog = self.unlock_dialog
        if dialog is not None and dialog.workspace is not None:
            self.start(dialog.workspace, self._place)
        self.unlock_dialog = None
