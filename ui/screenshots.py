"""``ppo-desktop --screenshots DIR``: render every main screen of the demo store to PNG, offscreen."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ppo_desktop.demo import DEMO_PASSPHRASE, build_demo


def write_screenshots(out: Path, size: tuple[int, int] = (1366, 768)) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ppo_desktop.services.session import DeviceSecrets, unlock
    from ui import theme
    from ui.app import DEMO_HINT
    from ui.context import AppContext
    from ui.main_window import NAV, MainWindow
    from ui.tasks import SyncRunner
    from ui.unlock_dialog import UnlockDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme.apply(app)
    out.mkdir(parents=True, exist_ok=True)
    device = DeviceSecrets(None, "")
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="ppo-shots-") as tmp:
        store = Path(tmp) / "demo.ppo"
        build_demo(store)
        dialog = UnlockDialog(store, device, SyncRunner(), hint=DEMO_HINT)
        dialog.show()
        written.append(_save(dialog, out / "00-unlock.png"))
        dialog.close()
        ws = unlock(store, DEMO_PASSPHRASE, device=device)
        window = MainWindow(AppContext(ws, SyncRunner()))
        window.resize(*size)
        window.show()
        for i, name in enumerate(NAV, start=1):
            window.show_screen(name)
            written.append(_save(window, out / f"{i:02d}-{name.lower()}.png"))
        first = window.cohort.proxy.index(0, 0)
        window.cohort.table.setCurrentIndex(first)
        window.show_screen("Cohort")
        window.open_case(
            window.cohort.model.row_object(window.cohort.proxy.mapToSource(first).row()).nominal.id
        )
        written.append(_save(window, out / "08-case.png"))
        window.close()
    for path in written:
        print(path)
    return 0


def _save(widget: object, path: Path) -> Path:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget)
    QApplication.processEvents()
    widget.grab().save(str(path))
    return path
