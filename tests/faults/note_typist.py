"""A child process: the chair console offscreen, notes typed for the first agenda item, then it waits
to be killed. Prints "kept" each time the typed text reaches the store as a draft."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(store: str, passphrase: str, meeting_id: str, text: str) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import ui.meeting.console as console_module
    import ui.meeting.notes_view as notes_module
    from db.device import DeviceSecrets
    from ppo_desktop.services.bundle import Services
    from ppo_desktop.services.session import unlock
    from ui.context import AppContext
    from ui.tasks import SyncRunner

    app = QApplication(sys.argv[:1])
    notes_module.NOTES_SAVE_MS = 600_000  # the notes are never saved as a record: only the draft
    ws = unlock(store, passphrase, device=DeviceSecrets(None))
    console = console_module.ChairConsole(AppContext(Services(ws), SyncRunner()), int(meeting_id))
    console.show()
    console.go_to(0)
    console.draft_kept.connect(lambda: print("kept", flush=True))
    QTest.keyClicks(console.notes, text)
    app.exec()  # typing done; killed while the console is open


if __name__ == "__main__":
    main(*sys.argv[1:5])
