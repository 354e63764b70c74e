"""Unhandled errors become a dialog (and a line on stderr), never a silent crash."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox


def install_excepthook() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        # The trace names code locations only; record contents are never formatted into it.
        print("".join(traceback.format_exception(kind, value, tb, limit=8)), file=sys.stderr)
        if QApplication.instance() is not None:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                "PPO Panel — unexpected error",
                "Something went wrong and the last action may not have completed.\n\n"
                f"{kind.__name__}: {value}\n\nYour saved work is safe in the store.",
            )
            box.exec()

    sys.excepthook = hook
