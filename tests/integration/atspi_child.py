"""A child process: the real main window on the demo store, on a real X server, with Qt's
accessibility bridge on; told by its parent (one line on stdin) which screen, case tab or window to
show, it says "shown ..." when it has. The parent reads it through AT-SPI meanwhile."""

from __future__ import annotations

import sys

APP_NAME = "ppo-panel-a11y-check"


def main(store: str, passphrase: str) -> None:
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    from db.device import DeviceSecrets
    from ppo_desktop.services.bundle import Services
    from ppo_desktop.services.session import unlock
    from ui import theme
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import SyncRunner

    theme.apply(app)
    ws = unlock(store, passphrase, device=DeviceSecrets(None))
    window = MainWindow(AppContext(Services(ws), SyncRunner()))
    window.resize(1366, 768)
    window.show()
    console = None

    def command() -> None:
        nonlocal console
        line = sys.stdin.readline().strip()
        kind, _, arg = line.partition(" ")
        if kind == "screen":
            window.show_screen(arg)
        elif kind == "case":
            if window.stack.currentWidget() is not window.case_view:
                window.open_case(window.ctx.services.cases.cohort()[0].nominal.id)
            window.case_view.tabs.setCurrentIndex(int(arg))
        elif kind == "console":
            meeting = next(m for m in window.ctx.services.meetings.all() if m.state.value == "planned")
            person = window.ctx.services.cases.cohort(include_former=False)[0].nominal.id
            window.ctx.services.meetings.add_item(
                meeting.id, "Review", nominal_id=person, reasons=["review due"]
            )
            console = window.open_console(meeting.id)
            console.showMaximized()
        elif kind == "plant":
            from PySide6.QtWidgets import QLineEdit

            planted = QLineEdit()  # no name, no label: what the walk must hear as unnamed
            (console or window).statusBar().addWidget(planted)
        else:
            app.quit()
            return
        for _ in range(10):
            app.processEvents()
        print("shown", line, flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    print("ready", flush=True)
    app.exec()
    ws.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
