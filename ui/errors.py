"""Unhandled errors become a dialog (and a line on stderr), never a silent crash."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from ppo_desktop.failures import describe, locations
from ppo_desktop.i18n import _


def install_excepthook() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        # Code locations only: an error's message can carry a record's contents, so it is never shown.
        value.__traceback__ = tb
        print(f"PPO Panel: unexpected error: {describe(value)}\n{locations(value)}", file=sys.stderr)
        if QApplication.instance() is not None:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                _("PPO Panel — unexpected error"),
                _(
                    "Something went wrong and the last action may not have completed.\n\n{what}\n\n"
                    "Your saved work is safe in the store."
                ).format(what=describe(value)),
            )
            box.exec()

    sys.excepthook = hook
