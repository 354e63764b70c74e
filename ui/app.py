"""Composition root: ``ppo-desktop`` — choose or create a store, unlock it, show the workspace."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog

from ppo_desktop import paths
from ppo_desktop.demo import DEMO_PASSPHRASE, DEMO_USER, build_demo
from ppo_desktop.services.session import DeviceSecrets, store_exists, system_device_secrets
from ui import theme
from ui.context import AppContext
from ui.create_dialog import CreateStoreDialog
from ui.errors import install_excepthook
from ui.main_window import MainWindow
from ui.tasks import TaskRunner
from ui.unlock_dialog import UnlockDialog

DEMO_HINT = f"DEMO STORE — fictional people only. User: {DEMO_USER}   Passphrase: {DEMO_PASSPHRASE}"


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
    progress = QProgressDialog("Creating the fictional demo store…", "", 0, 0)
    progress.setWindowTitle("PPO Panel")
    progress.setCancelButton(None)
    progress.setMinimumDuration(0)
    progress.show()
    loop = QEventLoop()
    failure: list[Exception] = []

    def failed(exc: Exception) -> None:
        failure.append(exc)
        loop.quit()

    runner.run(lambda: build_demo(path), lambda _facts: loop.quit(), failed)
    loop.exec()
    progress.close()
    if failure:
        raise failure[0]
    return path


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
    install_excepthook()
    runner = TaskRunner()

    if args.demo:
        device = DeviceSecrets(None, "")
        store, hint = ensure_demo_store(runner), DEMO_HINT
    else:
        device = system_device_secrets()
        store = args.store or paths.data_dir() / "panel.ppo"
        hint = ""

    if not args.demo and not store_exists(store):
        paths.data_dir().mkdir(parents=True, exist_ok=True)
        create = CreateStoreDialog(store.parent, device)
        if create.exec() != QDialog.DialogCode.Accepted or create.workspace is None:
            return 1
        workspace = create.workspace
    else:
        unlock = UnlockDialog(store, device, runner, hint=hint)
        if unlock.exec() != QDialog.DialogCode.Accepted or unlock.workspace is None:
            return 1
        workspace = unlock.workspace

    ctx = AppContext(workspace, runner, keyring_note=device.reason)
    window = MainWindow(ctx)
    window.resize(1280, 760)
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
