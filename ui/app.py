"""Composition root: ``ppo-desktop`` — choose or create a store, unlock it, show the workspace."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog

from ppo_desktop import i18n, paths
from ppo_desktop.i18n import _
from ppo_desktop.keyring_policy import DeviceSource, PendingDevice, no_device, resolve
from ppo_desktop.paths import store_exists
from ui import input_guard, platform, qt_words, theme
from ui.errors import install_excepthook
from ui.tasks import TaskRunner
from ui.unlock_dialog import UnlockDialog

if TYPE_CHECKING:
    from ppo_desktop.services.workspace import Workspace

# Start-up imports only what the first dialog needs; the services, the workspace screens and the
# document builders load while (or after) the person types the passphrase.


def demo_hint() -> str:
    from ppo_desktop.demo import DEMO_PASSPHRASE, DEMO_USER

    return i18n._("DEMO STORE — fictional people only. User: {user}   Passphrase: {passphrase}").format(
        user=DEMO_USER, passphrase=DEMO_PASSPHRASE
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ppo-desktop", description="PPO Panel desktop application")
    parser.add_argument(
        "--demo", action="store_true", help="open (creating if needed) the fictional demo store"
    )
    parser.add_argument("--store", type=Path, help="the store to open (.ppo)")
    parser.add_argument(
        "--self-test", action="store_true", help="check this installation end to end and exit"
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        metavar="DIR",
        help="write a PNG of every main screen (demo store, offscreen) and exit",
    )
    return parser.parse_args(argv)


def ensure_demo_store(runner: TaskRunner) -> Path:
    """Build the demo store the first time (a few seconds), with a busy dialog; the build runs on a
    worker thread with its own connection, closed before it returns."""
    path = paths.demo_store()
    if store_exists(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    progress = QProgressDialog(_("Creating the fictional demo store…"), "", 0, 0)
    progress.setWindowTitle(_("PPO Panel"))
    progress.setCancelButton(None)
    progress.setMinimumDuration(0)
    progress.show()
    loop = QEventLoop()
    failure: list[BaseException] = []

    def failed(exc: BaseException) -> None:
        failure.append(exc)
        loop.quit()

    from ppo_desktop.demo import build_demo

    # Whatever is left to collect on this thread (a closed screen's store objects) is collected now,
    # not while the worker is opening the new store: SQLCipher's global state is not to be torn down
    # on one thread while another keys a connection (seen once as a segfault in CI).
    gc.collect()
    runner.run(lambda: build_demo(path), lambda _facts: loop.quit(), failed)
    loop.exec()
    progress.close()
    if failure:
        raise failure[0]
    return path


def first_window(
    store: Path, device: DeviceSource, runner: TaskRunner, hint: str, *, create: bool
) -> tuple[Path, Workspace] | None:
    """Unlock the store, or create it where and as the person chooses (``store`` is the default).
    Returns the store as opened — the one the session, its lock and the next launch use."""
    if create and not store_exists(store):
        from ui.create_dialog import CreateStoreDialog

        if paths.store_file(store).parent == paths.data_dir():
            paths.data_dir().mkdir(parents=True, exist_ok=True)  # the default folder, made when first used
        dialog = CreateStoreDialog(store, device, runner=runner)
        created = dialog.exec() == QDialog.DialogCode.Accepted
        if dialog.restored is not None:  # a backup restored instead: unlocked as any store is
            store = dialog.restored
        elif not created or dialog.workspace is None or dialog.store is None:
            return None
        else:
            return dialog.store, dialog.workspace
    unlock = UnlockDialog(store, device, runner, hint=hint)
    # Load the services on a worker while the passphrase is typed (pure Python: no Qt there),
    # once the dialog is on screen (not competing with drawing it).
    unlock.on_screen.append(
        lambda: runner.run(
            lambda: importlib.import_module("ppo_desktop.services.documents"),
            lambda _m: None,
            lambda _e: None,
        )
    )
    if unlock.exec() != QDialog.DialogCode.Accepted or unlock.workspace is None:
        return None
    return unlock.store, unlock.workspace  # (a backup restored from the dialog: that store)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        from ui.selftest import run_self_test

        return run_self_test()
    if args.screenshots:
        from ui.screenshots import write_screenshots

        return write_screenshots(args.screenshots)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("PPO Panel")
    theme.apply(app)
    input_guard.install(app)
    qt_words.install(app)  # Qt's own buttons (OK, Cancel, Yes, No) in the user's language
    app.installEventFilter(platform.CaptureGuard(app))  # on Windows: only the projector in a screen share
    install_excepthook()
    from ppo_desktop.partial_files import remove_leftovers

    remove_leftovers()  # partly written outputs a crash left behind (plaintext): gone before anything
    runner = TaskRunner()
    i18n.use(paths.remembered_language())  # the unlock dialog speaks the last person's language

    device: DeviceSource
    if args.demo:
        device = no_device()
        store, hint = ensure_demo_store(runner), demo_hint()
    else:
        device = PendingDevice(start=False)  # looked for once the first window is up (~0.3 s)
        store = args.store or paths.remembered_store() or paths.data_dir() / "panel.ppo"
        hint = ""

    opened = first_window(store, device, runner, hint, create=not args.demo)
    if opened is None:
        return 1
    store, workspace = opened
    if not args.demo:
        paths.remember_store(store)  # the next launch without --store opens this one
    from ui.session_controller import SessionController

    session = SessionController(store, resolve(device), runner, hint)
    session.start(workspace)
    app.setQuitOnLastWindowClosed(True)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
