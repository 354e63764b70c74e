"""The console's notes for the minutes, and the offer of notes kept from a session that ended
unexpectedly (restore or discard)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QWidget


class DraftOffer(QWidget):
    """'Notes for this item were being typed when PPO Panel last closed unexpectedly…'"""

    def __init__(
        self, restore: Callable[[], None], discard: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.restore = QPushButton("&Restore those notes")
        self.restore.clicked.connect(restore)
        self.discard = QPushButton("Discard them")
        self.discard.clicked.connect(discard)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.restore)
        layout.addWidget(self.discard)
        self.setStyleSheet("background: #fff3bf; color: #3d2e00;")
        self.hide()

    def offer(self, saved_at: str) -> None:
        self.text.setText(
            f"Notes for this item were being typed when PPO Panel last closed unexpectedly "
            f"({saved_at[:16].replace('T', ' ')} UTC) and were kept, encrypted."
        )
        self.show()


def notes_editor() -> QPlainTextEdit:
    notes = QPlainTextEdit()
    notes.setAccessibleName("Discussion notes for the minutes")
    notes.setPlaceholderText("Discussion summary for the minutes (saved as you type)")
    return notes
