"""The app's one kind of dialog: never smaller than its contents need."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QLayout


class Dialog(QDialog):
    """Every dialog of the app. Its layout decides its smallest size, so at the person's text size —
    200 % included — no label, button or wrapped sentence is cut (a dialog sized for 100 % text cut
    "Restore a backup instead…" and the restore's own explanation at 200 %). Every dialog class in
    ``ui/`` derives from this one (a test says so), so no dialog has to remember it."""

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        layout = self.layout()
        if layout is not None:
            layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        super().showEvent(event)
