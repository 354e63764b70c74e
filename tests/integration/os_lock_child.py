"""A child process: the app unlocked offscreen on a private D-Bus, printing which OS signals it
listens for, then "locked" once it has locked itself."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(store: str, passphrase: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from db.device import DeviceSecrets
    from ppo_desktop.services.session import unlock
    from ui.session_controller import SessionController
    from ui.tasks import SyncRunner

    app = QApplication(sys.argv[:1])
    device = DeviceSecrets(None)
    controller = SessionController(Path(store), device, SyncRunner())
    controller.start(unlock(store, passphrase, device=device))
    print("listening:" + ";".join(controller.os_lock.listening), flush=True)

    def check() -> None:
        if controller.window is None and controller.unlock_dialog is not None:
            print("locked", flush=True)
            app.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(20)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
